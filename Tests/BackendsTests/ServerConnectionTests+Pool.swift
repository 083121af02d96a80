import Dispatch
import SQLDrivers
import TestSupport
import Testing

extension ServerConnectionTests {
    @Test(arguments: Engine.servers)
    func poolBoundsConnectionsAndServesEveryCaller(engine: Engine) async throws {
        // The server's own connection ids show how many connections served the callers; unlike the
        // process list, they do not depend on what other suites do on the shared server meanwhile.
        let pool = try Self.pool(engine, maxConnections: 3)
        try await pool.use { database in
            let dialect = Self.dialect(engine)
            let ids = try await withThrowingTaskGroup(of: SQLValue.self) { group in
                for _ in 0..<12 {
                    group.addTask {
                        let rows = try await database.withConnection { connection in
                            _ = try connection.execute(dialect.sleep(0.05), [])
                            return try connection.execute(dialect.connectionID, []).rows
                        }
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
            #expect(await pool.peakOpenConnections() <= 3)
        }
    }

    @Test(arguments: Engine.servers)
    func waitersGiveUpAfterTheCheckoutTimeout(engine: Engine) async throws {
        let database = try Self.pool(engine, maxConnections: 1, checkoutTimeout: .milliseconds(200)).database
        let (started, didStart) = AsyncStream<Void>.makeStream()
        let release = DispatchSemaphore(value: 0)
        let holder = Task {
            try await database.withConnection { _ in
                didStart.yield()
                release.wait()
            }
        }
        for await _ in started { break }
        let error = await #expect(throws: SQLError.self) {
            try await database.execute("SELECT 1", [])
        }
        #expect(error?.kind == .unavailable)
        release.signal()
        try await holder.value
        #expect(try await database.execute("SELECT 1", []) == [[.integer(1)]])
        await database.close()
    }

    @Test(arguments: Engine.servers)
    func closedPoolRefusesWork(engine: Engine) async throws {
        let database = try Self.pool(engine).database
        #expect(try await database.execute("SELECT 1", []) == [[.integer(1)]])
        await database.close()
        let error = await #expect(throws: SQLError.self) {
            try await database.execute("SELECT 1", [])
        }
        #expect(error?.kind == .unavailable)
    }

    @Test(arguments: Engine.servers)
    func failedConnectionsAreUnavailable(engine: Engine) async throws {
        let pool = try Self.pool(engine, maxConnections: 1, password: "secret password")
        try await pool.use { database in
            let error = await #expect(throws: SQLError.self) {
                try await database.execute("SELECT 1", [])
            }
            #expect(error?.kind == .unavailable)
            if engine == .mariadb { #expect(error?.nativeCode == 1045) }
            #expect(error.map { !$0.debugDescription.contains("secret password") } == true)
            #expect(await pool.openConnections() == 0)
        }
    }

    @Test(.timeLimit(.minutes(TestTiming.minutes(1))), arguments: Engine.servers)
    func survivesAServerRestart(engine: Engine) async throws {
        // A server of its own: stopping the shared one would fail suites running in parallel.
        let pool = try Self.pool(engine, restartServer: true, maxConnections: 2, connectTimeout: .seconds(2))
        let server =
            engine == .postgres
            ? try DatabaseServers.requirePostgresRestart().settings
            : try DatabaseServers.requireMariaDBRestart().settings
        let sleep = Self.dialect(engine).sleep(0.1)
        try await pool.use { database in
            async let first = database.execute(sleep, [])
            async let second = database.execute(sleep, [])
            _ = try await (first, second)
            #expect(await pool.openConnections() == 2)
            do {
                try await Blocking.run { try server.stop() }
                for _ in 0..<3 {
                    let error = await #expect(throws: SQLError.self) {
                        try await database.execute("SELECT 1", [])
                    }
                    #expect(error?.kind == .unavailable)
                }
                #expect(await pool.openConnections() == 0)
            } catch {
                _ = try? await Blocking.run { try server.start() }
                throw error
            }
            try await Blocking.run { try server.start() }
            #expect(try await database.execute("SELECT 1", []) == [[.integer(1)]])
            async let third = database.execute(sleep, [])
            async let fourth = database.execute(sleep, [])
            _ = try await (third, fourth)
        }
    }
}
