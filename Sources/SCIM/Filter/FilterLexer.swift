/// One token of a filter, with the offset (in Unicode scalars) where it starts.
struct FilterToken: Sendable {
    enum Kind: Sendable, Equatable {
        case leftParenthesis
        case rightParenthesis
        case leftBracket
        case rightBracket
        case string(String)
        /// Attribute paths, operators, keywords, numbers and literals.
        case word(String)
        case end
    }

    var kind: Kind
    var offset: Int

    /// How an error detail names this token.
    var detailName: String {
        switch kind {
        case .leftParenthesis: return "'('"
        case .rightParenthesis: return "')'"
        case .leftBracket: return "'['"
        case .rightBracket: return "']'"
        case .string(let text): return "the string \"\(text.truncatedForDetail)\""
        case .word(let text): return "'\(text.truncatedForDetail)'"
        case .end: return "the end of the filter"
        }
    }
}

/// Splits a filter into tokens. Strings follow JSON (RFC 8259 §7); everything else is split on
/// whitespace, parentheses, brackets and quotes.
struct FilterLexer {
    private let scalars: [Unicode.Scalar]
    private var position = 0

    init(_ scalars: [Unicode.Scalar]) {
        self.scalars = scalars
    }

    /// Every token, ending with `.end`.
    mutating func tokenize() throws(SCIMError) -> [FilterToken] {
        var tokens: [FilterToken] = []
        while true {
            let token = try next()
            tokens.append(token)
            if token.kind == .end { return tokens }
        }
    }

    private mutating func next() throws(SCIMError) -> FilterToken {
        while position < scalars.count, scalars[position].properties.isWhitespace {
            position += 1
        }
        guard position < scalars.count else { return FilterToken(kind: .end, offset: position) }
        let start = position
        let scalar = scalars[position]
        switch scalar {
        case "(":
            position += 1
            return FilterToken(kind: .leftParenthesis, offset: start)
        case ")":
            position += 1
            return FilterToken(kind: .rightParenthesis, offset: start)
        case "[":
            position += 1
            return FilterToken(kind: .leftBracket, offset: start)
        case "]":
            position += 1
            return FilterToken(kind: .rightBracket, offset: start)
        case "\"":
            return FilterToken(kind: .string(try string()), offset: start)
        default:
            if scalar.isFilterControl {
                throw FilterParser.error(at: start, "unexpected character \(scalar.detailName)")
            }
            var word = String.UnicodeScalarView()
            while position < scalars.count {
                let current = scalars[position]
                if current.properties.isWhitespace || "()[]\"".unicodeScalars.contains(current) { break }
                if current.isFilterControl {
                    throw FilterParser.error(at: position, "unexpected character \(current.detailName)")
                }
                word.append(current)
                position += 1
            }
            return FilterToken(kind: .word(String(word)), offset: start)
        }
    }

    /// A JSON string starting at the opening quote.
    private mutating func string() throws(SCIMError) -> String {
        let start = position
        position += 1
        var text = String.UnicodeScalarView()
        while position < scalars.count {
            let scalar = scalars[position]
            switch scalar {
            case "\"":
                position += 1
                return String(text)
            case "\\":
                text.append(try escape())
            default:
                if scalar.value < 0x20 {
                    throw FilterParser.error(
                        at: position,
                        "control character \(scalar.detailName) inside a string must be escaped"
                    )
                }
                text.append(scalar)
                position += 1
            }
        }
        throw FilterParser.error(at: start, "unterminated string")
    }

    /// One escape sequence starting at the backslash.
    private mutating func escape() throws(SCIMError) -> Unicode.Scalar {
        let start = position
        guard position + 1 < scalars.count else { throw FilterParser.error(at: start, "unterminated escape sequence") }
        let letter = scalars[position + 1]
        position += 2
        switch letter {
        case "\"": return "\""
        case "\\": return "\\"
        case "/": return "/"
        case "b": return "\u{08}"
        case "f": return "\u{0C}"
        case "n": return "\n"
        case "r": return "\r"
        case "t": return "\t"
        case "u":
            let high = try hexQuad(escapeStart: start)
            if (0xD800...0xDBFF).contains(high) {
                guard position + 1 < scalars.count, scalars[position] == "\\", scalars[position + 1] == "u" else {
                    throw FilterParser.error(at: start, "unpaired UTF-16 surrogate in \\u escape")
                }
                let lowStart = position
                position += 2
                let low = try hexQuad(escapeStart: lowStart)
                guard (0xDC00...0xDFFF).contains(low) else {
                    throw FilterParser.error(at: lowStart, "unpaired UTF-16 surrogate in \\u escape")
                }
                let combined = 0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00)
                guard let scalar = Unicode.Scalar(combined) else {
                    throw FilterParser.error(at: start, "invalid \\u escape")
                }
                return scalar
            }
            guard let scalar = Unicode.Scalar(high) else {
                throw FilterParser.error(at: start, "unpaired UTF-16 surrogate in \\u escape")
            }
            return scalar
        default:
            throw FilterParser.error(at: start, "invalid escape sequence \\\(letter.detailName)")
        }
    }

    /// Four hexadecimal digits after `\u`.
    private mutating func hexQuad(escapeStart: Int) throws(SCIMError) -> UInt32 {
        guard position + 4 <= scalars.count else {
            throw FilterParser.error(at: escapeStart, "\\u escape needs four hexadecimal digits")
        }
        var value: UInt32 = 0
        for scalar in scalars[position..<(position + 4)] {
            guard let digit = scalar.filterHexDigit else {
                throw FilterParser.error(at: escapeStart, "\\u escape needs four hexadecimal digits")
            }
            value = value * 16 + digit
        }
        position += 4
        return value
    }
}

extension Unicode.Scalar {
    /// C0 and C1 control characters, NUL included: never valid outside a string.
    var isFilterControl: Bool { value < 0x20 || (0x7F...0x9F).contains(value) }

    var filterHexDigit: UInt32? {
        switch self {
        case "0"..."9": return value - 48
        case "a"..."f": return value - 87
        case "A"..."F": return value - 55
        default: return nil
        }
    }
}
