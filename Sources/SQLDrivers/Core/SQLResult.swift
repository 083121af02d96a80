/// What one statement returned: its columns and rows, how many rows it changed, and the key it generated.
public struct SQLResult: Sendable, Hashable {
    /// The column names, in order.
    public var columns: [String]
    /// The rows, each in column order.
    public var rows: [[SQLValue]]
    /// Rows inserted, updated (matched, also on MariaDB) or deleted; 0 for statements that change nothing.
    public var affectedRows: Int
    /// The key of the last inserted row where the engine reports one (MariaDB's AUTO_INCREMENT value,
    /// SQLite's rowid); `nil` for PostgreSQL (use `RETURNING`).
    public var lastInsertID: Int64?

    /// Makes a result.
    public init(columns: [String] = [], rows: [[SQLValue]] = [], affectedRows: Int = 0, lastInsertID: Int64? = nil) {
        self.columns = columns
        self.rows = rows
        self.affectedRows = affectedRows
        self.lastInsertID = lastInsertID
    }
}
