/// The outcome of one statement.
struct SQLResult: Sendable {
    /// The rows, each in column order.
    var rows: [[SQLValue]]
    /// How many rows an INSERT, UPDATE or DELETE changed.
    var changes: Int
    /// The key of the last inserted row, where the driver reports it.
    var lastInsertID: Int64?
}

/// One open database connection. Implementations own their C handle and free it in `deinit`.
/// Calls block: the engine makes them on a thread pool, never on an event loop, and a connection
/// is used by one task at a time (it is leased from ``SQLConnectionPool``).
protocol SQLConnection: AnyObject, Sendable {
    /// Runs one statement (already in the dialect's placeholder form) with bound parameters.
    func run(_ sql: String, _ binds: [SQLValue]) throws(SQLDriverError) -> SQLResult
}

/// Opens connections of one kind and says how to speak to them.
protocol SQLDriver: Sendable {
    /// The dialect of the connections.
    var dialect: any SQLDialect { get }
    /// Opens a connection (blocking).
    func connect() throws(SQLDriverError) -> any SQLConnection
    /// Every column of a table with its declared type, or nil when the table does not exist (blocking).
    func columns(of table: String, on connection: any SQLConnection) throws(SQLDriverError) -> [String: String]?
}
