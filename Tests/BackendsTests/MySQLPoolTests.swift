import Dispatch
import SCIM
import TestSupport
import Testing

@testable import Backends

extension MySQLConnectionTests {
    @Test func poolBoundsConnectionsAndServesEveryCaller() async throws {
        // The server's own connection ids show how many connections served the callers; unlike the
        // process list, they do not depend on what other suites do on the shared server meanwhile.
        try await withDatabase(try server.configuration(), maxConnections: 3) { database in
            let ids = try await withThrowingTaskGroup(of: SQLValue.self) { group in
                for _ in 0..<12 {
                    group.addTask {
                        let rows = try await database.execute("SELECT CONNECTION_ID(), SLEEP(0.05)", [])
                        return rows.first?.first ?? .null
                    }
                }
                var ids: [SQLValue] = []
                for try await id in group { ids.append(id) }
                return ids
            }
            #expect(ids.count == 12)
            #expect(!ids.contains(.null))
            #expect((1...3).contains(Set(ids).count))
            #expect(await database.pool.peakOpenConnections <= 3)
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
            async let third = database.execute("SELECT SLEEP(0.1)", [])
            async let fourth = database.execute("SELECT SLEEP(0.1)", [])
            _ = try await (third, fourth)
        }
    }
}
