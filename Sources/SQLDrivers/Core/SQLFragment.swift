/// A piece of SQL with `?` placeholders and the values bound to them, in order.
public struct SQLFragment: Sendable, Hashable, CustomStringConvertible {
    /// The SQL text.
    public var sql: String
    /// The bound values.
    public var binds: [SQLValue]

    public init(_ sql: String, _ binds: [SQLValue] = []) {
        self.sql = sql
        self.binds = binds
    }

    /// Appends text and its binds.
    public static func + (lhs: SQLFragment, rhs: SQLFragment) -> SQLFragment {
        SQLFragment(lhs.sql + rhs.sql, lhs.binds + rhs.binds)
    }

    /// Appends text and its binds.
    public static func += (lhs: inout SQLFragment, rhs: SQLFragment) {
        lhs = lhs + rhs
    }

    /// Fragments joined by a separator such as ` AND `.
    public static func joined(_ fragments: [SQLFragment], separator: String) -> SQLFragment {
        SQLFragment(fragments.map(\.sql).joined(separator: separator), fragments.flatMap(\.binds))
    }

    public var description: String { "\(sql) \(binds)" }
}
