/// PostgreSQL: `$n` placeholders, double-quoted identifiers, `RETURNING` keys, `lower(column) =
/// lower($n)` comparisons (served by a `lower(username)` index, also for `LIKE`), `FOR UPDATE` row
/// locks inside read-committed transactions.
public struct PostgreSQLDialect: SQLDialect {
    public init() {}

    public var name: String { "postgres" }

    public func rewritePlaceholders(_ sql: String) -> String {
        PostgreSQLPlaceholders.rewrite(sql).sql
    }

    public func caseInsensitiveComparison(_ lhs: String, _ op: String) -> String {
        "lower(\(lhs)) \(op) lower(?)"
    }

    public func caseInsensitiveOrdering(_ expression: String) -> String {
        "lower(\(expression))"
    }

    /// A transaction-scoped advisory lock (the key is an arbitrary constant of the gateway's).
    public var definitionLock: SQLLock? {
        SQLLock(acquire: "SELECT pg_advisory_xact_lock(7381640217)", heldByTransaction: true, release: nil)
    }

    public func generatedKeyColumn(_ name: String) -> String { "\(quote(name)) BIGSERIAL PRIMARY KEY" }

    public var doubleType: String { "DOUBLE PRECISION" }
}

extension SQLDatabase {
    /// A PostgreSQL database of up to `maxConnections` connections; none opens before the first statement.
    /// A caller waits at most `checkoutTimeout` for a free connection (default: the connect timeout plus
    /// the statement timeout) before getting an `unavailable` error.
    public static func postgres(
        _ configuration: PostgreSQLConfiguration,
        maxConnections: Int,
        checkoutTimeout: Duration? = nil
    ) -> SQLDatabase {
        SQLDatabase(
            dialect: PostgreSQLDialect(),
            pool: ConnectionPool<PostgreSQLConnection>(
                configuration: configuration,
                maxConnections: maxConnections,
                checkoutTimeout: checkoutTimeout ?? configuration.checkoutTimeout
            )
        )
    }
}
