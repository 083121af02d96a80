extension JSONValue {
    /// Compact UTF-8 JSON: members in object order, integers as integers, decimals in their
    /// shortest form that reads back to the same `Double`. A non-finite decimal, which JSON cannot
    /// express, is written as `null`.
    public func serialized() -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(256)
        JSONWriter.write(self, into: &output)
        return output
    }

    /// The compact JSON text of this value.
    public var jsonString: String {
        String(decoding: serialized(), as: UTF8.self)
    }

    /// Indented UTF-8 JSON laid out as Foundation's `JSONEncoder` writes with `.prettyPrinted`: two
    /// spaces per level, `"key" : value`, an empty array or object as the bracket pair around an empty
    /// line. Files written before the gateway had its own serializer read back byte for byte.
    public func serializedIndented() -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(512)
        JSONWriter.writeIndented(self, level: 0, into: &output)
        return output
    }
}

extension JSONObject {
    /// The compact UTF-8 JSON of this object.
    public func serialized() -> [UInt8] {
        JSONValue.object(self).serialized()
    }

    /// The compact JSON text of this object.
    public var jsonString: String {
        JSONValue.object(self).jsonString
    }
}

private enum JSONWriter {
    private static let hexDigits: [UInt8] = Array("0123456789abcdef".utf8)

    static func write(_ value: JSONValue, into output: inout [UInt8]) {
        switch value {
        case .null:
            output.append(contentsOf: "null".utf8)
        case .bool(let flag):
            output.append(contentsOf: (flag ? "true" : "false").utf8)
        case .integer(let integer):
            output.append(contentsOf: String(integer).utf8)
        case .decimal(let decimal):
            if decimal.isFinite {
                output.append(contentsOf: decimal.description.utf8)
            } else {
                output.append(contentsOf: "null".utf8)
            }
        case .string(let text):
            writeString(text, into: &output)
        case .array(let elements):
            output.append(UInt8(ascii: "["))
            for (position, element) in elements.enumerated() {
                if position > 0 { output.append(UInt8(ascii: ",")) }
                write(element, into: &output)
            }
            output.append(UInt8(ascii: "]"))
        case .object(let object):
            output.append(UInt8(ascii: "{"))
            for (position, member) in object.members.enumerated() {
                if position > 0 { output.append(UInt8(ascii: ",")) }
                writeString(member.key, into: &output)
                output.append(UInt8(ascii: ":"))
                write(member.value, into: &output)
            }
            output.append(UInt8(ascii: "}"))
        }
    }

    static func writeIndented(_ value: JSONValue, level: Int, into output: inout [UInt8]) {
        func newline(_ level: Int) {
            output.append(UInt8(ascii: "\n"))
            output.append(contentsOf: repeatElement(UInt8(ascii: " "), count: 2 * level))
        }
        switch value {
        case .array(let elements):
            output.append(UInt8(ascii: "["))
            if elements.isEmpty { output.append(UInt8(ascii: "\n")) }
            for (position, element) in elements.enumerated() {
                if position > 0 { output.append(UInt8(ascii: ",")) }
                newline(level + 1)
                writeIndented(element, level: level + 1, into: &output)
            }
            newline(level)
            output.append(UInt8(ascii: "]"))
        case .object(let object):
            output.append(UInt8(ascii: "{"))
            if object.isEmpty { output.append(UInt8(ascii: "\n")) }
            for (position, member) in object.members.enumerated() {
                if position > 0 { output.append(UInt8(ascii: ",")) }
                newline(level + 1)
                writeString(member.key, into: &output)
                output.append(contentsOf: " : ".utf8)
                writeIndented(member.value, level: level + 1, into: &output)
            }
            newline(level)
            output.append(UInt8(ascii: "}"))
        default:
            write(value, into: &output)
        }
    }

    private static func writeString(_ text: String, into output: inout [UInt8]) {
        output.append(UInt8(ascii: "\""))
        var text = text
        text.withUTF8 { bytes in
            // Runs of bytes that need no escape are copied in one go.
            var runStart = 0
            for (position, byte) in bytes.enumerated() where byte < 0x20 || byte == 0x22 || byte == 0x5C {
                output.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<position]))
                appendEscape(for: byte, into: &output)
                runStart = position + 1
            }
            output.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart...]))
        }
        output.append(UInt8(ascii: "\""))
    }

    private static func appendEscape(for byte: UInt8, into output: inout [UInt8]) {
        let backslash = UInt8(ascii: "\\")
        switch byte {
        case UInt8(ascii: "\""): output.append(contentsOf: [backslash, UInt8(ascii: "\"")])
        case UInt8(ascii: "\\"): output.append(contentsOf: [backslash, backslash])
        case 0x0A: output.append(contentsOf: [backslash, UInt8(ascii: "n")])
        case 0x0D: output.append(contentsOf: [backslash, UInt8(ascii: "r")])
        case 0x09: output.append(contentsOf: [backslash, UInt8(ascii: "t")])
        case 0x08: output.append(contentsOf: [backslash, UInt8(ascii: "b")])
        case 0x0C: output.append(contentsOf: [backslash, UInt8(ascii: "f")])
        default:
            output.append(contentsOf: [
                backslash, UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0"),
                hexDigits[Int(byte >> 4)], hexDigits[Int(byte & 0x0F)],
            ])
        }
    }
}
