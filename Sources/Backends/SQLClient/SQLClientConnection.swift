/// A blocking connection to a PostgreSQL or MariaDB server.
///
/// Implementations own the C handle: it never leaves them, and their `deinit` frees it. A connection is
/// used by one thread at a time: the pool gives it to one body at a time, on the thread of its
/// ``ConnectionWorker``.
protocol SQLClientConnection: AnyObject, SendableMetatype {
    /// Everything needed to open a connection.
    associatedtype Configuration: Sendable

    /// Opens a connection; a failure to reach or log in to the server is ``SQLClientError/Code/unavailable``.
    static func connect(_ configuration: Configuration) throws(SQLClientError) -> Self

    /// Runs one statement with its parameters bound, never interpolated, in the engine's own placeholder syntax
    /// (`$1` for PostgreSQL, `?` for MariaDB).
    func execute(_ sql: String, _ binds: [SQLValue]) throws(SQLClientError) -> SQLResultSet

    /// Starts a transaction.
    func beginTransaction() throws(SQLClientError)

    /// Commits the transaction; throws when the server rolled it back instead.
    func commit() throws(SQLClientError)

    /// Rolls the transaction back.
    func rollback() throws(SQLClientError)

    /// Whether the connection can still be used. Without `ping`, only a look at the socket (an idle connection
    /// whose socket is readable was closed or told something by the server, which then costs a round trip);
    /// with `ping`, always a round trip.
    func isAlive(ping: Bool) -> Bool
}
