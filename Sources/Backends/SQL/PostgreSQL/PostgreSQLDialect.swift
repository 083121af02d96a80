import SCIM

/// PostgreSQL: `$n` placeholders, double-quoted identifiers, `RETURNING` keys, `lower(column) =
/// lower($n)` comparisons (served by a `lower(username)` index), `LIKE … ESCAPE '!'`, `FOR UPDATE` row
/// locks inside read-committed transactions.
struct PostgreSQLDialect: SQLDialect {
    var name: String { "postgres" }

    func rewritePlaceholders(_ sql: String) -> String {
        PostgreSQLPlaceholders.rewrite(sql).sql
    }

    func quote(_ identifier: String) -> String { "\"\(identifier)\"" }

    var keyRetrieval: GeneratedKeyRetrieval { .returning }

    func caseInsensitiveComparison(_ lhs: String, _ op: String) -> String {
        "lower(\(lhs)) \(op) lower(?)"
    }

    func caseInsensitiveOrdering(_ expression: String) -> String {
        "lower(\(expression))"
    }

    func substringMatch(_ lhs: String, _ match: SubstringMatch, value: String, caseInsensitive: Bool) -> SQLFragment {
        let pattern = LikePattern.make(match, value)
        if caseInsensitive {
            return SQLFragment("lower(\(lhs)) LIKE lower(?) ESCAPE '!'", [.text(pattern)])
        }
        return SQLFragment("\(lhs) LIKE ? ESCAPE '!'", [.text(pattern)])
    }

    /// A transaction-scoped advisory lock (the key is an arbitrary constant of the gateway's).
    var definitionLock: DefinitionLock? {
        DefinitionLock(acquire: "SELECT pg_advisory_xact_lock(7381640217)", heldByTransaction: true, release: nil)
    }

    var rowLockClause: String { "FOR UPDATE" }

    var beginWriteTransaction: String { "BEGIN" }

    var beginReadTransaction: String { "BEGIN READ ONLY" }

    func classify(_ error: SQLDriverError, attributeForColumn: (String) -> String?) -> SCIMError {
        clientClassification(error, attributeForColumn: attributeForColumn)
    }
}

/// `LIKE` patterns with `!` as the escape character: unlike `\`, it means the same in PostgreSQL and
/// MySQL string literals whatever the server's settings.
enum LikePattern {
    /// The pattern matching `value` as a substring, prefix or suffix, its wildcards escaped.
    static func make(_ match: SubstringMatch, _ value: String) -> String {
        let escaped = escaping(value, ["%", "_", "!"]) { "!" + String($0) }
        switch match {
        case .contains: return "%\(escaped)%"
        case .startsWith: return "\(escaped)%"
        case .endsWith: return "%\(escaped)"
        }
    }

    /// `value` with every code point in `special` replaced by `escape(codePoint)`. It works on code
    /// points, not characters: a wildcard followed by a combining mark (`"%\u{301}"`) is one
    /// `Character` that equals no wildcard, yet the database sees the `%`.
    static func escaping(
        _ value: String,
        _ special: Set<Unicode.Scalar>,
        _ escape: (Unicode.Scalar) -> String
    ) -> String {
        var escaped = String.UnicodeScalarView()
        for scalar in value.unicodeScalars {
            if special.contains(scalar) {
                escaped.append(contentsOf: escape(scalar).unicodeScalars)
            } else {
                escaped.append(scalar)
            }
        }
        return String(escaped)
    }
}

/// Opens PostgreSQL connections through the client's bounded, self-healing pool.
struct PostgreSQLDriver: SQLDriver {
    let configuration: PostgreSQLConfiguration

    var dialect: any SQLDialect { PostgreSQLDialect() }

    func connect() throws(SQLDriverError) -> any SQLConnection {
        do {
            return ClientEngineConnection(try PostgreSQLConnection.connect(configuration))
        } catch {
            throw SQLDriverError(client: error)
        }
    }

    func makeLender(maximum: Int) -> any SQLConnectionLender {
        ClientPoolLender(
            pool: ConnectionPool<PostgreSQLConnection>(
                configuration: configuration,
                maxConnections: maximum,
                checkoutTimeout: configuration.connectTimeout + configuration.statementTimeout
            )
        )
    }

    /// The columns of a table in the connection's current schema (the first of its `search_path`),
    /// typed as `character varying(100)`, `integer`, `uuid`, `timestamp without time zone`.
    func columns(of table: String, on connection: any SQLConnection) throws(SQLDriverError) -> [String: String]? {
        let rows = try connection.run(
            "SELECT column_name, data_type, character_maximum_length FROM information_schema.columns "
                + "WHERE table_schema = current_schema() AND table_name = $1",
            [.text(table)]
        ).rows
        guard !rows.isEmpty else { return nil }
        var columns: [String: String] = [:]
        for row in rows where row.count == 3 {
            guard let name = row[0].textValue, let type = row[1].textValue else { continue }
            columns[name.lowercased()] = row[2].integerValue.map { "\(type)(\($0))" } ?? type
        }
        return columns
    }
}
