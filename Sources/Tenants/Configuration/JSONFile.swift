import Foundation
import SCIM

/// A value the gateway keeps as JSON in tenants.d (token, client, key and usage files), read and
/// written through SCIM's ``JSONValue`` parser and serializer.
protocol JSONFileRepresentable {
    /// Reads the value; a problem names the key path it is at.
    init(json: JSONFields) throws(ConfigurationIssue)
    /// The value as a JSON object. Absent optional values are left out; ``JSONFields/object(_:)`` sorts the keys.
    var json: JSONObject { get }
}

/// The members of one JSON object being read, with the path that problems are reported at.
struct JSONFields {
    let object: JSONObject
    let path: [String]

    /// The object `value`; a problem when it is not one.
    init(_ value: JSONValue, path: [String] = []) throws(ConfigurationIssue) {
        guard let object = value.objectValue else { throw ConfigurationIssue(key: path, message: "expected an object") }
        self.object = object
        self.path = path
    }

    /// An object with these members, keys in sorted order and `nil` values left out, as the files
    /// have always been written.
    static func object(_ members: [(String, JSONValue?)]) -> JSONObject {
        JSONObject(members.compactMap { key, value in value.map { (key, $0) } }.sorted { $0.0 < $1.0 })
    }

    private func problem(_ key: String, _ message: String) -> ConfigurationIssue {
        ConfigurationIssue(key: path + [key], message: message)
    }

    /// The value under `key`; `nil` when it is absent or `null`.
    private func present(_ key: String) -> JSONValue? {
        guard let value = object[key], value != .null else { return nil }
        return value
    }

    func string(_ key: String) throws(ConfigurationIssue) -> String {
        guard let text = try optionalString(key) else { throw problem(key, "required key is missing") }
        return text
    }

    func optionalString(_ key: String) throws(ConfigurationIssue) -> String? {
        guard let value = present(key) else { return nil }
        guard case .string(let text) = value else { throw problem(key, "expected a string") }
        return text
    }

    func integer(_ key: String) throws(ConfigurationIssue) -> Int64 {
        guard let value = present(key) else { throw problem(key, "required key is missing") }
        guard case .integer(let number) = value else { throw problem(key, "expected an integer") }
        return number
    }

    func date(_ key: String) throws(ConfigurationIssue) -> Date {
        guard let date = try optionalDate(key) else { throw problem(key, "required key is missing") }
        return date
    }

    func optionalDate(_ key: String) throws(ConfigurationIssue) -> Date? {
        guard let text = try optionalString(key) else { return nil }
        guard let date = JSONFileDate.date(text) else {
            throw problem(key, "expected an ISO 8601 date such as 2025-01-31T12:00:00Z")
        }
        return date
    }

    /// The elements of the array under `key`, each an object read by `read`; an absent key is a problem.
    func list<Element>(
        _ key: String,
        _ read: (JSONFields) throws(ConfigurationIssue) -> Element
    ) throws(ConfigurationIssue) -> [Element] {
        guard let value = present(key) else { throw problem(key, "required key is missing") }
        guard case .array(let elements) = value else { throw problem(key, "expected a list") }
        var result: [Element] = []
        for (index, element) in elements.enumerated() {
            result.append(try read(JSONFields(element, path: path + [key, String(index)])))
        }
        return result
    }

    /// The object under `key` as a map of dates.
    func dates(_ key: String) throws(ConfigurationIssue) -> [String: Date] {
        guard let value = present(key) else { throw problem(key, "required key is missing") }
        let fields = try JSONFields(value, path: path + [key])
        var result: [String: Date] = [:]
        for name in fields.object.keys {
            result[name] = try fields.date(name)
        }
        return result
    }
}

/// Dates in the gateway's JSON files: ISO 8601 in UTC, whole seconds (`2025-01-31T12:00:00Z`).
enum JSONFileDate {
    static func text(_ date: Date) -> String {
        SCIMDateTime.format(Date(timeIntervalSince1970: date.timeIntervalSince1970.rounded(.down)))
    }

    static func value(_ date: Date?) -> JSONValue? {
        date.map { .string(text($0)) }
    }

    static func date(_ text: String) -> Date? {
        SCIMDateTime.instant(text).map(Date.init(timeIntervalSince1970:))
    }
}

/// Reads a JSON file the gateway writes; `displayPath` names it in errors.
func readJSONFile<T: JSONFileRepresentable>(path: String, displayPath: String) throws(ConfigurationError) -> T {
    let data: Data
    do {
        data = try Data(contentsOf: URL(fileURLWithPath: path))
    } catch {
        throw ConfigurationError(file: displayPath, message: "cannot be read: \(error.localizedDescription)")
    }
    let value: JSONValue
    do {
        value = try JSONValue.parse(data)
    } catch {
        throw ConfigurationError(
            file: displayPath,
            message: "invalid JSON: \((error as? SCIMError)?.detail ?? "\(error)")"
        )
    }
    do {
        return try T(json: JSONFields(value))
    } catch {
        throw error.located(in: displayPath)
    }
}

/// Writes a value as the gateway's JSON files are written (indented, keys sorted, a final newline),
/// atomically and readable by its owner only.
func writeJSONFile<T: JSONFileRepresentable>(_ value: T, path: String) throws {
    try writeAtomically(Data(JSONValue.object(value.json).serializedIndented() + [UInt8(ascii: "\n")]), to: path)
}
