/// A coding key for any mapping key, so that unknown keys can be listed and refused.
struct AnyCodingKey: CodingKey, Hashable {
    var stringValue: String
    var intValue: Int?

    init(_ string: String) {
        self.stringValue = string
        self.intValue = nil
    }

    init?(stringValue: String) {
        self.init(stringValue)
    }

    init?(intValue: Int) {
        self.stringValue = String(intValue)
        self.intValue = intValue
    }
}

/// Reads one YAML mapping of a configuration file, turning every decoding failure into a
/// ``ConfigurationIssue`` that names the key, and refusing keys it does not know.
struct ConfigurationReader {
    let container: KeyedDecodingContainer<AnyCodingKey>
    let path: [String]

    /// Opens the mapping `decoder` points at; `path` is where it sits in the file.
    init(_ decoder: any Decoder, allowedKeys: Set<String>) throws {
        let path = decoder.codingPath.map(\.stringValue)
        do {
            self.container = try decoder.container(keyedBy: AnyCodingKey.self)
        } catch {
            throw ConfigurationIssue(key: path, message: "expected a mapping of keys to values")
        }
        self.path = path
        let unknown = container.allKeys.map(\.stringValue).filter { !allowedKeys.contains($0) }.sorted()
        if let first = unknown.first {
            let expected = allowedKeys.sorted().joined(separator: ", ")
            throw ConfigurationIssue(key: path + [first], message: "unknown key; expected one of: \(expected)")
        }
    }

    /// Opens a nested mapping at `key`, or `nil` when the key is absent or null.
    func nested(_ key: String, allowedKeys: Set<String>) throws -> ConfigurationReader? {
        guard try isPresent(key) else { return nil }
        let decoder: any Decoder
        do {
            decoder = try container.superDecoder(forKey: AnyCodingKey(key))
        } catch {
            throw ConfigurationIssue(key: path + [key], message: "expected a mapping of keys to values")
        }
        return try ConfigurationReader(decoder, allowedKeys: allowedKeys)
    }

    /// Whether the key is present with a non-null value.
    func isPresent(_ key: String) throws -> Bool {
        let codingKey = AnyCodingKey(key)
        guard container.contains(codingKey) else { return false }
        return (try? container.decodeNil(forKey: codingKey)) != true
    }

    /// A scalar as text (numbers and booleans keep their spelling), or `nil` when absent.
    func string(_ key: String) throws -> String? {
        guard try isPresent(key) else { return nil }
        do {
            return try container.decode(String.self, forKey: AnyCodingKey(key))
        } catch {
            throw ConfigurationIssue(key: path + [key], message: "expected a single value (text or number)")
        }
    }

    /// A scalar that must be present and non-empty.
    func requiredString(_ key: String) throws -> String {
        guard let value = try string(key) else {
            throw ConfigurationIssue(key: path + [key], message: "required key is missing")
        }
        guard !value.trimmingWhitespace().isEmpty else {
            throw ConfigurationIssue(key: path + [key], message: "must not be empty")
        }
        return value
    }

    /// A whole number in `range`, or `nil` when absent.
    func integer(_ key: String, in range: ClosedRange<Int>) throws -> Int? {
        guard let text = try string(key) else { return nil }
        guard let value = Int(text.trimmingWhitespace()), range.contains(value) else {
            throw ConfigurationIssue(
                key: path + [key],
                message: "expected a whole number from \(range.lowerBound) to \(range.upperBound), got '\(text)'"
            )
        }
        return value
    }

    /// A number in `range`, or `nil` when absent; `key` is named in the error with the range.
    func number(_ key: String, in range: ClosedRange<Double>) throws -> Double? {
        guard let text = try string(key) else { return nil }
        guard let value = Double(text.trimmingWhitespace()), value.isFinite, range.contains(value) else {
            throw ConfigurationIssue(
                key: path + [key],
                message: "expected a number from \(Self.plain(range.lowerBound)) to \(Self.plain(range.upperBound)), "
                    + "got '\(text.prefix(64))'"
            )
        }
        return value
    }

    /// A bound as a person writes it: `0.01`, `3600`.
    static func plain(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : String(value)
    }

    /// A mapping whose values are scalars, each kept as text; `nil` when absent.
    func scalarMap(_ key: String) throws -> [String: String]? {
        guard try isPresent(key) else { return nil }
        let nested: KeyedDecodingContainer<AnyCodingKey>
        do {
            nested = try container.nestedContainer(keyedBy: AnyCodingKey.self, forKey: AnyCodingKey(key))
        } catch {
            throw ConfigurationIssue(key: path + [key], message: "expected a mapping of names to values")
        }
        var result: [String: String] = [:]
        for entry in nested.allKeys {
            if (try? nested.decodeNil(forKey: entry)) == true {
                throw ConfigurationIssue(key: path + [key, entry.stringValue], message: "a value is required")
            }
            do {
                result[entry.stringValue] = try nested.decode(String.self, forKey: entry)
            } catch {
                throw ConfigurationIssue(
                    key: path + [key, entry.stringValue],
                    message: "expected a single value (text or number), not a list or mapping"
                )
            }
        }
        return result
    }
}

extension StringProtocol {
    /// The text without leading and trailing spaces, tabs and line breaks.
    func trimmingWhitespace() -> String {
        var scalars = self[...]
        while let first = scalars.first, first.isWhitespace { scalars = scalars.dropFirst() }
        while let last = scalars.last, last.isWhitespace { scalars = scalars.dropLast() }
        return String(scalars)
    }
}
