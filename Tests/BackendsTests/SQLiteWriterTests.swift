import Foundation
import SCIM
import SQLDrivers
import TestSupport
import Testing

/// Many write transactions at once on one real SQLite file, as a burst of PATCHes from an IdP makes
/// them: each must wait its turn and commit, however many are queued, as long as the whole line fits
/// in the time a caller is willing to wait (the checkout timeout plus the busy timeout). SQLite's own
/// busy handler polls with ever longer sleeps, so on its own it lets newcomers overtake a writer that
/// has waited long until that writer's busy timeout runs out.
@Suite struct SQLiteWriterTests {
    let path: String

    init() {
        path =
            FileManager.default.temporaryDirectory
            .appendingPathComponent("writers-\(UUID().uuidString).sqlite").path
    }

    /// A database on the suite's file with table `t (n)`.
    func database(
        busyTimeout: Duration,
        maxConnections: Int,
        checkoutTimeout: Duration,
        creatingTable: Bool = true
    ) async throws -> SQLDatabase {
        let database = try SQLDatabase.sqlite(
            SQLiteConfiguration(path: path, busyTimeout: busyTimeout),
            maxConnections: maxConnections,
            checkoutTimeout: checkoutTimeout
        )
        if creatingTable { try await database.executeScript("CREATE TABLE t (n INTEGER NOT NULL)") }
        return database
    }

    func removeFiles() {
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
    }

    /// Writes `n` into `t` in a write transaction of its own.
    func insert(_ n: Int64, into database: SQLDatabase) async throws {
        try await database.withTransaction(.write) { connection in
            _ = try connection.execute("INSERT INTO t (n) VALUES (?)", [.integer(n)])
        }
    }

    func numbers(in database: SQLDatabase) async throws -> [Int64] {
        try await database.execute("SELECT n FROM t ORDER BY n", []).compactMap { $0.first?.integerValue }
    }

    /// Starts a write of 0 that keeps the write lock until `release` is signalled (or for `seconds`), and
    /// returns once it holds the lock.
    func holdingTheLock(
        of database: SQLDatabase,
        until release: DispatchSemaphore? = nil,
        seconds: Double = 0
    ) async -> Task<Void, any Error> {
        let (held, didHold) = AsyncStream<Void>.makeStream()
        let holder = Task {
            try await database.withTransaction(.write) { connection in
                _ = try connection.execute("INSERT INTO t (n) VALUES (0)", [])
                didHold.yield()
                if let release { release.wait() } else { Thread.sleep(forTimeInterval: seconds) }
            }
        }
        for await _ in held { break }
        return holder
    }

    /// Sixteen writers that each hold the write lock for 40 ms, with a busy timeout of 100 ms: together they
    /// need far longer than the busy timeout, but each waits in line, not in SQLite's busy handler.
    @Test func aBurstOfWritersLongerThanTheBusyTimeoutAllCommit() async throws {
        let database = try await database(
            busyTimeout: .milliseconds(100),
            maxConnections: 8,
            checkoutTimeout: TestTiming.scaled(.seconds(30))
        )
        defer { removeFiles() }
        let failures = await withTaskGroup(of: String?.self) { group in
            for number in 0..<16 {
                group.addTask {
                    do {
                        try await database.withTransaction(.write) { connection in
                            _ = try connection.execute("SELECT count(*) FROM t", [])
                            Thread.sleep(forTimeInterval: 0.04)
                            _ = try connection.execute("INSERT INTO t (n) VALUES (?)", [.integer(Int64(number))])
                        }
                        return nil
                    } catch {
                        return "\(error): \((error as? SQLError)?.message ?? "")"
                    }
                }
            }
            var failures: [String] = []
            for await failure in group { if let failure { failures.append(failure) } }
            return failures
        }
        #expect(failures.isEmpty, "\(failures)")
        #expect(try await numbers(in: database) == Array(0..<16))
        await database.close()
    }

    /// A writer waiting for its turn holds no connection: while one write holds the lock and others
    /// wait, a read on a pool of two still gets a connection at once.
    @Test func queuedWritersLeaveConnectionsToReaders() async throws {
        let database = try await database(
            busyTimeout: .seconds(20),
            maxConnections: 2,
            checkoutTimeout: .milliseconds(500)
        )
        defer { removeFiles() }
        let release = DispatchSemaphore(value: 0)
        let holder = await holdingTheLock(of: database, until: release)
        let queued = (1...3).map { number in Task { try await insert(Int64(number), into: database) } }
        try await Task.sleep(for: .milliseconds(100))
        var readError: (any Error)?
        do {
            _ = try await database.execute("SELECT count(*) FROM t", [])
        } catch {
            readError = error
        }
        release.signal()
        #expect(readError == nil, "\(String(describing: readError))")
        try await holder.value
        for writer in queued { try await writer.value }
        #expect(try await numbers(in: database) == [0, 1, 2, 3])
        await database.close()
    }

    /// The line has an end: a writer whose turn comes after it waited longer than the checkout timeout
    /// plus the busy timeout is refused as unavailable without writing (a 503 the IdP retries), and
    /// the line goes on.
    @Test func aWriterWhoseTurnComesTooLateIsRefused() async throws {
        let database = try await database(
            busyTimeout: .milliseconds(100),
            maxConnections: 4,
            checkoutTimeout: .milliseconds(100)
        )
        defer { removeFiles() }
        let holder = await holdingTheLock(of: database, seconds: 0.6)
        let error = await #expect(throws: SQLError.self) { try await insert(1, into: database) }
        try await holder.value
        #expect(error?.kind == .unavailable)
        #expect(error?.message.contains("queued before this one") == true, "\(String(describing: error))")
        try await insert(2, into: database)
        #expect(try await numbers(in: database) == [0, 2])
        await database.close()
    }

    /// Another process's write lock is still arbitrated by SQLite: the writer waits up to the busy
    /// timeout for it, then is refused as unavailable, and writes again once the lock is gone.
    @Test func anotherProcesssLockWaitsUpToTheBusyTimeout() async throws {
        let database = try await database(
            busyTimeout: .milliseconds(200),
            maxConnections: 2,
            checkoutTimeout: .seconds(5)
        )
        let other = try await self.database(
            busyTimeout: .milliseconds(200),
            maxConnections: 1,
            checkoutTimeout: .seconds(5),
            creatingTable: false
        )
        defer { removeFiles() }
        let release = DispatchSemaphore(value: 0)
        let holder = await holdingTheLock(of: other, until: release)
        let started = ContinuousClock.now
        let error = await #expect(throws: SQLError.self) { try await insert(1, into: database) }
        let waited = ContinuousClock.now - started
        release.signal()
        try await holder.value
        #expect(error?.kind == .unavailable)
        #expect(waited >= .milliseconds(200))
        try await insert(2, into: database)
        #expect(try await numbers(in: database) == [0, 2])
        await other.close()
        await database.close()
    }

    /// A writer cancelled while it waits (the IdP hung up) is refused when its turn comes, without
    /// writing, and the writer behind it still gets its turn.
    @Test func aCancelledWriterLeavesTheLine() async throws {
        let database = try await database(
            busyTimeout: .seconds(20),
            maxConnections: 4,
            checkoutTimeout: .seconds(20)
        )
        defer { removeFiles() }
        let release = DispatchSemaphore(value: 0)
        let holder = await holdingTheLock(of: database, until: release)
        let cancelled = Task { try await insert(1, into: database) }
        try await Task.sleep(for: .milliseconds(100))
        cancelled.cancel()
        let behind = Task { try await insert(2, into: database) }
        release.signal()
        let outcome = await cancelled.result
        try await holder.value
        try await behind.value
        #expect(throws: CancellationError.self) { try outcome.get() }
        #expect(try await numbers(in: database) == [0, 2])
        await database.close()
    }
}
