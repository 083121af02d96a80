/// A value bound to, or read from, an SQL statement.
public enum SQLValue: Sendable, Hashable {
    case null
    case integer(Int64)
    case double(Double)
    case text(String)
    case blob([UInt8])
}

extension SQLValue {
    /// The text of a text value, or the decimal text of a number.
    public var textValue: String? {
        switch self {
        case .text(let value): return value
        case .integer(let value): return String(value)
        case .double(let value): return String(value)
        case .null, .blob: return nil
        }
    }

    /// The integer of an integer value, or of text holding one.
    public var integerValue: Int64? {
        switch self {
        case .integer(let value): return value
        case .text(let value): return Int64(value)
        case .double(let value): return Int64(exactly: value)
        case .null, .blob: return nil
        }
    }

    /// Whether the value is null.
    public var isNull: Bool { self == .null }
}
