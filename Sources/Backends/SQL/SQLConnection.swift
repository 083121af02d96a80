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
    /// Every column of a table with its declared type (`varchar(100)`, `integer`), or nil when the table
    /// does not exist (blocking).
    func columns(of table: String, on connection: any SQLConnection) throws(SQLDriverError) -> [String: String]?
    /// The connections the engine leases; by default a ``SQLConnectionPool`` of ``connect()``ed connections.
    func makeLender(maximum: Int) -> any SQLConnectionLender
    /// Reaches the database on a connection of its own, outside the pool (readiness; blocking).
    func probe() throws(SQLDriverError)
}

extension SQLDriver {
    func makeLender(maximum: Int) -> any SQLConnectionLender {
        SQLConnectionPool(driver: self, maximum: maximum)
    }

    func probe() throws(SQLDriverError) {
        _ = try connect().run("SELECT 1", [])
    }
}

/// Lends the engine a connection for one blocking body at a time, run off the event loop.
protocol SQLConnectionLender: Sendable {
    /// Runs `body` with a connection on a thread that may block, and takes the connection back.
    func lend<T: Sendable>(_ body: @escaping @Sendable (any SQLConnection) throws -> T) async throws -> T
    /// Closes the connections and refuses further loans.
    func close() async
}
