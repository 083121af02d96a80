extension FilterExpression: CustomStringConvertible {
    /// The filter in canonical text: lower-case operators, strings JSON-escaped, parentheses only
    /// where precedence needs them. ``FilterParser/parse(_:limits:)`` reads it back to an
    /// identical tree.
    public var description: String {
        switch self {
        case .comparison(let path, let comparison, let value):
            return "\(path) \(comparison.rawValue) \(value.filterText)"
        case .present(let path):
            return "\(path) pr"
        case .and(let left, let right):
            return
                "\(left.text(within: .and, isRightOperand: false)) and \(right.text(within: .and, isRightOperand: true))"
        case .or(let left, let right):
            return
                "\(left.text(within: .or, isRightOperand: false)) or \(right.text(within: .or, isRightOperand: true))"
        case .not(let inner):
            return "not (\(inner))"
        case .valuePath(let path, let inner):
            return "\(path)[\(inner)]"
        }
    }

    private enum Level: Int {
        case or = 0
        case and = 1
        case atom = 2
    }

    private var level: Level {
        switch self {
        case .or: return .or
        case .and: return .and
        default: return .atom
        }
    }

    /// Operands bind tighter than their operator; a right operand of the same operator is
    /// parenthesised because `and` and `or` group to the left.
    private func text(within parent: Level, isRightOperand: Bool) -> String {
        if level.rawValue < parent.rawValue || (isRightOperand && level == parent) {
            return "(\(description))"
        }
        return description
    }
}

extension FilterValue: CustomStringConvertible {
    /// The value as a filter writes it.
    public var description: String { filterText }

    var filterText: String {
        switch self {
        case .null: return "null"
        case .bool(let value): return value ? "true" : "false"
        case .integer(let value): return String(value)
        case .decimal(let value):
            // Swift prints the shortest text that reads back to the same Double, always with a
            // fraction or an exponent, so it reparses as a decimal.
            return value.isFinite ? "\(value)" : "null"
        // A filter's string literal is JSON string syntax (RFC 7644 §3.4.2.2).
        case .string(let value): return JSONValue.string(value).jsonString
        }
    }
}
