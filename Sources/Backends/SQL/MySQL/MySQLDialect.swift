import Foundation
import SCIM

/// MySQL and MariaDB: `?` placeholders, backquoted identifiers, `LAST_INSERT_ID()` keys, comparisons
/// left to the column's collation (Chamilo's `utf8_unicode_ci` ignores letter case, and its unique index
/// serves `username = ?`), `utf8mb4_bin` where letter case matters, `FOR UPDATE` row locks.
struct MySQLDialect: SQLDialect {
    var name: String { "mysql" }

    func rewritePlaceholders(_ sql: String) -> String { sql }

    func quote(_ identifier: String) -> String { "`\(identifier)`" }

    var keyRetrieval: GeneratedKeyRetrieval { .lastInsertID }

    func caseInsensitiveComparison(_ lhs: String, _ op: String) -> String {
        "\(lhs) \(op) ?"
    }

    func caseSensitiveComparison(_ lhs: String, _ op: String) -> String {
        "\(lhs) \(op) ? COLLATE utf8mb4_bin"
    }

    func caseInsensitiveOrdering(_ expression: String) -> String { expression }

    func substringMatch(_ lhs: String, _ match: SubstringMatch, value: String, caseInsensitive: Bool) -> SQLFragment {
        let pattern = LikePattern.make(match, value)
        if caseInsensitive {
            return SQLFragment("\(lhs) LIKE ? ESCAPE '!'", [.text(pattern)])
        }
        return SQLFragment("\(lhs) LIKE ? COLLATE utf8mb4_bin ESCAPE '!'", [.text(pattern)])
    }

    /// A server-wide named lock, held across the short transaction that creates the definitions.
    var definitionLock: DefinitionLock? {
        DefinitionLock(
            acquire: "SELECT GET_LOCK('scim_gateway_extra_field', 30)",
            heldByTransaction: false,
            release: "SELECT RELEASE_LOCK('scim_gateway_extra_field')"
        )
    }

    var rowLockClause: String { "FOR UPDATE" }

    var beginWriteTransaction: String { "START TRANSACTION" }

    var beginReadTransaction: String { "START TRANSACTION READ ONLY" }

    /// Chamilo 2.0 keeps UUIDs in `BINARY(16)` (Doctrine's `uuid` type on MySQL).
    func uuidValue(_ uuid: UUID) -> SQLValue {
        withUnsafeBytes(of: uuid.uuid) { .blob(Array($0)) }
    }

    func classify(_ error: SQLDriverError, attributeForColumn: (String) -> String?) -> SCIMError {
        clientClassification(error, attributeForColumn: attributeForColumn)
    }
}

/// A MariaDB connection for the engine: read-committed transactions, so that a row read after
/// `SELECT … FOR UPDATE` waited for the lock shows what the previous holder committed.
final class MySQLEngineConnection: SQLClientConnection {
    private let base: MariaDBConnection

    private init(base: MariaDBConnection) {
        self.base = base
    }

    static func connect(_ configuration: MariaDBConfiguration) throws(SQLClientError) -> MySQLEngineConnection {
        let base = try MariaDBConnection.connect(configuration)
        _ = try base.execute("SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED", [])
        return MySQLEngineConnection(base: base)
    }

    func execute(_ sql: String, _ binds: [SQLValue]) throws(SQLClientError) -> SQLResultSet {
        try base.execute(sql, binds)
    }

    func beginTransaction() throws(SQLClientError) { try base.beginTransaction() }

    func commit() throws(SQLClientError) { try base.commit() }

    func rollback() throws(SQLClientError) { try base.rollback() }

    func isAlive(ping: Bool) -> Bool { base.isAlive(ping: ping) }
}

/// Opens MariaDB or MySQL connections through the client's bounded, self-healing pool.
struct MySQLDriver: SQLDriver {
    let configuration: MariaDBConfiguration

    var dialect: any SQLDialect { MySQLDialect() }

    func connect() throws(SQLDriverError) -> any SQLConnection {
        do {
            return ClientEngineConnection(try MySQLEngineConnection.connect(configuration))
        } catch {
            throw SQLDriverError(client: error)
        }
    }

    func makeLender(maximum: Int) -> any SQLConnectionLender {
        ClientPoolLender(
            pool: ConnectionPool<MySQLEngineConnection>(
                configuration: configuration,
                maxConnections: maximum,
                checkoutTimeout: configuration.connectTimeout + configuration.statementTimeout
            )
        )
    }

    /// The columns of a table in the connection's database, typed as MySQL writes them (`varchar(100)`,
    /// `int(11)`, `tinyint(1)`, `binary(16)`).
    func columns(of table: String, on connection: any SQLConnection) throws(SQLDriverError) -> [String: String]? {
        let rows = try connection.run(
            "SELECT COLUMN_NAME, COLUMN_TYPE FROM information_schema.COLUMNS "
                + "WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ?",
            [.text(table)]
        ).rows
        guard !rows.isEmpty else { return nil }
        var columns: [String: String] = [:]
        for row in rows where row.count == 2 {
            guard let name = row[0].textValue else { continue }
            columns[name.lowercased()] = row[1].textValue ?? ""
        }
        return columns
    }
}
