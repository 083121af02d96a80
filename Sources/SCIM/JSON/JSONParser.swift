/// A single-pass RFC 8259 parser over a contiguous UTF-8 buffer.
///
/// Containers are kept on an explicit stack rather than the call stack, so the nesting limit is
/// the only bound on depth and hostile input cannot overflow the thread's stack.
struct JSONParser {
    private let bytes: UnsafeBufferPointer<UInt8>
    private let maxDepth: Int
    private(set) var index = 0

    init(bytes: UnsafeBufferPointer<UInt8>, maxDepth: Int) {
        self.bytes = bytes
        self.maxDepth = max(0, maxDepth)
    }

    /// The kind of a container whose members are still being read.
    private enum Frame {
        case array
        case object
    }

    /// Collects object members; a repeated key replaces the earlier value in place. Small objects
    /// are searched linearly, larger ones through an index, so duplicates never cost quadratic time.
    private struct ObjectBuilder {
        private static let indexThreshold = 12
        var members: [(key: String, value: JSONValue)] = []
        var positions: [String: Int] = [:]

        mutating func set(_ key: String, _ value: JSONValue) {
            if members.count < Self.indexThreshold {
                if let existing = members.firstIndex(where: { $0.key == key }) {
                    members[existing].value = value
                    return
                }
                members.append((key, value))
                if members.count == Self.indexThreshold {
                    for (position, member) in members.enumerated() { positions[member.key] = position }
                }
                return
            }
            if let existing = positions[key] {
                members[existing].value = value
            } else {
                positions[key] = members.count
                members.append((key, value))
            }
        }

        var object: JSONObject { JSONObject(distinctMembers: members) }
    }

    /// Parses the whole buffer as one JSON text.
    mutating func parseDocument() throws -> JSONValue {
        if bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF {
            index = 3
        }
        let value = try parseValue()
        skipWhitespace()
        guard index == bytes.count else {
            throw syntaxError("unexpected data after the JSON value")
        }
        return value
    }

    private mutating func parseValue() throws -> JSONValue {
        // Open containers live in parallel stacks and are mutated in place through their last
        // index, so appending never copies a partly built array or object.
        var frames: [Frame] = []
        var arrays: [[JSONValue]] = []
        var objects: [ObjectBuilder] = []
        var keys: [String] = []
        while true {
            skipWhitespace()
            guard index < bytes.count else { throw syntaxError("unexpected end of input, expected a value") }
            var value: JSONValue
            switch bytes[index] {
            case UInt8(ascii: "{"):
                try checkDepth(frames.count)
                index += 1
                skipWhitespace()
                if index < bytes.count, bytes[index] == UInt8(ascii: "}") {
                    index += 1
                    value = .object(JSONObject())
                } else {
                    keys.append(try parseKey())
                    frames.append(.object)
                    objects.append(ObjectBuilder())
                    continue
                }
            case UInt8(ascii: "["):
                try checkDepth(frames.count)
                index += 1
                skipWhitespace()
                if index < bytes.count, bytes[index] == UInt8(ascii: "]") {
                    index += 1
                    value = .array([])
                } else {
                    frames.append(.array)
                    arrays.append([])
                    continue
                }
            case UInt8(ascii: "\""):
                value = .string(try parseString())
            case UInt8(ascii: "t"):
                try expectLiteral("true")
                value = .bool(true)
            case UInt8(ascii: "f"):
                try expectLiteral("false")
                value = .bool(false)
            case UInt8(ascii: "n"):
                try expectLiteral("null")
                value = .null
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                value = try parseNumber()
            default:
                throw syntaxError("unexpected character, expected a value")
            }

            // A value is complete: hand it to the enclosing containers, closing each that ends here.
            closing: while true {
                guard let frame = frames.last else { return value }
                skipWhitespace()
                let separator = index < bytes.count ? bytes[index] : nil
                switch frame {
                case .array:
                    arrays[arrays.count - 1].append(value)
                    if separator == UInt8(ascii: ",") {
                        index += 1
                        break closing
                    }
                    guard separator == UInt8(ascii: "]") else { throw syntaxError("expected ',' or ']' in an array") }
                    index += 1
                    frames.removeLast()
                    value = .array(arrays.removeLast())
                case .object:
                    objects[objects.count - 1].set(keys.removeLast(), value)
                    if separator == UInt8(ascii: ",") {
                        index += 1
                        skipWhitespace()
                        keys.append(try parseKey())
                        break closing
                    }
                    guard separator == UInt8(ascii: "}") else { throw syntaxError("expected ',' or '}' in an object") }
                    index += 1
                    frames.removeLast()
                    value = .object(objects.removeLast().object)
                }
            }
        }
    }

    private func checkDepth(_ openContainers: Int) throws {
        guard openContainers < maxDepth else {
            throw SCIMError.invalidSyntax(
                "Invalid JSON at byte \(index): nesting exceeds the limit of \(maxDepth) levels."
            )
        }
    }

    /// Reads `"key"` and the `:` after it.
    private mutating func parseKey() throws -> String {
        guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else {
            throw syntaxError("expected a string key in an object")
        }
        let key = try parseString()
        skipWhitespace()
        guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else {
            throw syntaxError("expected ':' after an object key")
        }
        index += 1
        return key
    }

    private mutating func expectLiteral(_ literal: StaticString) throws {
        let count = literal.utf8CodeUnitCount
        guard bytes.count - index >= count else { throw syntaxError("invalid literal") }
        let expected = UnsafeBufferPointer(start: literal.utf8Start, count: count)
        for offset in 0..<count where bytes[index + offset] != expected[offset] {
            throw syntaxError("invalid literal")
        }
        index += count
    }

    private mutating func skipWhitespace() {
        while index < bytes.count {
            switch bytes[index] {
            case 0x20, 0x09, 0x0A, 0x0D: index += 1
            default: return
            }
        }
    }

    func syntaxError(_ reason: String) -> SCIMError {
        SCIMError.invalidSyntax("Invalid JSON at byte \(index): \(reason).")
    }

    /// The byte at an offset, or `nil` past the end.
    func byte(at offset: Int) -> UInt8? {
        offset < bytes.count ? bytes[offset] : nil
    }

    /// The bytes in a range, which the caller has bounds-checked.
    func slice(_ range: Range<Int>) -> UnsafeBufferPointer<UInt8> {
        UnsafeBufferPointer(rebasing: bytes[range])
    }

    /// Moves past the current byte.
    mutating func advance(by count: Int = 1) {
        index += count
    }

    /// Sets the reading position, used to report a fault at the byte that caused it.
    mutating func move(to offset: Int) {
        index = offset
    }
}
