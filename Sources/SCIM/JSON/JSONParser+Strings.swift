extension JSONParser {
    /// Reads a string starting at its opening quote, decoding escapes and validating UTF-8.
    mutating func parseString() throws -> String {
        advance()
        let start = index
        // Fast path: no escapes, so the bytes can become the string directly once validated.
        while let byte = byte(at: index) {
            switch byte {
            case UInt8(ascii: "\""):
                let text = String(decoding: slice(start..<index), as: UTF8.self)
                advance()
                return text
            case UInt8(ascii: "\\"):
                return try parseEscapedString(prefix: start..<index)
            case 0..<0x20:
                throw syntaxError("unescaped control character in a string")
            case 0x20..<0x80:
                advance()
            default:
                try skipMultiByteSequence()
            }
        }
        throw syntaxError("unterminated string")
    }

    private mutating func parseEscapedString(prefix: Range<Int>) throws -> String {
        var buffer: [UInt8] = []
        buffer.reserveCapacity(prefix.count + 32)
        buffer.append(contentsOf: slice(prefix))
        while let byte = byte(at: index) {
            switch byte {
            case UInt8(ascii: "\""):
                advance()
                return String(decoding: buffer, as: UTF8.self)
            case UInt8(ascii: "\\"):
                try appendEscape(to: &buffer)
            case 0..<0x20:
                throw syntaxError("unescaped control character in a string")
            case 0x20..<0x80:
                buffer.append(byte)
                advance()
            default:
                let sequenceStart = index
                try skipMultiByteSequence()
                buffer.append(contentsOf: slice(sequenceStart..<index))
            }
        }
        throw syntaxError("unterminated string")
    }

    private mutating func appendEscape(to buffer: inout [UInt8]) throws {
        guard let escaped = byte(at: index + 1) else { throw syntaxError("unterminated escape sequence") }
        let simple: UInt8?
        switch escaped {
        case UInt8(ascii: "\""): simple = 0x22
        case UInt8(ascii: "\\"): simple = 0x5C
        case UInt8(ascii: "/"): simple = 0x2F
        case UInt8(ascii: "b"): simple = 0x08
        case UInt8(ascii: "f"): simple = 0x0C
        case UInt8(ascii: "n"): simple = 0x0A
        case UInt8(ascii: "r"): simple = 0x0D
        case UInt8(ascii: "t"): simple = 0x09
        case UInt8(ascii: "u"): simple = nil
        default: throw syntaxError("invalid escape sequence")
        }
        if let simple {
            buffer.append(simple)
            advance(by: 2)
            return
        }
        let escapeStart = index
        let unit = try readHexUnit(at: index + 2)
        advance(by: 6)
        var scalarValue = UInt32(unit)
        switch unit {
        case 0xD800...0xDBFF:
            guard byte(at: index) == UInt8(ascii: "\\"), byte(at: index + 1) == UInt8(ascii: "u") else {
                move(to: escapeStart)
                throw syntaxError("unpaired surrogate in a \\u escape")
            }
            let low = try readHexUnit(at: index + 2)
            guard (0xDC00...0xDFFF).contains(low) else {
                move(to: escapeStart)
                throw syntaxError("unpaired surrogate in a \\u escape")
            }
            advance(by: 6)
            scalarValue = 0x10000 + ((UInt32(unit) - 0xD800) << 10) + (UInt32(low) - 0xDC00)
        case 0xDC00...0xDFFF:
            move(to: escapeStart)
            throw syntaxError("unpaired surrogate in a \\u escape")
        default:
            break
        }
        guard let scalar = Unicode.Scalar(scalarValue) else {
            move(to: escapeStart)
            throw syntaxError("invalid \\u escape")
        }
        buffer.append(contentsOf: String(Character(scalar)).utf8)
    }

    private mutating func readHexUnit(at offset: Int) throws -> UInt16 {
        var unit: UInt16 = 0
        for position in offset..<(offset + 4) {
            guard let byte = byte(at: position) else {
                throw syntaxError("truncated \\u escape")
            }
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default:
                move(to: position)
                throw syntaxError("invalid hexadecimal digit in a \\u escape")
            }
            unit = unit << 4 | UInt16(digit)
        }
        return unit
    }

    /// Moves past one well-formed multi-byte UTF-8 sequence (Unicode Table 3-7), rejecting
    /// overlong forms, surrogates and code points above U+10FFFF.
    private mutating func skipMultiByteSequence() throws {
        guard let lead = byte(at: index) else { throw syntaxError("invalid UTF-8") }
        let continuationCount: Int
        var secondRange: ClosedRange<UInt8> = 0x80...0xBF
        switch lead {
        case 0xC2...0xDF: continuationCount = 1
        case 0xE0:
            continuationCount = 2
            secondRange = 0xA0...0xBF
        case 0xE1...0xEC, 0xEE...0xEF: continuationCount = 2
        case 0xED:
            continuationCount = 2
            secondRange = 0x80...0x9F
        case 0xF0:
            continuationCount = 3
            secondRange = 0x90...0xBF
        case 0xF1...0xF3: continuationCount = 3
        case 0xF4:
            continuationCount = 3
            secondRange = 0x80...0x8F
        default: throw syntaxError("invalid UTF-8")
        }
        for offset in 1...continuationCount {
            guard let next = byte(at: index + offset) else { throw syntaxError("invalid UTF-8") }
            let allowed = offset == 1 ? secondRange : 0x80...0xBF
            guard allowed.contains(next) else { throw syntaxError("invalid UTF-8") }
        }
        advance(by: continuationCount + 1)
    }
}
