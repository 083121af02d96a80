/// A pool of MariaDB (or MySQL) connections behind the ``SQLDatabase`` protocol: the connection layer of the
/// MySQL dialect. `?` placeholders are MariaDB's own.
public struct MariaDBDatabase: SQLDatabase {
    public var dialectName: String { "mysql" }

    /// The pool; its bodies run on the connection's own thread.
    let pool: ConnectionPool<MariaDBConnection>

    /// Makes a database with up to `maxConnections` connections; none opens before the first statement.
    /// A caller waits at most `checkoutTimeout` for a free connection (default: the connect timeout plus
    /// the statement timeout) before getting an `unavailable` error.
    public init(
        configuration: MariaDBConfiguration,
        maxConnections: Int = 8,
        checkoutTimeout: Duration? = nil
    ) {
        pool = ConnectionPool(
            configuration: configuration,
            maxConnections: maxConnections,
            checkoutTimeout: checkoutTimeout ?? configuration.connectTimeout + configuration.statementTimeout
        )
    }

    /// Makes a database from a tenant's backend section (`url`, `username`, `password`, pool and timeouts).
    public init(backend: BackendConfiguration) throws(BackendConfigurationError) {
        guard let url = backend.url else {
            throw BackendConfigurationError("tenant '\(backend.tenantID)': a mysql backend needs a url")
        }
        let configuration = try MariaDBConfiguration(
            url: url,
            username: backend.username,
            password: backend.password,
            connectTimeout: backend.connectTimeout,
            statementTimeout: backend.statementTimeout
        )
        self.init(configuration: configuration, maxConnections: backend.poolMax)
    }

    @discardableResult
    public func execute(_ sql: String, _ binds: [SQLValue]) async throws -> [[SQLValue]] {
        try await pool.withConnection { connection in
            try connection.execute(sql, binds).rows
        }
    }

    public func transaction<T: Sendable>(
        _ body: @Sendable (_ execute: (String, [SQLValue]) throws -> [[SQLValue]]) throws -> T
    ) async throws -> T {
        try await pool.withTransaction { connection in
            try body { sql, binds in
                try connection.execute(sql, binds).rows
            }
        }
    }

    public func close() async {
        await pool.shutdown()
    }
}
