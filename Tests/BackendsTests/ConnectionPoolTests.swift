import Foundation
import SCIM
import SQLDrivers
import Synchronization
import Testing

/// The pool's rules with a scripted connection, as postgres-nio tests its pool: the checkout deadline,
/// discarding a connection after a lost connection or a failed rollback, the health check before reuse,
/// and handles freed on the thread that opened them. The real-server behaviour is in ServerConnectionTests.
@Suite struct ConnectionPoolTests {
    /// What the scripted connections do and what happened to them.
    final class Script: Sendable {
        struct State {
            var opened = 0
            var freed = 0
            var statements: [String] = []
            var pings = 0
            /// The next statements that fail, by their text.
            var failing: [String: SQLError] = [:]
            /// Whether the connections' sockets look dead on the next checkout.
            var dead = false
            /// Threads that opened and freed each connection, by connection number.
            var openThread: [Int: String] = [:]
            var freeThread: [Int: String] = [:]
        }

        let state = Locked(State())

        func fail(_ statement: String, with error: SQLError) {
            state.withLock { $0.failing[statement] = error }
        }
    }

    final class ScriptedConnection: SQLConnection {
        let script: Script
        let number: Int

        init(script: Script) {
            self.script = script
            number = script.state.withLock { state in
                state.opened += 1
                state.openThread[state.opened] = ScriptedConnection.threadName
                return state.opened
            }
        }

        deinit {
            let (number, name) = (self.number, Self.threadName)
            script.state.withLock { state in
                state.freed += 1
                state.freeThread[number] = name
            }
        }

        static var threadName: String { "\(Unmanaged.passUnretained(Thread.current).toOpaque())" }

        static func connect(_ configuration: Script) throws(SQLError) -> ScriptedConnection {
            ScriptedConnection(script: configuration)
        }

        func execute(_ sql: String, _ binds: [SQLValue]) throws(SQLError) -> SQLResult {
            let failure = script.state.withLock { state -> SQLError? in
                state.statements.append(sql)
                return state.failing.removeValue(forKey: sql)
            }
            if let failure { throw failure }
            return SQLResult(rows: [[.integer(Int64(number))]])
        }

        func executeScript(_ sql: String) throws(SQLError) { _ = try execute(sql, []) }
        func begin(_ kind: SQLTransactionKind) throws(SQLError) { _ = try execute("BEGIN", []) }
        func commit() throws(SQLError) { _ = try execute("COMMIT", []) }
        func rollback() throws(SQLError) { _ = try execute("ROLLBACK", []) }

        func isAlive(ping: Bool) -> Bool {
            script.state.withLock { state in
                if ping { state.pings += 1 }
                return !state.dead
            }
        }

        func columns(of table: String) throws(SQLError) -> [String: String]? { nil }
    }

    let script = Script()

    func pool(maximum: Int = 2, checkoutTimeout: Duration = .seconds(5)) -> ConnectionPool<ScriptedConnection> {
        ConnectionPool(configuration: script, maxConnections: maximum, checkoutTimeout: checkoutTimeout)
    }

    func database(_ pool: ConnectionPool<ScriptedConnection>) -> SQLDatabase {
        SQLDatabase(dialect: SQLiteDialect(), pool: pool)
    }

    @Test func aWaiterGivesUpAtTheDeadlineWithUnavailable() async throws {
        let pool = pool(maximum: 1, checkoutTimeout: .milliseconds(100))
        let database = database(pool)
        let (held, didHold) = AsyncStream<Void>.makeStream()
        let release = DispatchSemaphore(value: 0)
        let holder = Task {
            try await database.withConnection { _ in
                didHold.yield()
                release.wait()
            }
        }
        for await _ in held { break }
        let started = ContinuousClock.now
        let error = await #expect(throws: SQLError.self) {
            try await database.execute("SELECT 1", [])
        }
        #expect(error?.kind == .unavailable)
        #expect(ContinuousClock.now - started >= .milliseconds(100))
        release.signal()
        try await holder.value
        #expect(try await database.execute("SELECT 1", []) == [[.integer(1)]])
        #expect(await pool.peakOpenConnections == 1)
        await database.close()
    }

    @Test func aLostConnectionIsDiscardedAndTheNextCallerGetsANewOne() async throws {
        let pool = pool()
        let database = database(pool)
        script.fail("SELECT 1", with: SQLError(.unavailable, message: "server closed the connection"))
        await #expect(throws: SQLError.self) { try await database.execute("SELECT 1", []) }
        #expect(await pool.openConnections == 0)
        #expect(try await database.execute("SELECT 2", []) == [[.integer(2)]])
        #expect(script.state.withLock { ($0.opened, $0.freed) } == (2, 1))
        await database.close()
    }

    @Test func aConnectionThatFailedIsPingedBeforeReuseAndReplacedWhenDead() async throws {
        let pool = pool(maximum: 1)
        let database = database(pool)
        script.fail("SELEC 1", with: SQLError(.other, message: "syntax error"))
        await #expect(throws: SQLError.self) { try await database.execute("SELEC 1", []) }
        #expect(try await database.execute("SELECT 1", []) == [[.integer(1)]])
        #expect(script.state.withLock(\.pings) == 1)
        // A dead socket found at checkout: the body never ran on it, so it runs once on a new connection.
        script.state.withLock { $0.dead = true }
        let body = Locked(0)
        let answer = try? await database.withConnection { connection in
            body.withLock { $0 += 1 }
            return try connection.execute("SELECT 2", []).rows
        }
        #expect(answer == [[.integer(2)]])
        #expect(body.withLock { $0 } == 1)
        script.state.withLock { $0.dead = false }
        #expect(try await database.execute("SELECT 3", []) == [[.integer(2)]])
        await database.close()
    }

    @Test func transactionsCommitRollBackAndDiscardAConnectionWhoseRollbackFailed() async throws {
        let pool = pool(maximum: 1)
        let database = database(pool)
        _ = try await database.transaction { execute in try execute("INSERT", []) }
        struct Abort: Error {}
        await #expect(throws: Abort.self) {
            try await database.transaction { _ in throw Abort() }
        }
        #expect(script.state.withLock(\.statements) == ["BEGIN", "INSERT", "COMMIT", "BEGIN", "ROLLBACK"])
        // The rollback fails: the connection is closed, never lent again.
        script.fail("ROLLBACK", with: SQLError(.other, message: "rollback failed"))
        await #expect(throws: SQLError.self) {
            try await database.transaction { _ in throw Abort() }
        }
        #expect(await pool.openConnections == 0)
        #expect(try await database.execute("SELECT 1", []) == [[.integer(2)]])
        // A failed COMMIT reaches the caller.
        script.fail("COMMIT", with: SQLError(.deadlock, sqlState: "40001", message: "could not serialize"))
        let error = await #expect(throws: SQLError.self) {
            try await database.transaction { execute in try execute("UPDATE", []) }
        }
        #expect(error?.isTransient == true)
        await database.close()
    }

    @Test func aSessionLockIsTakenBeforeBeginAndReleasedAfterTheEnd() async throws {
        let database = database(pool(maximum: 1))
        let lock = SQLLock(acquire: "GET_LOCK", heldByTransaction: false, release: "RELEASE_LOCK")
        _ = try await database.withTransaction(.write, holding: lock) { connection in
            try connection.execute("WORK", [])
        }
        let transactionLock = SQLLock(acquire: "ADVISORY", heldByTransaction: true, release: nil)
        _ = try await database.withTransaction(.write, holding: transactionLock) { connection in
            try connection.execute("WORK", [])
        }
        #expect(
            script.state.withLock(\.statements) == [
                "GET_LOCK", "BEGIN", "WORK", "COMMIT", "RELEASE_LOCK", "BEGIN", "ADVISORY", "WORK", "COMMIT",
            ]
        )
        await database.close()
    }

    @Test func connectionsAreOpenedAndFreedOnTheirOwnThread() async throws {
        let pool = pool(maximum: 2)
        let database = database(pool)
        async let first = database.execute("SELECT 1", [])
        async let second = database.execute("SELECT 2", [])
        _ = try await (first, second)
        await database.close()
        // The handles go with their worker once the pool lets go of them.
        for _ in 0..<100 where script.state.withLock({ $0.freed }) < 2 {
            try await Task.sleep(for: .milliseconds(10))
        }
        let (opened, freed) = script.state.withLock { ($0.openThread, $0.freeThread) }
        #expect(opened.count == 2)
        #expect(freed == opened)
        #expect(Set(opened.values).count == 2)
        let error = await #expect(throws: SQLError.self) { try await database.execute("SELECT 1", []) }
        #expect(error?.kind == .unavailable)
    }
}
