import SCIM

/// SQLite: `?` placeholders, double-quoted identifiers, `RETURNING` keys, `COLLATE NOCASE`
/// comparisons (an index on a `COLLATE NOCASE` column serves them), `BEGIN IMMEDIATE` to take the
/// write lock before reading.
struct SQLiteDialect: SQLDialect {
    var name: String { "sqlite" }

    func rewritePlaceholders(_ sql: String) -> String { sql }

    func quote(_ identifier: String) -> String { "\"\(identifier)\"" }

    var keyRetrieval: GeneratedKeyRetrieval { .returning }

    func caseInsensitiveComparison(_ lhs: String, _ op: String) -> String {
        "\(lhs) \(op) ? COLLATE NOCASE"
    }

    func caseInsensitiveOrdering(_ expression: String) -> String {
        "\(expression) COLLATE NOCASE"
    }

    func substringMatch(_ lhs: String, _ match: SubstringMatch, value: String, caseInsensitive: Bool) -> SQLFragment {
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
    var definitionLock: DefinitionLock? { nil }

    var rowLockClause: String { "" }

    var beginWriteTransaction: String { "BEGIN IMMEDIATE" }

    var beginReadTransaction: String { "BEGIN" }

    func classify(_ error: SQLDriverError, attributeForColumn: (String) -> String?) -> SCIMError {
        defaultClassification(error, attributeForColumn: attributeForColumn)
    }
}

/// Opens SQLite files.
struct SQLiteDriver: SQLDriver {
    /// The database file.
    var path: String
    /// How long a statement waits for a lock another connection or process holds (SQLite's busy
    /// timeout); then it fails as unavailable (503).
    var busyTimeout: Duration = .seconds(10)
    /// How long a request waits for one of the pool's connections.
    var checkoutTimeout: Duration = .seconds(15)

    var dialect: any SQLDialect { SQLiteDialect() }

    func connect() throws(SQLDriverError) -> any SQLConnection {
        try SQLiteConnection(path: path, busyTimeoutMilliseconds: Self.milliseconds(busyTimeout))
    }

    func makeLender(maximum: Int) -> any SQLConnectionLender {
        SQLConnectionPool(driver: self, maximum: maximum, checkoutTimeout: checkoutTimeout)
    }

    /// Readiness: a read-only connection of its own that must read the schema within a second, so a
    /// file locked by another process reports not ready instead of holding the probe.
    func probe() throws(SQLDriverError) {
        let connection = try SQLiteConnection(readOnlyPath: path, busyTimeoutMilliseconds: 1000)
        _ = try connection.run("SELECT count(*) FROM sqlite_master", [])
    }

    static func milliseconds(_ duration: Duration) -> Int32 {
        let (seconds, attoseconds) = duration.components
        let value = Double(seconds) * 1000 + Double(attoseconds) / 1e15
        guard value.isFinite, value > 0 else { return 0 }
        return value >= Double(Int32.max) ? Int32.max : Int32(value.rounded(.up))
    }

    func columns(of table: String, on connection: any SQLConnection) throws(SQLDriverError) -> [String: String]? {
        // PRAGMA arguments cannot be bound; the table name is a validated identifier, quoted.
        let rows = try connection.run("PRAGMA table_info(\(dialect.quote(table)))", []).rows
        guard !rows.isEmpty else { return nil }
        var columns: [String: String] = [:]
        for row in rows where row.count > 2 {
            if let name = row[1].textValue { columns[name.lowercased()] = row[2].textValue ?? "" }
        }
        return columns
    }
}
