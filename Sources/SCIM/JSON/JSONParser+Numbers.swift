extension JSONParser {
    /// Reads a number. Integers without fraction or exponent that fit in 64 bits stay exact;
    /// everything else becomes a finite `Double`.
    mutating func parseNumber() throws -> JSONValue {
        let start = index
        let isNegative = byte(at: index) == UInt8(ascii: "-")
        if isNegative { advance() }
        guard let first = byte(at: index), isDigit(first) else {
            throw syntaxError("expected a digit")
        }
        if first == UInt8(ascii: "0") {
            advance()
            if let next = byte(at: index), isDigit(next) {
                throw syntaxError("leading zeros are not allowed in numbers")
            }
        } else {
            skipDigits()
        }
        var isInteger = true
        if byte(at: index) == UInt8(ascii: ".") {
            isInteger = false
            advance()
            guard let next = byte(at: index), isDigit(next) else {
                throw syntaxError("expected a digit after the decimal point")
            }
            skipDigits()
        }
        if let marker = byte(at: index), marker == UInt8(ascii: "e") || marker == UInt8(ascii: "E") {
            isInteger = false
            advance()
            if let sign = byte(at: index), sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-") {
                advance()
            }
            guard let next = byte(at: index), isDigit(next) else {
                throw syntaxError("expected a digit in the exponent")
            }
            skipDigits()
        }
        let digits = slice(start..<index)
        if isInteger, let integer = exactInteger(digits, isNegative: isNegative) {
            return .integer(integer)
        }
        guard let decimal = Double(String(decoding: digits, as: UTF8.self)), decimal.isFinite else {
            move(to: start)
            throw syntaxError("number out of range")
        }
        return .decimal(decimal)
    }

    private func isDigit(_ byte: UInt8) -> Bool {
        byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")
    }

    private mutating func skipDigits() {
        while let byte = byte(at: index), isDigit(byte) { advance() }
    }

    /// The integer, or `nil` when it does not fit in `Int64`. Accumulates toward the sign so
    /// that `Int64.min` is representable.
    private func exactInteger(_ text: UnsafeBufferPointer<UInt8>, isNegative: Bool) -> Int64? {
        var value: Int64 = 0
        for byte in text.dropFirst(isNegative ? 1 : 0) {
            let digit = Int64(byte - UInt8(ascii: "0"))
            let (shifted, multiplyOverflow) = value.multipliedReportingOverflow(by: 10)
            guard !multiplyOverflow else { return nil }
            let (next, addOverflow) =
                isNegative ? shifted.subtractingReportingOverflow(digit) : shifted.addingReportingOverflow(digit)
            guard !addOverflow else { return nil }
            value = next
        }
        return value
    }
}
