import Foundation

/// SQLite: `?` placeholders, double-quoted identifiers, `RETURNING` keys, `COLLATE NOCASE`
/// comparisons (an index on a `COLLATE NOCASE` column serves them), `BEGIN IMMEDIATE` to take the
/// write lock before reading.
public struct SQLiteDialect: SQLDialect {
    public init() {}

    public var name: String { "sqlite" }

    public func caseInsensitiveComparison(_ lhs: String, _ op: String) -> String {
        "\(lhs) \(op) ? COLLATE NOCASE"
    }

    public func caseInsensitiveOrdering(_ expression: String) -> String {
        "\(expression) COLLATE NOCASE"
    }

    public func substringMatch(
        _ lhs: String,
        _ match: SubstringMatch,
        value: String,
        caseInsensitive: Bool
    ) -> SQLFragment {
        if caseInsensitive {
            // LIKE is case-insensitive for ASCII in SQLite; `\` escapes the wildcards.
            let escaped = LikePattern.escaping(value, ["%", "_", "\\"]) { "\\" + String($0) }
            let pattern: String
            switch match {
            case .contains: pattern = "%\(escaped)%"
            case .startsWith: pattern = "\(escaped)%"
            case .endsWith: pattern = "%\(escaped)"
            }
            return SQLFragment("\(lhs) LIKE ? ESCAPE '\\'", [.text(pattern)])
        }
        // GLOB is case-sensitive; its wildcards are escaped by bracketing them.
        let escaped = LikePattern.escaping(value, ["*", "?", "["]) { "[\($0)]" }
        let pattern: String
        switch match {
        case .contains: pattern = "*\(escaped)*"
        case .startsWith: pattern = "\(escaped)*"
        case .endsWith: pattern = "*\(escaped)"
        }
        return SQLFragment("\(lhs) GLOB ?", [.text(pattern)])
    }

    /// `BEGIN IMMEDIATE` serialises writers: no lock of its own is needed.
    public var definitionLock: SQLLock? { nil }

    public var rowLockClause: String { "" }

    public func generatedKeyColumn(_ name: String) -> String { "\(quote(name)) INTEGER PRIMARY KEY AUTOINCREMENT" }

    public var bigIntegerType: String { "INTEGER" }

    public var doubleType: String { "REAL" }
}

extension SQLDatabase {
    /// An SQLite file of up to `maxConnections` connections for reading (WAL mode, so readers never wait
    /// for the writer) and one more for writing; a caller waits at most `checkoutTimeout` for a free
    /// connection. Write transactions take turns in arrival order (see ``ConnectionPool``), each waiting
    /// at most `checkoutTimeout` plus the busy timeout for its turn: as long as it could otherwise have
    /// waited for a connection and then for the lock. With `creatingFolder`, the
    /// file's folder is made if missing (the gateway's own stores); a portal's database is never conjured
    /// up where it is missing.
    public static func sqlite(
        _ configuration: SQLiteConfiguration,
        maxConnections: Int,
        checkoutTimeout: Duration = .seconds(15),
        creatingFolder: Bool = false
    ) throws -> SQLDatabase {
        let url = URL(fileURLWithPath: configuration.path)
        if creatingFolder {
            try FileManager.default.createDirectory(
                at: url.deletingLastPathComponent(),
                withIntermediateDirectories: true
            )
        }
        var configuration = configuration
        configuration.path = url.path
        return SQLDatabase(
            dialect: SQLiteDialect(),
            pool: ConnectionPool<SQLiteConnection>(
                configuration: configuration,
                maxConnections: maxConnections,
                checkoutTimeout: checkoutTimeout,
                queueingWritesFor: checkoutTimeout + configuration.busyTimeout
            )
        )
    }
}
