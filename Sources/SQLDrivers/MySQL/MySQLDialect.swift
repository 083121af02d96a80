import Foundation

/// MySQL and MariaDB: `?` placeholders, backquoted identifiers, `LAST_INSERT_ID()` keys, comparisons
/// left to the column's collation (Chamilo's `utf8_unicode_ci` ignores letter case, and its unique index
/// serves `username = ?`), `utf8mb4_bin` where letter case matters, `FOR UPDATE` row locks.
public struct MySQLDialect: SQLDialect {
    public init() {}

    public var name: String { "mysql" }

    public func quote(_ identifier: String) -> String { "`\(identifier)`" }

    public var keyRetrieval: GeneratedKeyRetrieval { .lastInsertID }

    /// MySQL has no `RETURNING`; MariaDB's is for `INSERT` and `DELETE` only.
    public var hasUpdateReturning: Bool { false }

    public func caseInsensitiveComparison(_ lhs: String, _ op: String) -> String {
        "\(lhs) \(op) ?"
    }

    public func caseSensitiveComparison(_ lhs: String, _ op: String) -> String {
        "\(lhs) \(op) ? COLLATE utf8mb4_bin"
    }

    public func caseInsensitiveOrdering(_ expression: String) -> String { expression }

    /// A server-wide named lock, held across the short transaction that creates the definitions.
    public var definitionLock: SQLLock? {
        SQLLock(
            acquire: "SELECT GET_LOCK('scim_gateway_extra_field', 30)",
            heldByTransaction: false,
            release: "SELECT RELEASE_LOCK('scim_gateway_extra_field')"
        )
    }

    public func generatedKeyColumn(_ name: String) -> String {
        "\(quote(name)) BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY"
    }

    public var doubleType: String { "DOUBLE" }

    /// Chamilo 2.0 keeps UUIDs in `BINARY(16)` (Doctrine's `uuid` type on MySQL).
    public func uuidValue(_ uuid: UUID) -> SQLValue {
        withUnsafeBytes(of: uuid.uuid) { .blob(Array($0)) }
    }
}

extension SQLDatabase {
    /// A MariaDB or MySQL database of up to `maxConnections` connections; none opens before the first
    /// statement. A caller waits at most `checkoutTimeout` for a free connection (default: the connect
    /// timeout plus the statement timeout) before getting an `unavailable` error.
    public static func mysql(
        _ configuration: MySQLConfiguration,
        maxConnections: Int,
        checkoutTimeout: Duration? = nil
    ) -> SQLDatabase {
        SQLDatabase(
            dialect: MySQLDialect(),
            pool: ConnectionPool<MySQLConnection>(
                configuration: configuration,
                maxConnections: maxConnections,
                checkoutTimeout: checkoutTimeout ?? configuration.checkoutTimeout
            )
        )
    }
}
