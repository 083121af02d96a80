import SCIM
import Testing

@testable import Backends

/// Against the real PostgreSQL server. Serialized because one test restarts the server.
@Suite(.serialized, .enabled(if: DatabaseServers.postgresEnabled, DatabaseServers.skipMessage))
struct PostgreSQLConnectionTests {
    let server: DatabaseServers.PostgresServer

    init() throws {
        server = try DatabaseServers.requirePostgres()
    }

    /// Runs `body` with a fresh pool and closes it afterwards, also when `body` throws.
    func withDatabase(
        _ configuration: PostgreSQLConfiguration? = nil,
        maxConnections: Int = 4,
        _ body: (PostgreSQLDatabase) async throws -> Void
    ) async throws {
        let database = PostgreSQLDatabase(
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
            let table = DatabaseServers.uniqueName("pg_values")
            try await database.execute(
                "CREATE TABLE \(table) (id serial PRIMARY KEY, i bigint, d double precision, t text, b bytea, n text)",
                []
            )
            let large = String(repeating: "ünïcödé ✓ 𝄞 ", count: 100_000)
            let cases: [[SQLValue]] = [
                [.integer(Int64.min), .double(-1.5e300), .text("héllo ✓ 𝄞 日本"), .blob([0, 1, 127, 128, 255]), .null],
                [.integer(Int64.max), .double(0.1), .text(""), .blob([]), .null],
                [.integer(0), .double(-0.0), .text(large), .blob(Array(repeating: 0, count: 70_000)), .null],
                [.null, .null, .null, .null, .null],
            ]
            for values in cases {
                let inserted = try await database.execute(
                    "INSERT INTO \(table) (i, d, t, b, n) VALUES (?, ?, ?, ?, ?) RETURNING i, d, t, b, n",
                    values
                )
                #expect(inserted == [values])
            }
            let rows = try await database.execute("SELECT i, d, t, b, n FROM \(table) ORDER BY id", [])
            #expect(rows == cases)
            try await database.execute("DROP TABLE \(table)", [])
        }
    }

    @Test func decodesServerTypes() async throws {
        try await withDatabase { database in
            let rows = try await database.execute(
                "SELECT true, 7::int2, 8::int4, 1.5::float4, 12.50::numeric, '2024-01-02'::date, NULL::int, 'x'::varchar",
                []
            )
            #expect(
                rows == [
                    [
                        .integer(1), .integer(7), .integer(8), .double(1.5), .text("12.50"), .text("2024-01-02"), .null,
                        .text("x"),
                    ]
                ]
            )
        }
    }

    @Test func hostileValuesStayData() async throws {
        try await withDatabase { database in
            let table = DatabaseServers.uniqueName("pg_hostile")
            try await database.execute("CREATE TABLE \(table) (v text)", [])
            let hostile = [
                "'; DROP TABLE \(table); --", "' OR '1'='1", "\\'; SELECT 1; --", "$1", "?", "\"quoted\"",
                "$$ dollar $$",
            ]
            for value in hostile {
                try await database.execute("INSERT INTO \(table) (v) VALUES (?)", [.text(value)])
            }
            let rows = try await database.execute(
                "SELECT v FROM \(table) WHERE v = ? OR v <> ?",
                [.text("?"), .text("?")]
            )
            #expect(Set(rows.compactMap { $0.first }) == Set(hostile.map { SQLValue.text($0) }))
            #expect(rows.count == hostile.count)
            let matches = try await database.execute("SELECT count(*) FROM \(table) WHERE v = ?", [.text(hostile[1])])
            #expect(matches == [[.integer(1)]])
            try await database.execute("DROP TABLE \(table)", [])
        }
    }

    @Test func rejectsNULInsideText() async throws {
        try await withDatabase { database in
            let error = await #expect(throws: SQLClientError.self) {
                try await database.execute("SELECT ?", [.text("a\u{0}b")])
            }
            #expect(error?.code == .invalidValue)
        }
    }

    @Test func classifiesUniquenessAndLengthViolations() async throws {
        try await withDatabase { database in
            let table = DatabaseServers.uniqueName("pg_constraints")
            try await database.execute("CREATE TABLE \(table) (name varchar(5) UNIQUE)", [])
            try await database.execute("INSERT INTO \(table) VALUES (?)", [.text("alice")])
            let duplicate = await #expect(throws: SQLClientError.self) {
                try await database.execute("INSERT INTO \(table) VALUES (?)", [.text("alice")])
            }
            #expect(duplicate?.code == .uniqueness)
            #expect(duplicate?.sqlState == "23505")
            #expect(duplicate?.scimError.status == 409)
            let tooLong = await #expect(throws: SQLClientError.self) {
                try await database.execute("INSERT INTO \(table) VALUES (?)", [.text("abcdefgh")])
            }
            #expect(tooLong?.code == .valueTooLong)
            #expect(tooLong?.sqlState == "22001")
            let syntax = await #expect(throws: SQLClientError.self) {
                try await database.execute("SELEC 1", [])
            }
            #expect(syntax?.code == .other)
            #expect(syntax?.sqlState == "42601")
            // The connection that saw the errors is still good.
            #expect(try await database.execute("SELECT count(*) FROM \(table)", []) == [[.integer(1)]])
            try await database.execute("DROP TABLE \(table)", [])
        }
    }

    @Test func statementTimeoutIsClassified() async throws {
        try await withDatabase(try server.configuration(statementTimeout: .milliseconds(200)), maxConnections: 1) {
            quick in
            let error = await #expect(throws: SQLClientError.self) {
                try await quick.execute("SELECT pg_sleep(5)", [])
            }
            #expect(error?.code == .timeout)
            let after = try await quick.execute("SELECT 1", [])
            #expect(after == [[.integer(1)]])
        }
    }

    @Test func transactionsCommitAndRollBack() async throws {
        try await withDatabase { database in
            let table = DatabaseServers.uniqueName("pg_tx")
            try await database.execute("CREATE TABLE \(table) (v int)", [])
            struct Abort: Error {}
            await #expect(throws: Abort.self) {
                try await database.transaction { execute in
                    _ = try execute("INSERT INTO \(table) VALUES (?)", [.integer(1)])
                    throw Abort()
                }
            }
            let count = try await database.transaction { execute in
                _ = try execute("INSERT INTO \(table) VALUES (?)", [.integer(2)])
                return try execute("SELECT v FROM \(table) WHERE v = ? FOR UPDATE", [.integer(2)])
            }
            #expect(count == [[.integer(2)]])
            #expect(try await database.execute("SELECT v FROM \(table)", []) == [[.integer(2)]])
            // A statement that failed inside the transaction makes the whole transaction fail, even if the body
            // swallowed the error.
            await #expect(throws: SQLClientError.self) {
                try await database.transaction { execute in
                    _ = try execute("INSERT INTO \(table) VALUES (?)", [.integer(3)])
                    _ = try? execute("SELECT no_such_column FROM \(table)", [])
                    return 0
                }
            }
            #expect(try await database.execute("SELECT v FROM \(table)", []) == [[.integer(2)]])
            try await database.execute("DROP TABLE \(table)", [])
        }
    }

    @Test func generatedKeysComeFromReturning() async throws {
        try await withDatabase { database in
            let table = DatabaseServers.uniqueName("pg_keys")
            try await database.execute("CREATE TABLE \(table) (id bigserial PRIMARY KEY, v text)", [])
            let first = try await database.pool.withConnection { connection in
                try connection.execute("INSERT INTO \(table) (v) VALUES ($1) RETURNING id", [.text("a")])
            }
            let second = try await database.execute("INSERT INTO \(table) (v) VALUES (?) RETURNING id", [.text("b")])
            #expect(first.rows == [[.integer(1)]])
            #expect(first.affectedRows == 1)
            #expect(first.columns == ["id"])
            #expect(second == [[.integer(2)]])
            let update = try await database.pool.withConnection { connection in
                try connection.execute("UPDATE \(table) SET v = v", [])
            }
            #expect(update.affectedRows == 2)
            try await database.execute("DROP TABLE \(table)", [])
        }
    }
}
