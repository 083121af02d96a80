import SQLDrivers
import TestSupport
import Testing

/// The PostgreSQL and MariaDB drivers against their real servers, one suite over both engines: values,
/// hostile text, error classification, timeouts, transactions, generated keys. Serialized because one test
/// restarts a server.
@Suite(.serialized, .enabled(if: !Engine.servers.isEmpty, DatabaseServers.skipMessage))
struct ServerConnectionTests {
    /// A pool over one engine's test server, with its counters.
    struct Pool {
        var database: SQLDatabase
        var openConnections: @Sendable () async -> Int
        var peakOpenConnections: @Sendable () async -> Int

        /// Runs `body` and closes the pool afterwards, also when `body` throws.
        func use(_ body: (SQLDatabase) async throws -> Void) async throws {
            do {
                try await body(database)
            } catch {
                await database.close()
                throw error
            }
            await database.close()
        }
    }

    /// What differs between the engines in these tests: only SQL text.
    struct Dialect: Sendable {
        var valuesTable: String
        var shortTextTable: String
        var intTable: String
        var sleep: @Sendable (Double) -> String
        var connectionID: String
    }

    static func dialect(_ engine: Engine) -> Dialect {
        switch engine {
        case .postgres:
            return Dialect(
                valuesTable: "(id serial PRIMARY KEY, i bigint, d double precision, t text, b bytea, n text)",
                shortTextTable: "(name varchar(5) UNIQUE)",
                intTable: "(v int)",
                sleep: { "SELECT pg_sleep(\($0))" },
                connectionID: "SELECT pg_backend_pid()"
            )
        default:
            return Dialect(
                valuesTable: "(id INT AUTO_INCREMENT PRIMARY KEY, i BIGINT, d DOUBLE, t LONGTEXT, b LONGBLOB, "
                    + "n VARCHAR(10)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4",
                shortTextTable: "(name VARCHAR(5) UNIQUE) ENGINE=InnoDB",
                intTable: "(v INT) ENGINE=InnoDB",
                sleep: { "SELECT SLEEP(\($0))" },
                connectionID: "SELECT CONNECTION_ID()"
            )
        }
    }

    /// A pool of `maxConnections` over the engine's shared test server (or its restart server).
    static func pool(
        _ engine: Engine,
        restartServer: Bool = false,
        maxConnections: Int = 4,
        connectTimeout: Duration = TestTiming.scaled(.seconds(3)),
        statementTimeout: Duration = TestTiming.scaled(.seconds(10)),
        checkoutTimeout: Duration? = nil,
        password: String? = nil
    ) throws -> Pool {
        switch engine {
        case .postgres:
            let server =
                try restartServer ? DatabaseServers.requirePostgresRestart() : DatabaseServers.requirePostgres()
            var configuration = try server.configuration(
                connectTimeout: connectTimeout,
                statementTimeout: statementTimeout
            )
            if let password {
                // The test server trusts local users, so a database that does not exist fails the login.
                configuration = try PostgreSQLConfiguration(
                    url: "postgres://\(server.user)@\(server.host):\(server.port)/no_such_database",
                    password: password
                )
            }
            return make(
                PostgreSQLDialect(),
                configuration,
                connectionType: PostgreSQLConnection.self,
                maxConnections: maxConnections,
                checkoutTimeout: checkoutTimeout
            )
        default:
            let server = try restartServer ? DatabaseServers.requireMariaDBRestart() : DatabaseServers.requireMariaDB()
            var configuration = try server.configuration(
                connectTimeout: connectTimeout,
                statementTimeout: statementTimeout
            )
            if let password { configuration.settings.password = password }
            return make(
                MySQLDialect(),
                configuration,
                connectionType: MySQLConnection.self,
                maxConnections: maxConnections,
                checkoutTimeout: checkoutTimeout
            )
        }
    }

    private static func make<Connection: SQLConnection>(
        _ dialect: any SQLDialect,
        _ configuration: Connection.Configuration,
        connectionType: Connection.Type,
        maxConnections: Int,
        checkoutTimeout: Duration?
    ) -> Pool {
        let pool = ConnectionPool<Connection>(
            configuration: configuration,
            maxConnections: maxConnections,
            checkoutTimeout: checkoutTimeout ?? TestTiming.scaled(.seconds(13))
        )
        return Pool(
            database: SQLDatabase(dialect: dialect, pool: pool),
            openConnections: { await pool.openConnections },
            peakOpenConnections: { await pool.peakOpenConnections }
        )
    }

    @Test(arguments: Engine.servers)
    func roundTripsEveryValueKind(engine: Engine) async throws {
        try await Self.pool(engine).use { database in
            let table = DatabaseServers.uniqueName("values")
            try await database.execute("CREATE TABLE \(table) \(Self.dialect(engine).valuesTable)", [])
            let large = String(repeating: "ünïcödé ✓ 𝄞 ", count: 100_000)
            let cases: [[SQLValue]] = [
                [.integer(Int64.min), .double(-1.5e300), .text("héllo ✓ 𝄞 日本"), .blob([0, 1, 127, 128, 255]), .null],
                [.integer(Int64.max), .double(0.1), .text(""), .blob([]), .null],
                [.integer(0), .double(2.5), .text(large), .blob(Array(repeating: 0, count: 70_000)), .null],
                [.null, .null, .null, .null, .null],
            ]
            for values in cases {
                try await database.execute("INSERT INTO \(table) (i, d, t, b, n) VALUES (?, ?, ?, ?, ?)", values)
            }
            let rows = try await database.execute("SELECT i, d, t, b, n FROM \(table) ORDER BY id", [])
            #expect(rows == cases)
            try await database.execute("DROP TABLE \(table)", [])
        }
    }

    @Test(arguments: Engine.servers)
    func decodesServerTypes(engine: Engine) async throws {
        try await Self.pool(engine).use { database in
            if engine == .postgres {
                let rows = try await database.execute(
                    "SELECT true, 7::int2, 8::int4, 1.5::float4, 12.50::numeric, '2024-01-02'::date, NULL::int, "
                        + "'x'::varchar, ?, ?",
                    [.text("bound"), .integer(-3)]
                )
                #expect(
                    rows == [
                        [
                            .integer(1), .integer(7), .integer(8), .double(1.5), .text("12.50"), .text("2024-01-02"),
                            .null, .text("x"), .text("bound"), .integer(-3),
                        ]
                    ]
                )
            } else {
                let rows = try await database.execute(
                    "SELECT CAST(7 AS UNSIGNED), CAST(18446744073709551615 AS UNSIGNED), 12.50, DATE('2024-01-02'), "
                        + "CAST(NULL AS SIGNED), CAST('x' AS BINARY), 1.5e0, ?, ?",
                    [.text("bound"), .integer(-3)]
                )
                #expect(
                    rows == [
                        [
                            .integer(7), .text("18446744073709551615"), .text("12.50"), .text("2024-01-02"), .null,
                            .blob([120]), .double(1.5), .text("bound"), .integer(-3),
                        ]
                    ]
                )
            }
        }
    }

    @Test(arguments: Engine.servers)
    func hostileValuesStayData(engine: Engine) async throws {
        try await Self.pool(engine).use { database in
            let table = DatabaseServers.uniqueName("hostile")
            try await database.execute("CREATE TABLE \(table) (v VARCHAR(200))", [])
            var hostile = [
                "'; DROP TABLE \(table); --", "' OR '1'='1", "\\'; SELECT 1; --", "$1", "?", "\"quoted\"",
                "`backtick`", "$$ dollar $$",
            ]
            // PostgreSQL text cannot hold NUL at all (see rejectsNULInsideText); MariaDB stores it.
            if engine == .mariadb { hostile.append("a\u{0}b") }
            for value in hostile {
                try await database.execute("INSERT INTO \(table) (v) VALUES (?)", [.text(value)])
            }
            let rows = try await database.execute(
                "SELECT v FROM \(table) WHERE v = ? OR v <> ?",
                [.text("?"), .text("?")]
            )
            #expect(Set(rows.compactMap { $0.first }) == Set(hostile.map { SQLValue.text($0) }))
            #expect(rows.count == hostile.count)
            let matches = try await database.execute("SELECT COUNT(*) FROM \(table) WHERE v = ?", [.text(hostile[1])])
            #expect(matches == [[.integer(1)]])
            try await database.execute("DROP TABLE \(table)", [])
        }
    }

    @Test(.enabled(if: DatabaseServers.postgresEnabled, DatabaseServers.skipMessage))
    func rejectsNULInsideText() async throws {
        try await Self.pool(.postgres).use { database in
            let error = await #expect(throws: SQLError.self) {
                try await database.execute("SELECT ?", [.text("a\u{0}b")])
            }
            #expect(error?.kind == .invalidValue)
        }
    }

    @Test(arguments: Engine.servers)
    func bindCountMustMatch(engine: Engine) async throws {
        try await Self.pool(engine).use { database in
            let error = await #expect(throws: SQLError.self) {
                try await database.execute("SELECT ?, ?", [.integer(1)])
            }
            #expect(error?.kind == .other)
        }
    }

    @Test(arguments: Engine.servers)
    func classifiesUniquenessAndLengthViolations(engine: Engine) async throws {
        try await Self.pool(engine).use { database in
            let table = DatabaseServers.uniqueName("constraints")
            try await database.execute("CREATE TABLE \(table) \(Self.dialect(engine).shortTextTable)", [])
            try await database.execute("INSERT INTO \(table) VALUES (?)", [.text("alice")])
            let duplicate = await #expect(throws: SQLError.self) {
                try await database.execute("INSERT INTO \(table) VALUES (?)", [.text("alice")])
            }
            #expect(duplicate?.kind == .uniqueViolation)
            #expect(duplicate?.sqlState == (engine == .postgres ? "23505" : "23000"))
            let tooLong = await #expect(throws: SQLError.self) {
                try await database.execute("INSERT INTO \(table) VALUES (?)", [.text("abcdefgh")])
            }
            #expect(tooLong?.kind == .valueTooLong)
            #expect(engine == .postgres ? tooLong?.sqlState == "22001" : tooLong?.nativeCode == 1406)
            if engine == .mariadb { #expect(tooLong?.column == "name") }
            let syntax = await #expect(throws: SQLError.self) {
                try await database.execute("SELEC 1", [])
            }
            #expect(syntax?.kind == .other)
            #expect(syntax?.message.isEmpty == false)
            // The connection that saw the errors is still good.
            #expect(try await database.execute("SELECT COUNT(*) FROM \(table)", []) == [[.integer(1)]])
            try await database.execute("DROP TABLE \(table)", [])
        }
    }

    @Test(arguments: Engine.servers)
    func statementTimeoutIsClassified(engine: Engine) async throws {
        try await Self.pool(engine, maxConnections: 1, statementTimeout: .milliseconds(300)).use { database in
            let error = await #expect(throws: SQLError.self) {
                try await database.execute(Self.dialect(engine).sleep(5), [])
            }
            #expect(error?.kind == .timeout)
            #expect(error?.isTransient == true)
            let after = try await database.execute("SELECT 1", [])
            #expect(after == [[.integer(1)]])
        }
    }

    @Test(arguments: Engine.servers)
    func transactionsCommitAndRollBack(engine: Engine) async throws {
        try await Self.pool(engine).use { database in
            let table = DatabaseServers.uniqueName("tx")
            try await database.execute("CREATE TABLE \(table) \(Self.dialect(engine).intTable)", [])
            struct Abort: Error {}
            await #expect(throws: Abort.self) {
                try await database.transaction { execute in
                    _ = try execute("INSERT INTO \(table) VALUES (?)", [.integer(1)])
                    throw Abort()
                }
            }
            let locked = try await database.transaction { execute in
                _ = try execute("INSERT INTO \(table) VALUES (?)", [.integer(2)])
                return try execute("SELECT v FROM \(table) WHERE v = ? FOR UPDATE", [.integer(2)])
            }
            #expect(locked == [[.integer(2)]])
            #expect(try await database.execute("SELECT v FROM \(table)", []) == [[.integer(2)]])
            if engine == .postgres {
                // A statement that failed inside the transaction makes the whole transaction fail, even if the
                // body swallowed the error (the COMMIT that rolled back).
                let error = await #expect(throws: SQLError.self) {
                    try await database.transaction { execute in
                        _ = try execute("INSERT INTO \(table) VALUES (?)", [.integer(3)])
                        _ = try? execute("SELECT no_such_column FROM \(table)", [])
                        return 0
                    }
                }
                #expect(error?.sqlState == "25P02")
                #expect(try await database.execute("SELECT v FROM \(table)", []) == [[.integer(2)]])
            }
            // A read-only transaction refuses writes.
            await #expect(throws: SQLError.self) {
                try await database.withTransaction(.read) { connection in
                    _ = try connection.execute("INSERT INTO \(table) VALUES (\(9))", [])
                }
            }
            try await database.execute("DROP TABLE \(table)", [])
        }
    }

    @Test(arguments: Engine.servers)
    func generatedKeysAndAffectedRows(engine: Engine) async throws {
        try await Self.pool(engine).use { database in
            let table = DatabaseServers.uniqueName("keys")
            let dialect = database.dialect
            try await database.execute(
                "CREATE TABLE \(table) (\(dialect.generatedKeyColumn("id")), v VARCHAR(10))",
                []
            )
            let returning = dialect.keyRetrieval == .returning ? " RETURNING id" : ""
            let (first, second, update) = try await database.withConnection { connection in
                let insert = dialect.rewritePlaceholders("INSERT INTO \(table) (v) VALUES (?)\(returning)")
                return (
                    try connection.execute(insert, [.text("a")]),
                    try connection.execute(insert, [.text("b")]),
                    try connection.execute("UPDATE \(table) SET v = v", [])
                )
            }
            #expect(first.affectedRows == 1)
            switch dialect.keyRetrieval {
            case .returning:
                #expect(first.rows == [[.integer(1)]])
                #expect(first.columns == ["id"])
                #expect(second.rows == [[.integer(2)]])
            case .lastInsertID:
                #expect(first.lastInsertID == 1)
                #expect(second.lastInsertID == 2)
            }
            // Matched rows, not changed rows, on every engine.
            #expect(update.affectedRows == 2)
            #expect(try await database.execute("SELECT COUNT(*) FROM \(table)", []) == [[.integer(2)]])
            try await database.execute("DROP TABLE \(table)", [])
        }
    }

    @Test(arguments: Engine.servers)
    func scriptsRunEveryStatement(engine: Engine) async throws {
        try await Self.pool(engine).use { database in
            let table = DatabaseServers.uniqueName("script")
            try await database.executeScript(
                "CREATE TABLE \(table) (v INT);\nINSERT INTO \(table) VALUES (1);\nINSERT INTO \(table) VALUES (2);\n"
            )
            #expect(try await database.execute("SELECT COUNT(*) FROM \(table)", []) == [[.integer(2)]])
            // A failing statement fails the script, and the connection serves the next caller.
            await #expect(throws: SQLError.self) {
                try await database.executeScript("INSERT INTO \(table) VALUES (3); SELEC 1;")
            }
            #expect(try await database.execute("SELECT 1", []) == [[.integer(1)]])
            try await database.execute("DROP TABLE \(table)", [])
        }
    }

    @Test(arguments: Engine.servers)
    func columnsOfATable(engine: Engine) async throws {
        try await Self.pool(engine).use { database in
            let table = DatabaseServers.uniqueName("columns")
            try await database.execute("CREATE TABLE \(table) (Name VARCHAR(100), n INT)", [])
            let columns = try await database.withConnection { try $0.columns(of: table) }
            #expect(columns?.keys.sorted() == ["n", "name"])
            #expect(columns?["name"]?.contains("100") == true)
            #expect(try await database.withConnection { try $0.columns(of: "no_such_table") } == nil)
            try await database.execute("DROP TABLE \(table)", [])
        }
    }
}
