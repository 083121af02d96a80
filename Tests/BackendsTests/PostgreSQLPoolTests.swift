import Dispatch
import SCIM
import TestSupport
import Testing

@testable import Backends

extension PostgreSQLConnectionTests {
    @Test func poolBoundsConnectionsAndServesEveryCaller() async throws {
        let application = DatabaseServers.uniqueName("pool")
        let configuration = try server.configuration(query: "application_name=\(application)")
        try await withDatabase(configuration, maxConnections: 3) { database in
            let counts = try await withThrowingTaskGroup(of: SQLValue.self) { group in
                for _ in 0..<12 {
                    group.addTask {
                        let rows = try await database.execute(
                            "SELECT (SELECT count(*) FROM pg_stat_activity WHERE application_name = ?), pg_sleep(0.05)",
                            [.text(application)]
                        )
                        return rows.first?.first ?? .null
                    }
                }
                var counts: [SQLValue] = []
                for try await count in group { counts.append(count) }
                return counts
            }
            #expect(counts.count == 12)
            for count in counts {
                guard case .integer(let open) = count else {
                    Issue.record("unexpected count \(count)")
                    continue
                }
                #expect((1...3).contains(open))
            }
            #expect(await database.pool.peakOpenConnections <= 3)
        }
    }

    @Test func waitersGiveUpAfterTheCheckoutTimeout() async throws {
        let database = PostgreSQLDatabase(
            configuration: try server.configuration(),
            maxConnections: 1,
            checkoutTimeout: .milliseconds(200)
        )
        let (started, didStart) = AsyncStream<Void>.makeStream()
        let release = DispatchSemaphore(value: 0)
        let holder = Task {
            try await database.pool.withConnection { _ in
                didStart.yield()
                release.wait()
            }
        }
        for await _ in started { break }
        let error = await #expect(throws: SQLClientError.self) {
            try await database.execute("SELECT 1", [])
        }
        #expect(error?.code == .unavailable)
        #expect(error?.scimError.status == 503)
        release.signal()
        try await holder.value
        #expect(try await database.execute("SELECT 1", []) == [[.integer(1)]])
        await database.close()
    }

    @Test func closedPoolRefusesWork() async throws {
        let database = PostgreSQLDatabase(configuration: try server.configuration())
        #expect(try await database.execute("SELECT 1", []) == [[.integer(1)]])
        await database.close()
        let error = await #expect(throws: SQLClientError.self) {
            try await database.execute("SELECT 1", [])
        }
        #expect(error?.code == .unavailable)
    }

    @Test func failedConnectionsAreUnavailable() async throws {
        // The test server trusts local users, so a database that does not exist is what fails the login.
        let configuration = try PostgreSQLConfiguration(
            url: "postgres://\(server.user)@\(server.host):\(server.port)/no_such_database",
            password: "secret password"
        )
        try await withDatabase(configuration, maxConnections: 1) { database in
            let error = await #expect(throws: SQLClientError.self) {
                try await database.execute("SELECT 1", [])
            }
            #expect(error?.code == .unavailable)
            #expect(error.map { !$0.debugDescription.contains("secret password") } == true)
            #expect(await database.pool.openConnections == 0)
        }
    }

    @Test(.timeLimit(.minutes(1)))
    func survivesAServerRestart() async throws {
        // A server of its own: stopping the shared one would fail suites running in parallel.
        let server = try DatabaseServers.requirePostgresRestart()
        try await withDatabase(try server.configuration(connectTimeout: .seconds(2)), maxConnections: 2) { database in
            async let first = database.execute("SELECT pg_sleep(0.1)", [])
            async let second = database.execute("SELECT pg_sleep(0.1)", [])
            _ = try await (first, second)
            #expect(await database.pool.openConnections == 2)

            do {
                try await Blocking.run { try server.settings.stop() }
                for _ in 0..<3 {
                    let error = await #expect(throws: SQLClientError.self) {
                        try await database.execute("SELECT 1", [])
                    }
                    #expect(error?.code == .unavailable)
                }
                #expect(await database.pool.openConnections == 0)
            } catch {
                _ = try? await Blocking.run { try server.settings.start() }
                throw error
            }
            try await Blocking.run { try server.settings.start() }

            #expect(try await database.execute("SELECT 1", []) == [[.integer(1)]])
            async let third = database.execute("SELECT pg_sleep(0.1)", [])
            async let fourth = database.execute("SELECT pg_sleep(0.1)", [])
            _ = try await (third, fourth)
        }
    }
}
