import SCIM
import Testing

/// A small JSON reader for test fixtures only, so these tests do not depend on the codec's own tests.
enum TestJSON {
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    static func parse(_ text: String) throws -> JSONValue {
        var reader = Reader(scalars: Array(text.unicodeScalars))
        let value = try reader.value()
        reader.skipWhitespace()
        guard reader.index == reader.scalars.count else { throw Failure(description: "trailing text at \(reader.index)") }
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
func scimError(_ body: () throws -> Void) -> SCIMError? {
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
func fixture(_ text: String) -> JSONObject {
    do {
        return try TestJSON.object(text)
    } catch {
        Issue.record("bad fixture: \(error)")
        return JSONObject()
    }
}

/// A fixture value.
func fixtureValue(_ text: String) -> JSONValue {
    do {
        return try TestJSON.parse(text)
    } catch {
        Issue.record("bad fixture: \(error)")
        return .null
    }
}
