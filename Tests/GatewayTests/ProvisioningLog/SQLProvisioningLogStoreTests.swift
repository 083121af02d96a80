import Backends
import Foundation
import SQLDrivers
import Testing

@testable import Gateway

/// The same checks against each SQL engine the log can live in.
enum LogStoreChecks {
    static func insertsAndReadsBackOldestFirst(_ store: SQLProvisioningLogStore) async throws {
        let entries = (1...3).map { makeEntry($0) }
        try await store.insert(entries)
        let read = try await store.entries(matching: ProvisioningLogQuery())
        #expect(read == entries)
    }

    static func filters(_ store: SQLProvisioningLogStore) async throws {
        try await store.insert([
            makeEntry(1, tenant: "acme", status: 201, userName: "Alice@Example.org"),
            makeEntry(2, tenant: "acme", status: 409, userName: "bob@example.org"),
            makeEntry(3, tenant: "other", status: 500, userName: "alice@example.org"),
            makeEntry(4, tenant: "acme", status: 200, userName: "carol@example.org"),
        ])
        func ids(_ query: ProvisioningLogQuery) async throws -> [String] {
            try await store.entries(matching: query).map(\.requestId)
        }
        #expect(try await ids(.init(tenant: "acme")) == ["req-1", "req-2", "req-4"])
        #expect(try await ids(.init(failedOnly: true)) == ["req-2", "req-3"])
        #expect(try await ids(.init(user: "alice@example.org")) == ["req-1", "req-3"])
        #expect(try await ids(.init(user: "ext-4")) == ["req-4"])
        #expect(try await ids(.init(since: makeEntry(3).time)) == ["req-3", "req-4"])
        #expect(try await ids(.init(tenant: "acme", failedOnly: true)) == ["req-2"])
        #expect(try await ids(.init(limit: 2)) == ["req-3", "req-4"])
    }

    static func retention(_ store: SQLProvisioningLogStore) async throws {
        try await store.insert((1...4).map { makeEntry($0) })
        let deleted = try await store.deleteEntries(olderThan: makeEntry(3).time)
        #expect(deleted == 2)
        #expect(try await store.entries(matching: .init()).map(\.requestId) == ["req-3", "req-4"])
        try await store.prepare()
        #expect(try await store.entries(matching: .init()).count == 2)
    }
}

@Suite struct SQLiteProvisioningLogStoreTests {
    func withStore(_ body: (SQLProvisioningLogStore) async throws -> Void) async throws {
        let path = try temporaryDirectory() + "/log.sqlite"
        let store = try #require(
            try await openProvisioningLogStore(.sqlite(path: path)) as? SQLProvisioningLogStore
        )
        try await body(store)
        await store.close()
    }

    @Test func insertsAndReadsBackOldestFirst() async throws {
        try await withStore(LogStoreChecks.insertsAndReadsBackOldestFirst)
    }

    @Test func filtersByTenantSinceFailedAndUser() async throws {
        try await withStore(LogStoreChecks.filters)
    }

    @Test func retentionDeletesOnlyOlderEntries() async throws {
        try await withStore(LogStoreChecks.retention)
    }

    @Test func aPasswordInAPostgresURLIsRefused() async throws {
        await #expect(throws: ProvisioningLogError.self) {
            _ = try await openProvisioningLogStore(
                .postgres(url: "postgres://gw:secret@127.0.0.1:1/log"),
                prepare: false
            )
        }
    }
}

/// Against the real PostgreSQL server that scripts/databases.sh starts (`POSTGRES_*`); skipped without
/// it, failed under CI.
@Suite(.enabled(if: PostgresLogServer.enabled, "no PostgreSQL server: POSTGRES_* not set"))
struct PostgreSQLProvisioningLogStoreTests {
    func withStore(_ body: (SQLProvisioningLogStore) async throws -> Void) async throws {
        let server = try PostgresLogServer.require()
        let database = SQLDatabase.postgres(
            try PostgreSQLConfiguration(url: server.url, password: server.password),
            maxConnections: 2
        )
        let table = "log_test_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(16)
        let store = SQLProvisioningLogStore(database: database, table: String(table))
        try await store.prepare()
        do {
            try await body(store)
        } catch {
            _ = try? await database.execute("DROP TABLE \(table)", [])
            await store.close()
            throw error
        }
        try await database.execute("DROP TABLE \(table)", [])
        await store.close()
    }

    @Test func insertsAndReadsBackOldestFirst() async throws {
        try await withStore(LogStoreChecks.insertsAndReadsBackOldestFirst)
    }

    @Test func filtersByTenantSinceFailedAndUser() async throws {
        try await withStore(LogStoreChecks.filters)
    }

    @Test func retentionDeletesOnlyOlderEntries() async throws {
        try await withStore(LogStoreChecks.retention)
    }

    @Test func opensFromTheLogStoreURLWithThePasswordFromTheEnvironment() async throws {
        let server = try PostgresLogServer.require()
        let store = try await openProvisioningLogStore(
            .postgres(url: server.url),
            environment: [LogStoreLocation.postgresPasswordVariable: server.password]
        )
        _ = try await store.entries(matching: .init(limit: 1))
        await store.close()
    }
}

/// The `POSTGRES_*` settings.
enum PostgresLogServer {
    static let environment = ProcessInfo.processInfo.environment

    static var enabled: Bool { !(environment["CI"] ?? "").isEmpty || settings != nil }

    static let settings: (url: String, password: String)? = {
        guard let host = environment["POSTGRES_HOSTNAME"], let port = environment["POSTGRES_PORT"],
            let user = environment["POSTGRES_USER"], let password = environment["POSTGRES_PASSWORD"],
            let database = environment["POSTGRES_DB"]
        else { return nil }
        return ("postgres://\(user)@\(host):\(port)/\(database)", password)
    }()

    struct Missing: Error, CustomStringConvertible {
        var description: String { "POSTGRES_HOSTNAME, _PORT, _USER, _PASSWORD and _DB must be set (CI is set)" }
    }

    static func require() throws -> (url: String, password: String) {
        guard let settings else { throw Missing() }
        return settings
    }
}
