/// Rewrites the portable `?` placeholders to PostgreSQL's `$1`, `$2`, … Question marks inside string
/// literals (`'…'`, `E'…'`), quoted identifiers, dollar-quoted strings and comments stay as they are.
/// (PostgreSQL's JSON operators `?`, `?|` and `?&` cannot be written in portable SQL for that reason.)
enum PostgreSQLPlaceholders {
    /// The statement with every placeholder numbered from `$1`, and how many there were.
    static func rewrite(_ sql: String) -> (sql: String, count: Int) {
        let bytes = Array(sql.utf8)
        var output: [UInt8] = []
        output.reserveCapacity(bytes.count + 16)
        var count = 0
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            switch byte {
            case UInt8(ascii: "?"):
                count += 1
                output.append(UInt8(ascii: "$"))
                output.append(contentsOf: String(count).utf8)
                index += 1
            case UInt8(ascii: "'"):
                let escapes =
                    index > 0 && (bytes[index - 1] | 0x20) == UInt8(ascii: "e") && !isWordByte(before: index - 1, bytes)
                let end = endOfQuoted(bytes, from: index, quote: byte, backslashEscapes: escapes)
                output.append(contentsOf: bytes[index..<end])
                index = end
            case UInt8(ascii: "\""):
                let end = endOfQuoted(bytes, from: index, quote: byte, backslashEscapes: false)
                output.append(contentsOf: bytes[index..<end])
                index = end
            case UInt8(ascii: "-") where index + 1 < bytes.count && bytes[index + 1] == UInt8(ascii: "-"):
                let end = bytes[index...].firstIndex(of: UInt8(ascii: "\n")) ?? bytes.count
                output.append(contentsOf: bytes[index..<end])
                index = end
            case UInt8(ascii: "/") where index + 1 < bytes.count && bytes[index + 1] == UInt8(ascii: "*"):
                let end = endOfBlockComment(bytes, from: index)
                output.append(contentsOf: bytes[index..<end])
                index = end
            case UInt8(ascii: "$"):
                let end = endOfDollarQuoted(bytes, from: index)
                output.append(contentsOf: bytes[index..<end])
                index = end
            default:
                output.append(byte)
                index += 1
            }
        }
        return (String(decoding: output, as: UTF8.self), count)
    }

    /// Whether the byte before `index` continues an identifier (so `e'` in `name'` is not an escape prefix).
    private static func isWordByte(before index: Int, _ bytes: [UInt8]) -> Bool {
        guard index > 0 else { return false }
        let byte = bytes[index - 1]
        return isLetter(byte) || isDigit(byte)
    }

    /// An identifier's letter: ASCII letters, `_` and any byte of a multi-byte UTF-8 character.
    private static func isLetter(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: "_") || byte >= 0x80
            || ((byte | 0x20) >= UInt8(ascii: "a") && (byte | 0x20) <= UInt8(ascii: "z"))
    }

    private static func isDigit(_ byte: UInt8) -> Bool {
        byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")
    }

    /// The index just past the literal opened at `start`; a doubled quote is part of it.
    private static func endOfQuoted(_ bytes: [UInt8], from start: Int, quote: UInt8, backslashEscapes: Bool) -> Int {
        var index = start + 1
        while index < bytes.count {
            if backslashEscapes && bytes[index] == UInt8(ascii: "\\") {
                index += 2
                continue
            }
            if bytes[index] == quote {
                if index + 1 < bytes.count && bytes[index + 1] == quote {
                    index += 2
                    continue
                }
                return index + 1
            }
            index += 1
        }
        return bytes.count
    }

    /// The index just past the (nestable) block comment opened at `start`.
    private static func endOfBlockComment(_ bytes: [UInt8], from start: Int) -> Int {
        var depth = 0
        var index = start
        while index + 1 < bytes.count {
            if bytes[index] == UInt8(ascii: "/") && bytes[index + 1] == UInt8(ascii: "*") {
                depth += 1
                index += 2
            } else if bytes[index] == UInt8(ascii: "*") && bytes[index + 1] == UInt8(ascii: "/") {
                depth -= 1
                index += 2
                if depth == 0 { return index }
            } else {
                index += 1
            }
        }
        return bytes.count
    }

    /// The index just past a `$tag$…$tag$` string opened at `start`, or just past the `$` when it opens none
    /// (a `$1` parameter, or `$` inside an identifier).
    private static func endOfDollarQuoted(_ bytes: [UInt8], from start: Int) -> Int {
        if isWordByte(before: start, bytes) { return start + 1 }
        var tagEnd = start + 1
        while tagEnd < bytes.count, bytes[tagEnd] != UInt8(ascii: "$") {
            let byte = bytes[tagEnd]
            guard isLetter(byte) || (tagEnd > start + 1 && isDigit(byte)) else { return start + 1 }
            tagEnd += 1
        }
        guard tagEnd < bytes.count else { return start + 1 }
        let tag = Array(bytes[start...tagEnd])
        var index = tagEnd + 1
        while index + tag.count <= bytes.count {
            if bytes[index] == UInt8(ascii: "$") && Array(bytes[index..<(index + tag.count)]) == tag {
                return index + tag.count
            }
            index += 1
        }
        return bytes.count
    }
}
