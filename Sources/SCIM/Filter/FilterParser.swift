/// Parses the filter grammar of RFC 7644 §3.4.2.2.
///
/// Precedence is `not` over `and` over `or`; `and` and `or` group to the left. Operators and
/// keywords are case-insensitive. Every error is a 400 `invalidFilter` whose detail names the
/// offset (in Unicode scalars, the character offset for ASCII text) and what was expected there.
/// The parser checks the nesting depth before each recursion, so no input can exhaust the stack.
public enum FilterParser {
    /// Parses a filter.
    /// - Throws: ``SCIMError`` `invalidFilter`.
    public static func parse(_ text: String, limits: FilterLimits = .init()) throws -> FilterExpression {
        try parseTyped(text, limits: limits)
    }

    static func parseTyped(_ text: String, limits: FilterLimits) throws(SCIMError) -> FilterExpression {
        let scalars = Array(text.unicodeScalars)
        guard scalars.count <= limits.maxLength else {
            throw SCIMError.invalidFilter(
                "The filter is \(scalars.count) characters long; the limit is \(limits.maxLength)."
            )
        }
        var lexer = FilterLexer(scalars)
        var parser = Parser(
            tokens: try lexer.tokenize(),
            maxDepth: min(max(limits.maxDepth, 0), FilterLimits.hardDepthCeiling)
        )
        return try parser.parseFilter()
    }

    static func error(at offset: Int, _ reason: String) -> SCIMError {
        SCIMError.invalidFilter("Invalid filter at offset \(offset): \(reason).")
    }
}

extension FilterParser {
    fileprivate struct Parser {
        let tokens: [FilterToken]
        let maxDepth: Int
        var index = 0
        /// `and`/`or` chains nest the tree one level per operator, so their number is bounded too:
        /// evaluating, printing and comparing trees recurse over that depth.
        var logicalOperators = 0
        static let maxLogicalOperators = 1000

        init(tokens: [FilterToken], maxDepth: Int) {
            self.tokens = tokens
            self.maxDepth = maxDepth
        }

        var current: FilterToken { tokens[min(index, tokens.count - 1)] }

        func peek(_ distance: Int) -> FilterToken { tokens[min(index + distance, tokens.count - 1)] }

        func isKeyword(_ token: FilterToken, _ keyword: String) -> Bool {
            if case .word(let word) = token.kind { return word.lowercased() == keyword }
            return false
        }

        mutating func parseFilter() throws(SCIMError) -> FilterExpression {
            if current.kind == .end { throw FilterParser.error(at: 0, "the filter is empty") }
            let expression = try parseOr(depth: 0, inValueFilter: false)
            guard current.kind == .end else {
                throw FilterParser.error(
                    at: current.offset,
                    "expected 'and', 'or' or the end of the filter, found \(current.detailName)"
                )
            }
            return expression
        }

        mutating func parseOr(depth: Int, inValueFilter: Bool) throws(SCIMError) -> FilterExpression {
            var left = try parseAnd(depth: depth, inValueFilter: inValueFilter)
            while isKeyword(current, "or") {
                try countLogicalOperator()
                index += 1
                let right = try parseAnd(depth: depth, inValueFilter: inValueFilter)
                left = .or(left, right)
            }
            return left
        }

        mutating func parseAnd(depth: Int, inValueFilter: Bool) throws(SCIMError) -> FilterExpression {
            var left = try parseUnary(depth: depth, inValueFilter: inValueFilter)
            while isKeyword(current, "and") {
                try countLogicalOperator()
                index += 1
                let right = try parseUnary(depth: depth, inValueFilter: inValueFilter)
                left = .and(left, right)
            }
            return left
        }

        mutating func countLogicalOperator() throws(SCIMError) {
            logicalOperators += 1
            guard logicalOperators <= Self.maxLogicalOperators else {
                throw FilterParser.error(
                    at: current.offset,
                    "the filter has more than \(Self.maxLogicalOperators) 'and' and 'or' operators"
                )
            }
        }

        func checkDepth(_ depth: Int, at offset: Int) throws(SCIMError) {
            guard depth <= maxDepth else {
                throw FilterParser.error(at: offset, "the filter nests deeper than \(maxDepth) levels")
            }
        }

        mutating func parseUnary(depth: Int, inValueFilter: Bool) throws(SCIMError) -> FilterExpression {
            let token = current
            switch token.kind {
            case .leftParenthesis:
                try checkDepth(depth + 1, at: token.offset)
                index += 1
                let inner = try parseOr(depth: depth + 1, inValueFilter: inValueFilter)
                try expect(.rightParenthesis, "')' to close the '(' at offset \(token.offset)")
                return inner
            case .word where isKeyword(token, "not") && peek(1).kind == .leftParenthesis:
                try checkDepth(depth + 1, at: token.offset)
                let parenthesis = peek(1)
                index += 2
                let inner = try parseOr(depth: depth + 1, inValueFilter: inValueFilter)
                try expect(.rightParenthesis, "')' to close the '(' at offset \(parenthesis.offset)")
                return .not(inner)
            case .word(let word):
                if word.lowercased() == "not", case .word(let next) = peek(1).kind,
                    isOperator(next) == false
                {
                    throw FilterParser.error(at: peek(1).offset, "expected '(' after 'not'")
                }
                return try parseAttributeExpression(word, at: token.offset, depth: depth, inValueFilter: inValueFilter)
            default:
                throw FilterParser.error(
                    at: token.offset,
                    "expected an attribute path, '(' or 'not', found \(token.detailName)"
                )
            }
        }

        func isOperator(_ word: String) -> Bool {
            let lowered = word.lowercased()
            return lowered == "pr" || ComparisonOperator(rawValue: lowered) != nil
        }

        mutating func expect(_ kind: FilterToken.Kind, _ what: String) throws(SCIMError) {
            guard current.kind == kind else {
                throw FilterParser.error(at: current.offset, "expected \(what), found \(current.detailName)")
            }
            index += 1
        }

        mutating func parseAttributeExpression(
            _ word: String,
            at offset: Int,
            depth: Int,
            inValueFilter: Bool
        ) throws(SCIMError) -> FilterExpression {
            let path: AttributePath
            switch AttributePath.scan(word) {
            case .success(let parsed): path = parsed
            case .failure(let failure): throw FilterParser.error(at: offset + failure.offset, failure.reason)
            }
            if inValueFilter, path.schema != nil || path.subAttribute != nil {
                throw FilterParser.error(
                    at: offset,
                    "inside a value filter, expected a sub-attribute name, found '\(word.truncatedForDetail)'"
                )
            }
            index += 1
            if current.kind == .leftBracket {
                let bracket = current
                if inValueFilter {
                    throw FilterParser.error(at: bracket.offset, "value filters cannot be nested")
                }
                if path.subAttribute != nil {
                    throw FilterParser.error(
                        at: bracket.offset,
                        "a value filter applies to an attribute, not to the sub-attribute '\(path.subAttribute ?? "")'"
                    )
                }
                try checkDepth(depth + 1, at: bracket.offset)
                index += 1
                let inner = try parseOr(depth: depth + 1, inValueFilter: true)
                try expect(.rightBracket, "']' to close the '[' at offset \(bracket.offset)")
                return .valuePath(path, inner)
            }
            let operatorToken = current
            guard case .word(let operatorWord) = operatorToken.kind, isOperator(operatorWord) else {
                throw FilterParser.error(
                    at: operatorToken.offset,
                    "expected an operator (eq, ne, co, sw, ew, gt, ge, lt, le or pr) after '\(word.truncatedForDetail)', "
                        + "found \(operatorToken.detailName)"
                )
            }
            index += 1
            guard let comparison = ComparisonOperator(rawValue: operatorWord.lowercased()) else {
                return .present(path)
            }
            return .comparison(path, comparison, try parseValue(after: operatorWord))
        }

        mutating func parseValue(after operatorWord: String) throws(SCIMError) -> FilterValue {
            let token = current
            let expected = "a value (a string, a number, true, false or null) after '\(operatorWord)'"
            switch token.kind {
            case .string(let text):
                index += 1
                return .string(text)
            case .word(let word):
                let value: FilterValue
                switch word.lowercased() {
                case "true": value = .bool(true)
                case "false": value = .bool(false)
                case "null": value = .null
                default:
                    // A bare word that is not a number is a string: Microsoft documents
                    // `externalId eq jyoung`, and Entra's own tests send such values unquoted.
                    value = FilterParser.number(word) ?? .string(word)
                }
                index += 1
                return value
            default:
                throw FilterParser.error(at: token.offset, "expected \(expected), found \(token.detailName)")
            }
        }
    }

    /// A JSON number (RFC 8259 §6): an integer when it has neither fraction nor exponent and fits
    /// 64 bits, a decimal otherwise.
    static func number(_ word: String) -> FilterValue? {
        let scalars = Array(word.unicodeScalars)
        var index = 0
        func digits() -> Int {
            let start = index
            while index < scalars.count, scalars[index].isFilterDigit { index += 1 }
            return index - start
        }
        if index < scalars.count, scalars[index] == "-" { index += 1 }
        let integerStart = index
        let integerDigits = digits()
        guard integerDigits > 0 else { return nil }
        if integerDigits > 1, scalars[integerStart] == "0" { return nil }
        var isInteger = true
        if index < scalars.count, scalars[index] == "." {
            index += 1
            guard digits() > 0 else { return nil }
            isInteger = false
        }
        if index < scalars.count, scalars[index] == "e" || scalars[index] == "E" {
            index += 1
            if index < scalars.count, scalars[index] == "+" || scalars[index] == "-" { index += 1 }
            guard digits() > 0 else { return nil }
            isInteger = false
        }
        guard index == scalars.count else { return nil }
        if isInteger, let integer = Int64(word) { return .integer(integer) }
        guard let decimal = Double(word), decimal.isFinite else { return nil }
        return .decimal(decimal)
    }
}
