/// A piece of SQL with `?` placeholders and the values bound to them, in order.
struct SQLFragment: Sendable, Hashable, CustomStringConvertible {
    /// The SQL text.
    var sql: String
    /// The bound values.
    var binds: [SQLValue]

    init(_ sql: String, _ binds: [SQLValue] = []) {
        self.sql = sql
        self.binds = binds
    }

    /// Appends text and its binds.
    static func + (lhs: SQLFragment, rhs: SQLFragment) -> SQLFragment {
        SQLFragment(lhs.sql + rhs.sql, lhs.binds + rhs.binds)
    }

    /// Appends text and its binds.
    static func += (lhs: inout SQLFragment, rhs: SQLFragment) {
        lhs = lhs + rhs
    }

    /// Fragments joined by a separator such as ` AND `.
    static func joined(_ fragments: [SQLFragment], separator: String) -> SQLFragment {
        SQLFragment(fragments.map(\.sql).joined(separator: separator), fragments.flatMap(\.binds))
    }

    var description: String { "\(sql) \(binds)" }
}

extension SQLValue {
    /// The text of a text value, or the decimal text of a number.
    var textValue: String? {
        switch self {
        case .text(let value): return value
        case .integer(let value): return String(value)
        case .double(let value): return String(value)
        case .null, .blob: return nil
        }
    }

    /// The integer of an integer value, or of text holding one.
    var integerValue: Int64? {
        switch self {
        case .integer(let value): return value
        case .text(let value): return Int64(value)
        case .double(let value): return Int64(exactly: value)
        case .null, .blob: return nil
        }
    }

    /// Whether the value is null.
    var isNull: Bool { self == .null }
}
