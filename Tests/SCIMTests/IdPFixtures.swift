import Foundation
import SCIM
import Testing

/// A request body a real identity provider sends (see the IdP client notes), kept as a file under
/// `Fixtures/<idp>/<name>.json` with its expected outcome:
///
/// ```json
/// {"description": "…", "resourceType": "User", "method": "PATCH",
///  "before": {…resource…}, "request": {…body…},
///  "expected": {…resource after, or normalised attributes for POST/PUT…},
///  "dropped": ["…"], "expectedError": {"status": 400, "scimType": "mutability"}, "idempotent": true}
/// ```
/// `method` defaults to PATCH; `expected` and `expectedError` exclude each other; `dropped` (POST/PUT)
/// lists the attributes the schemas do not define; `idempotent: false` exempts a PATCH from being
/// applied twice.
struct IdPFixtureFile: Sendable, CustomStringConvertible {
    /// `entra/replace-active-false-string`.
    var name: String
    var url: URL

    var description: String { name }

    /// The folder holding the fixtures, found from this source file's location (no bundle resource).
    static var folder: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")
    }

    /// Every `*.json` file one level below ``folder``, sorted; empty when the folder cannot be read
    /// (a test then fails on the empty list).
    static var all: [IdPFixtureFile] {
        let manager = FileManager.default
        guard let idps = try? manager.contentsOfDirectory(atPath: folder.path) else { return [] }
        var files: [IdPFixtureFile] = []
        for idp in idps.sorted() {
            let directory = folder.appendingPathComponent(idp)
            guard let names = try? manager.contentsOfDirectory(atPath: directory.path) else { continue }
            for name in names.sorted() where name.hasSuffix(".json") {
                files.append(
                    IdPFixtureFile(
                        name: "\(idp)/\(name.dropLast(5))",
                        url: directory.appendingPathComponent(name)
                    )
                )
            }
        }
        return files
    }

    /// The identity provider: the folder name.
    var idp: String { String(name.prefix { $0 != "/" }) }

    /// The parsed file.
    func load() throws -> IdPFixture {
        let data = try Data(contentsOf: url)
        guard let text = String(data: data, encoding: .utf8) else {
            throw FixtureJSON.Failure(description: "\(name): not UTF-8")
        }
        return try IdPFixture(name: name, object: try FixtureJSON.object(text))
    }
}

/// One fixture file's content.
struct IdPFixture {
    enum Method: String {
        case patch = "PATCH"
        case post = "POST"
        case put = "PUT"
    }

    enum Outcome {
        case resource(JSONObject)
        case error(status: Int, scimType: String?)
    }

    var name: String
    var description: String
    var kind: ResourceKind
    var method: Method
    var before: JSONObject
    var request: JSONValue
    var outcome: Outcome
    var dropped: [String]?
    var isIdempotent: Bool

    init(name: String, object: JSONObject) throws {
        func failure(_ text: String) -> FixtureJSON.Failure { FixtureJSON.Failure(description: "\(name): \(text)") }
        self.name = name
        guard let description = object["description"]?.stringValue, !description.isEmpty else {
            throw failure("needs a description")
        }
        self.description = description
        switch object["resourceType"]?.stringValue {
        case "User": kind = .user
        case "Group": kind = .group
        default: throw failure("resourceType must be User or Group")
        }
        guard let method = Method(rawValue: object["method"]?.stringValue ?? "PATCH") else {
            throw failure("method must be PATCH, POST or PUT")
        }
        self.method = method
        guard let request = object["request"], request.objectValue != nil else {
            throw failure("needs a request object")
        }
        self.request = request
        before = object["before"]?.objectValue ?? JSONObject()
        if method == .patch && object["before"]?.objectValue == nil {
            throw failure("a PATCH needs the resource before")
        }
        switch (object["expected"]?.objectValue, object["expectedError"]?.objectValue) {
        case (let expected?, nil):
            outcome = .resource(expected)
        case (nil, let error?):
            guard case .integer(let status)? = error["status"] else { throw failure("expectedError needs a status") }
            outcome = .error(status: Int(status), scimType: error["scimType"]?.stringValue)
        default:
            throw failure("needs exactly one of expected and expectedError")
        }
        dropped = try object["dropped"].map { value in
            guard let list = value.arrayValue?.compactMap(\.stringValue) else {
                throw failure("dropped must list names")
            }
            return list
        }
        isIdempotent = object["idempotent"] != .bool(false)
    }

    /// Applies the request as the gateway does: the PATCH engine on `before`, or the normaliser for POST and PUT.
    func apply() throws -> (resource: JSONObject, dropped: [String]) {
        switch method {
        case .patch:
            let request = try PatchRequest.decode(self.request)
            return try PatchEngine(resourceType: kind.resourceType).applyReportingDropped(request, to: before)
        case .post, .put:
            let normalized = try ResourceNormalizer(resourceType: kind.resourceType).normalizeReportingDropped(
                self.request
            )
            return (normalized.attributes, normalized.dropped)
        }
    }
}

/// A small JSON reader for test fixtures only, so these tests do not depend on the codec's own tests.
enum FixtureJSON {
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    static func parse(_ text: String) throws -> JSONValue {
        var reader = Reader(scalars: Array(text.unicodeScalars))
        let value = try reader.value()
        reader.skipWhitespace()
        guard reader.index == reader.scalars.count else {
            throw Failure(description: "trailing text at \(reader.index)")
        }
        return value
    }

    static func object(_ text: String) throws -> JSONObject {
        guard let object = try parse(text).objectValue else { throw Failure(description: "not an object") }
        return object
    }

    private struct Reader {
        let scalars: [Unicode.Scalar]
        var index = 0

        mutating func skipWhitespace() {
            while index < scalars.count, [" ", "\n", "\r", "\t"].contains(scalars[index]) { index += 1 }
        }

        mutating func value() throws -> JSONValue {
            skipWhitespace()
            guard index < scalars.count else { throw Failure(description: "unexpected end") }
            switch scalars[index] {
            case "{":
                index += 1
                var members: [(String, JSONValue)] = []
                skipWhitespace()
                if scalars[index] == "}" {
                    index += 1
                    return .object(JSONObject(members))
                }
                while true {
                    skipWhitespace()
                    guard case .string(let key) = try value() else { throw Failure(description: "key at \(index)") }
                    skipWhitespace()
                    try expect(":")
                    members.append((key, try value()))
                    skipWhitespace()
                    if scalars[index] == "}" {
                        index += 1
                        return .object(JSONObject(members))
                    }
                    try expect(",")
                }
            case "[":
                index += 1
                var elements: [JSONValue] = []
                skipWhitespace()
                if scalars[index] == "]" {
                    index += 1
                    return .array(elements)
                }
                while true {
                    elements.append(try value())
                    skipWhitespace()
                    if scalars[index] == "]" {
                        index += 1
                        return .array(elements)
                    }
                    try expect(",")
                }
            case "\"":
                index += 1
                var text = String.UnicodeScalarView()
                while scalars[index] != "\"" {
                    if scalars[index] == "\\" {
                        index += 1
                        switch scalars[index] {
                        case "n": text.append("\n")
                        case "t": text.append("\t")
                        case "u":
                            let hex = String(String.UnicodeScalarView(scalars[(index + 1)...(index + 4)]))
                            text.append(Unicode.Scalar(UInt32(hex, radix: 16) ?? 63) ?? "?")
                            index += 4
                        default: text.append(scalars[index])
                        }
                    } else {
                        text.append(scalars[index])
                    }
                    index += 1
                }
                index += 1
                return .string(String(text))
            default:
                var word = ""
                while index < scalars.count, !",]} \n\r\t".unicodeScalars.contains(scalars[index]) {
                    word.unicodeScalars.append(scalars[index])
                    index += 1
                }
                switch word {
                case "true": return .bool(true)
                case "false": return .bool(false)
                case "null": return .null
                default:
                    if let integer = Int64(word) { return .integer(integer) }
                    if let decimal = Double(word) { return .decimal(decimal) }
                    throw Failure(description: "bad literal \(word)")
                }
            }
        }

        mutating func expect(_ scalar: Unicode.Scalar) throws {
            skipWhitespace()
            guard index < scalars.count, scalars[index] == scalar else {
                throw Failure(description: "expected \(scalar) at \(index)")
            }
            index += 1
        }
    }
}

/// The SCIM error a throwing expression produced, or `nil`.
func capturedSCIMError(_ body: () throws -> Void) -> SCIMError? {
    do {
        try body()
        return nil
    } catch let error as SCIMError {
        return error
    } catch {
        return SCIMError(status: 0, detail: "unexpected error \(error)")
    }
}

/// A fixture object; a malformed fixture is a bug in the test, reported as an empty object that fails every expectation.
func fixtureObject(_ text: String) -> JSONObject {
    do {
        return try FixtureJSON.object(text)
    } catch {
        Issue.record("bad fixture: \(error)")
        return JSONObject()
    }
}

/// A fixture value.
func fixtureJSONValue(_ text: String) -> JSONValue {
    do {
        return try FixtureJSON.parse(text)
    } catch {
        Issue.record("bad fixture: \(error)")
        return .null
    }
}
