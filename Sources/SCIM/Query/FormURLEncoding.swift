/// Query strings as `application/x-www-form-urlencoded` (the WHATWG URL standard's parser): pairs
/// split at `&`, name and value at the first `=`, `+` read as a space, then percent-escapes decoded
/// as UTF-8. A `%` not followed by two hexadecimal digits stays as it is, and bytes that are not
/// UTF-8 become U+FFFD, as browsers do; nothing a client sends makes decoding fail.
public enum FormURLEncoding {
    /// The name/value pairs of a query string (without the leading `?`), in order; empty names and
    /// values are kept, empty pairs (`a=1&&b=2`) are skipped.
    public static func pairs(_ query: Substring) -> [(name: String, value: String)] {
        var result: [(name: String, value: String)] = []
        for pair in query.utf8.split(separator: UInt8(ascii: "&"), omittingEmptySubsequences: true) {
            if let equals = pair.firstIndex(of: UInt8(ascii: "=")) {
                result.append(
                    (decode(pair[pair.startIndex..<equals]), decode(pair[pair.index(after: equals)...]))
                )
            } else {
                result.append((decode(pair[...]), ""))
            }
        }
        return result
    }

    /// The pairs of a query string.
    public static func pairs(_ query: String) -> [(name: String, value: String)] {
        pairs(query[...])
    }

    /// One name or value: `+` is a space, `%XX` the byte XX.
    public static func decode(_ bytes: some Collection<UInt8>) -> String {
        var output: [UInt8] = []
        output.reserveCapacity(bytes.count)
        var index = bytes.startIndex
        while index != bytes.endIndex {
            let byte = bytes[index]
            if byte == UInt8(ascii: "+") {
                output.append(UInt8(ascii: " "))
            } else if byte == UInt8(ascii: "%"),
                case let first = bytes.index(after: index), first != bytes.endIndex,
                case let second = bytes.index(after: first), second != bytes.endIndex,
                let high = hexValue(bytes[first]), let low = hexValue(bytes[second])
            {
                output.append(high << 4 | low)
                index = second
            } else {
                output.append(byte)
            }
            index = bytes.index(after: index)
        }
        return String(decoding: output, as: UTF8.self)
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return byte - UInt8(ascii: "A") + 10
        default: return nil
        }
    }
}
