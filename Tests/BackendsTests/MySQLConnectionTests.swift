import SCIM
import Testing

@testable import Backends

/// Against the real MariaDB server. Serialized because one test restarts the server.
@Suite(.serialized, .enabled(if: DatabaseServers.mariaDBEnabled, DatabaseServers.skipMessage))
struct MySQLConnectionTests {
    let server: DatabaseServers.MariaDBServer

    init() throws {
        server = try DatabaseServers.requireMariaDB()
    }

    /// Runs `body` with a fresh pool and closes it afterwards, also when `body` throws.
    func withDatabase(
        _ configuration: MariaDBConfiguration? = nil,
        maxConnections: Int = 4,
        _ body: (MariaDBDatabase) async throws -> Void
    ) async throws {
        let database = MariaDBDatabase(
            configuration: try configuration ?? server.configuration(),
            maxConnections: maxConnections
        )
        do {
            try await body(database)
        } catch {
            await database.close()
            throw error
        }
        await database.close()
    }

    @Test func roundTripsEveryValueKind() async throws {
        try await withDatabase { database in
            let table = DatabaseServers.uniqueName("my_values")
            try await database.execute(
                """
                CREATE TABLE \(table) (id INT AUTO_INCREMENT PRIMARY KEY, i BIGINT, d DOUBLE, t LONGTEXT, b LONGBLOB,
                n VARCHAR(10)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4
                """,
                []
            )
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

    @Test func decodesServerTypes() async throws {
        try await withDatabase { database in
            let rows = try await database.execute(
                """
                SELECT CAST(7 AS UNSIGNED), CAST(18446744073709551615 AS UNSIGNED), 12.50, DATE('2024-01-02'),
                CAST(NULL AS SIGNED), CAST('x' AS BINARY), 1.5e0, ?, ?
                """,
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

    @Test func hostileValuesStayData() async throws {
        try await withDatabase { database in
            let table = DatabaseServers.uniqueName("my_hostile")
            try await database.execute("CREATE TABLE \(table) (v VARCHAR(200)) DEFAULT CHARSET=utf8mb4", [])
            let hostile = [
                "'; DROP TABLE \(table); --", "' OR '1'='1", "\\'; SELECT 1; --", "?", "\"quoted\"", "`backtick`",
                "a\u{0}b",
            ]
            for value in hostile {
                try await database.execute("INSERT INTO \(table) (v) VALUES (?)", [.text(value)])
            }
            let rows = try await database.execute("SELECT v FROM \(table)", [])
            #expect(Set(rows.compactMap { $0.first }) == Set(hostile.map { SQLValue.text($0) }))
            let matches = try await database.execute("SELECT COUNT(*) FROM \(table) WHERE v = ?", [.text(hostile[1])])
            #expect(matches == [[.integer(1)]])
            try await database.execute("DROP TABLE \(table)", [])
        }
    }

    @Test func bindCountMustMatch() async throws {
        try await withDatabase { database in
            let error = await #expect(throws: SQLClientError.self) {
                try await database.execute("SELECT ?, ?", [.integer(1)])
            }
            #expect(error?.code == .other)
        }
    }

    @Test func classifiesUniquenessAndLengthViolations() async throws {
        try await withDatabase { database in
            let table = DatabaseServers.uniqueName("my_constraints")
            try await database.execute("CREATE TABLE \(table) (name VARCHAR(5) UNIQUE) ENGINE=InnoDB", [])
            try await database.execute("INSERT INTO \(table) VALUES (?)", [.text("alice")])
            let duplicate = await #expect(throws: SQLClientError.self) {
                try await database.execute("INSERT INTO \(table) VALUES (?)", [.text("alice")])
            }
            #expect(duplicate?.code == .uniqueness)
            #expect(duplicate?.nativeCode == 1062)
            #expect(duplicate?.sqlState == "23000")
            let tooLong = await #expect(throws: SQLClientError.self) {
                try await database.execute("INSERT INTO \(table) VALUES (?)", [.text("abcdefgh")])
            }
            #expect(tooLong?.code == .valueTooLong)
            #expect(tooLong?.nativeCode == 1406)
            let syntax = await #expect(throws: SQLClientError.self) {
                try await database.execute("SELEC 1", [])
            }
            #expect(syntax?.code == .other)
            #expect(try await database.execute("SELECT COUNT(*) FROM \(table)", []) == [[.integer(1)]])
            try await database.execute("DROP TABLE \(table)", [])
        }
    }

    @Test func statementTimeoutIsClassified() async throws {
        let configuration = try server.configuration(statementTimeout: .milliseconds(300))
        try await withDatabase(configuration, maxConnections: 1) { database in
            let error = await #expect(throws: SQLClientError.self) {
                try await database.execute("SELECT SLEEP(5)", [])
            }
            #expect(error?.code == .timeout)
            let after = try await database.execute("SELECT 1", [])
            #expect(after == [[.integer(1)]])
        }
    }

    @Test func transactionsCommitAndRollBack() async throws {
        try await withDatabase { database in
            let table = DatabaseServers.uniqueName("my_tx")
            try await database.execute("CREATE TABLE \(table) (v INT) ENGINE=InnoDB", [])
            struct Abort: Error {}
            await #expect(throws: Abort.self) {
                try await database.transaction { execute in
                    _ = try execute("INSERT INTO \(table) VALUES (?)", [.integer(1)])
                    throw Abort()
                }
            }
            let count = try await database.transaction { execute in
                _ = try execute("INSERT INTO \(table) VALUES (?)", [.integer(2)])
                return try execute("SELECT COUNT(*) FROM \(table) WHERE v = ? FOR UPDATE", [.integer(2)])
            }
            #expect(count == [[.integer(1)]])
            #expect(try await database.execute("SELECT v FROM \(table)", []) == [[.integer(2)]])
            try await database.execute("DROP TABLE \(table)", [])
        }
    }

    @Test func generatedKeysComeFromLastInsertID() async throws {
        try await withDatabase { database in
            let table = DatabaseServers.uniqueName("my_keys")
            try await database.execute(
                "CREATE TABLE \(table) (id INT AUTO_INCREMENT PRIMARY KEY, v VARCHAR(10)) ENGINE=InnoDB",
                []
            )
            let (first, second, update) = try await database.pool.withConnection { connection in
                (
                    try connection.execute("INSERT INTO \(table) (v) VALUES (?)", [.text("a")]),
                    try connection.execute("INSERT INTO \(table) (v) VALUES (?)", [.text("b")]),
                    try connection.execute("UPDATE \(table) SET v = v", [])
                )
            }
            #expect(first.lastInsertID == 1)
            #expect(first.affectedRows == 1)
            #expect(second.lastInsertID == 2)
            // Matched rows, not changed rows, as on PostgreSQL and SQLite.
            #expect(update.affectedRows == 2)
            #expect(update.lastInsertID == nil)
            try await database.execute("DROP TABLE \(table)", [])
        }
    }
}
