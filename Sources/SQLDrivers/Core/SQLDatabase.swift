/// One database as the rest of the gateway sees it: a dialect and a bounded ``ConnectionPool`` of
/// connections of one engine, whichever it is. Made by the engine's factory
/// (``SQLDatabase/postgres(_:maxConnections:checkoutTimeout:)``, ``SQLDatabase/mysql(_:maxConnections:checkoutTimeout:)``,
/// ``SQLDatabase/sqlite(_:maxConnections:checkoutTimeout:creatingFolder:)``).
///
/// Bodies are synchronous and run on the leased connection's own thread, so a transaction never waits on
/// anything but the database while it holds locks. Statements use `?` placeholders in every dialect; the
/// dialect rewrites them for the server.
public struct SQLDatabase: Sendable {
    /// How to write SQL for this engine.
    public let dialect: any SQLDialect
    private let pool: any ConnectionLending

    /// A database over `pool`, spoken to in `dialect`.
    public init<Connection: SQLConnection>(dialect: any SQLDialect, pool: ConnectionPool<Connection>) {
        self.dialect = dialect
        self.pool = pool
    }

    /// Runs `body` with a leased connection outside any explicit transaction (schema checks, DDL).
    public func withConnection<T: Sendable>(_ body: @Sendable (any SQLConnection) throws -> T) async throws -> T {
        try await pool.lend(transaction: nil, body)
    }

    /// Runs `body` in one transaction: committed when it returns, rolled back when it throws; a failed
    /// COMMIT or a broken connection is handled by the pool for every engine. With `lock` (the
    /// dialect's ``SQLDialect/definitionLock``), the transaction runs while holding it.
    public func withTransaction<T: Sendable>(
        _ kind: SQLTransactionKind,
        holding lock: SQLLock? = nil,
        _ body: @Sendable (any SQLConnection) throws -> T
    ) async throws -> T {
        try await pool.lend(transaction: (kind, lock), body)
    }

    /// Runs one statement with `?` placeholders and returns its rows, each in column order.
    @discardableResult
    public func execute(_ sql: String, _ binds: [SQLValue]) async throws -> [[SQLValue]] {
        let statement = dialect.rewritePlaceholders(sql)
        return try await withConnection { connection in try connection.execute(statement, binds).rows }
    }

    /// Runs statements with `?` placeholders in one write transaction.
    public func transaction<T: Sendable>(
        _ body: @Sendable (_ execute: (String, [SQLValue]) throws -> [[SQLValue]]) throws -> T
    ) async throws -> T {
        let dialect = self.dialect
        return try await withTransaction(.write) { connection in
            try body { sql, binds in try connection.execute(dialect.rewritePlaceholders(sql), binds).rows }
        }
    }

    /// Runs a script of several statements without parameters, such as a DDL file
    /// (`schemas/<engine>/<mapping>.sql`). Never pass values from requests here.
    public func executeScript(_ sql: String) async throws {
        try await withConnection { connection in try connection.executeScript(sql) }
    }

    /// Reaches the database on a connection of its own (readiness).
    public func probe() async throws {
        try await pool.probe()
    }

    /// Closes the connections; connections in use close when their body returns.
    public func close() async {
        await pool.shutdown()
    }
}

/// What ``SQLDatabase`` needs of a pool, without its connection type.
private protocol ConnectionLending: Sendable {
    func lend<T: Sendable>(
        transaction: (kind: SQLTransactionKind, lock: SQLLock?)?,
        _ body: @Sendable (any SQLConnection) throws -> T
    ) async throws -> T
    func probe() async throws
    func shutdown() async
}

extension ConnectionPool: ConnectionLending {
    fileprivate nonisolated func lend<T: Sendable>(
        transaction: (kind: SQLTransactionKind, lock: SQLLock?)?,
        _ body: @Sendable (any SQLConnection) throws -> T
    ) async throws -> T {
        guard let transaction else {
            return try await withConnection { connection in try body(connection) }
        }
        return try await withTransaction(transaction.kind, holding: transaction.lock) { connection in
            try body(connection)
        }
    }
}
