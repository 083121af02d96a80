import Dispatch
import SCIM
import Testing

@testable import Backends

extension MySQLConnectionTests {
    @Test func poolBoundsConnectionsAndServesEveryCaller() async throws {
        // A database of its own, so the processlist count sees only this pool's connections.
        let schema = DatabaseServers.uniqueName("pool")
        try await withDatabase { admin in
            try await admin.execute("CREATE DATABASE \(schema)", [])
        }
        try await withDatabase(try server.configuration(database: schema), maxConnections: 3) { database in
            let counts = try await withThrowingTaskGroup(of: SQLValue.self) { group in
                for _ in 0..<12 {
                    group.addTask {
                        let rows = try await database.execute(
                            "SELECT (SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE DB = ?), SLEEP(0.05)",
                            [.text(schema)]
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
        try await withDatabase { admin in
            try await admin.execute("DROP DATABASE \(schema)", [])
        }
    }

    @Test func waitersGiveUpAfterTheCheckoutTimeout() async throws {
        let database = MariaDBDatabase(
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
        release.signal()
        try await holder.value
        #expect(try await database.execute("SELECT 1", []) == [[.integer(1)]])
        await database.close()
    }

    @Test func failedConnectionsAreUnavailable() async throws {
        let configuration = try MariaDBConfiguration(
            url: "mysql://\(server.user)@\(server.host):\(server.port)/\(server.database)",
            password: "wrong password"
        )
        try await withDatabase(configuration, maxConnections: 1) { database in
            let error = await #expect(throws: SQLClientError.self) {
                try await database.execute("SELECT 1", [])
            }
            #expect(error?.code == .unavailable)
            #expect(error?.nativeCode == 1045)
            #expect(await database.pool.openConnections == 0)
        }
    }

    @Test(.timeLimit(.minutes(1)))
    func survivesAServerRestart() async throws {
        // A server of its own: stopping the shared one would fail suites running in parallel.
        let server = try DatabaseServers.requireMariaDBRestart()
        try await withDatabase(try server.configuration(connectTimeout: .seconds(2)), maxConnections: 2) { database in
            async let first = database.execute("SELECT SLEEP(0.1)", [])
            async let second = database.execute("SELECT SLEEP(0.1)", [])
            _ = try await (first, second)
            #expect(await database.pool.openConnections == 2)

            do {
                try DatabaseServers.stopMariaDB(server)
                for _ in 0..<3 {
                    let error = await #expect(throws: SQLClientError.self) {
                        try await database.execute("SELECT 1", [])
                    }
                    #expect(error?.code == .unavailable)
                }
                #expect(await database.pool.openConnections == 0)
            } catch {
                try? DatabaseServers.startMariaDB(server)
                throw error
            }
            try DatabaseServers.startMariaDB(server)

            #expect(try await database.execute("SELECT 1", []) == [[.integer(1)]])
            async let third = database.execute("SELECT SLEEP(0.1)", [])
            async let fourth = database.execute("SELECT SLEEP(0.1)", [])
            _ = try await (third, fourth)
        }
    }
}
