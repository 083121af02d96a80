/// PHP's `serialize()` form of a list of strings, as Doctrine's `array` type stores Chamilo 2.0's
/// `user.roles`: `a:2:{i:0;s:10:"ROLE_ADMIN";i:1;s:12:"ROLE_TEACHER";}`. String lengths count UTF-8 bytes.
enum PHPSerializedArray {
    /// The serialised form of `strings`, keyed 0, 1, 2, …
    static func encode(_ strings: [String]) -> String {
        var text = "a:\(strings.count):{"
        for (index, string) in strings.enumerated() {
            text += "i:\(index);s:\(string.utf8.count):\"\(string)\";"
        }
        return text + "}"
    }

    /// The string values of a serialised array (an empty text is an empty array); nil when the text is
    /// not an array whose keys are integers or strings and whose values are strings.
    static func decode(_ text: String) -> [String]? {
        let bytes = Array(text.utf8)
        if bytes.isEmpty { return [] }
        var reader = Reader(bytes: bytes)
        guard reader.expect("a:"), let count = reader.integer(until: UInt8(ascii: ":")), count >= 0,
            count <= bytes.count, reader.expect("{")
        else { return nil }
        var values: [String] = []
        for _ in 0..<count {
            guard reader.key(), let value = reader.string() else { return nil }
            values.append(value)
        }
        guard reader.expect("}"), reader.isAtEnd else { return nil }
        return values
    }

    private struct Reader {
        let bytes: [UInt8]
        var index = 0

        var isAtEnd: Bool { index == bytes.count }

        mutating func expect(_ literal: String) -> Bool {
            let wanted = Array(literal.utf8)
            guard index + wanted.count <= bytes.count, Array(bytes[index..<index + wanted.count]) == wanted else {
                return false
            }
            index += wanted.count
            return true
        }

        /// A decimal integer followed by `terminator` (consumed).
        mutating func integer(until terminator: UInt8) -> Int? {
            var digits = ""
            while index < bytes.count, bytes[index] != terminator, digits.count < 19 {
                digits.unicodeScalars.append(Unicode.Scalar(bytes[index]))
                index += 1
            }
            guard index < bytes.count, bytes[index] == terminator, let value = Int(digits) else { return nil }
            index += 1
            return value
        }

        /// An integer key `i:N;` or a string key.
        mutating func key() -> Bool {
            if expect("i:") { return integer(until: UInt8(ascii: ";")) != nil }
            return string() != nil
        }

        /// `s:LEN:"…";`
        mutating func string() -> String? {
            guard expect("s:"), let length = integer(until: UInt8(ascii: ":")), length >= 0, expect("\""),
                index + length <= bytes.count
            else { return nil }
            let value = String(decoding: bytes[index..<index + length], as: UTF8.self)
            index += length
            guard expect("\";") else { return nil }
            return value
        }
    }
}
