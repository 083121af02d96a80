import NIOPosix

/// A bounded pool of connections to one database server.
///
/// At most `maxConnections` are open; a caller that finds none free waits in line up to `checkoutTimeout`
/// and then gets ``SQLError/Kind/unavailable`` (a 503). A connection whose user saw a lost-connection
/// error is discarded; one whose user saw any other error is pinged before its next use; every reused
/// connection gets a look at its socket first. Dead connections are closed and reopened on demand, so after a
/// server restart the next request succeeds with the same pool.
///
/// With `queueingWritesFor` (SQLite), write transactions do not take pooled connections: they run one
/// after another, in the order they arrived, on one more connection with a thread of its own. SQLite
/// has one write lock per file, and a connection that finds it taken sleeps and polls (the busy
/// handler) with ever longer sleeps; under load that is unfair, since a writer that has waited long
/// polls least often and newcomers overtake it until its busy timeout runs out, though the file was
/// free most of that time. In a line, the busy handler only arbitrates with other processes, a queued
/// writer holds no connection a reader needs, and the next write starts on the writer's thread the
/// moment the last one commits, without waiting for a thread of the process to be scheduled in between.
/// A write that is cancelled, or that has waited the whole allowance when its turn comes, is refused
/// without running.
public actor ConnectionPool<Connection: SQLConnection> {
    private typealias Worker = ConnectionWorker<Connection>

    private struct Lease: Sendable {
        var worker: Worker
        var verification: Worker.Verification
    }

    private struct Waiter {
        var id: Int
        /// Resumed with a connection, or with `nil` when a slot was freed and the waiter may open one.
        var continuation: CheckedContinuation<Lease?, any Error>
        var timer: Task<Void, Never>?
    }

    /// A failure after which the connection must not be reused, e.g. a rollback that did not happen.
    struct DiscardConnection: Error {
        var underlying: any Error
    }

    public let maxConnections: Int
    public let checkoutTimeout: Duration
    private let configuration: Connection.Configuration
    private var idle: [(worker: Worker, needsPing: Bool)] = []
    private var waiters: [Waiter] = []
    private var nextWaiterID = 0
    private var isShutDown = false
    /// How long a write may wait in the writers' line, when writes have one.
    private let writeAllowance: Duration?
    private var writer: Worker?
    private var writerUsers = 0

    /// Connections open or being opened, in use or idle.
    public private(set) var openConnections = 0
    /// The most connections that were ever open at once, for tests and metrics.
    public private(set) var peakOpenConnections = 0

    /// Makes a pool; no connection is opened until one is needed. With `queueingWritesFor`, write
    /// transactions wait in one line on a connection of their own instead (see above), each for at most
    /// that long before its turn.
    public init(
        configuration: Connection.Configuration,
        maxConnections: Int,
        checkoutTimeout: Duration,
        queueingWritesFor writeAllowance: Duration? = nil
    ) {
        self.configuration = configuration
        self.maxConnections = max(1, maxConnections)
        self.checkoutTimeout = checkoutTimeout
        self.writeAllowance = writeAllowance
    }

    /// Runs `body` with a connection, on that connection's thread, and gives the connection back.
    public nonisolated func withConnection<T: Sendable>(_ body: @Sendable (Connection) throws -> T) async throws -> T {
        // Each stale connection found is closed, so this ends after at most maxConnections + 1 checkouts.
        var staleConnections = 0
        while true {
            let lease = try await checkout()
            do {
                let result = try await lease.worker.run(verifying: lease.verification, body)
                await checkin(lease.worker, failed: false)
                return result
            } catch is Worker.StaleConnection {
                await discard(lease.worker)
                staleConnections += 1
                if staleConnections > maxConnections {
                    throw SQLError(.unavailable, message: "every pooled connection was closed by the server")
                }
            } catch let error as DiscardConnection {
                await discard(lease.worker)
                throw error.underlying
            } catch let error as SQLError where error.kind == .unavailable {
                await discard(lease.worker)
                throw error
            } catch {
                await checkin(lease.worker, failed: true)
                throw error
            }
        }
    }

    /// Runs `body` in a transaction: committed when it returns, rolled back when it throws. A connection
    /// whose rollback failed is closed, never reused. With `lock`, the lock is taken first (a session lock
    /// before the transaction begins and released after it ends; a transaction-scoped one right after
    /// BEGIN), so that work needing it runs one process at a time.
    nonisolated func withTransaction<T: Sendable>(
        _ kind: SQLTransactionKind,
        holding lock: SQLLock? = nil,
        _ body: @Sendable (Connection) throws -> T
    ) async throws -> T {
        if kind == .write, let writeAllowance {
            let deadline = ContinuousClock.now + writeAllowance
            let writer = try await enterWriters()
            do {
                let result = try await writer.runInLine(
                    opening: configuration,
                    until: deadline,
                    allowance: writeAllowance
                ) { connection in
                    try Self.transaction(on: connection, kind, holding: lock, body)
                }
                await leaveWriters()
                return result
            } catch {
                await leaveWriters()
                throw error
            }
        }
        return try await withConnection { connection in
            try Self.transaction(on: connection, kind, holding: lock, body)
        }
    }

    /// One transaction on `connection`, with the lock rules of ``withTransaction(_:holding:_:)``.
    private static func transaction<T>(
        on connection: Connection,
        _ kind: SQLTransactionKind,
        holding lock: SQLLock?,
        _ body: (Connection) throws -> T
    ) throws -> T {
        if let lock, !lock.heldByTransaction {
            let granted = try connection.execute(lock.acquire, []).rows.first?.first?.integerValue
            guard granted == 1 else {
                throw SQLError(.timeout, message: "the lock \(lock.acquire) was not granted in time")
            }
        }
        defer {
            if let release = lock?.release { _ = try? connection.execute(release, []) }
        }
        try connection.begin(kind)
        let result: T
        do {
            if let lock, lock.heldByTransaction { _ = try connection.execute(lock.acquire, []) }
            result = try body(connection)
        } catch {
            do {
                try connection.rollback()
            } catch {
                throw DiscardConnection(underlying: error)
            }
            throw error
        }
        try connection.commit()
        return result
    }

    /// Reaches the database on a connection of its own, never one of the pool's, on the probe threads
    /// shared by every pool (readiness checks must not wait behind requests).
    public nonisolated func probe() async throws {
        let configuration = self.configuration
        try await ProbeThreads.pool.runIfActive { () throws -> Void in
            try Connection.probe(configuration)
        }
    }

    /// Closes every idle connection and fails every waiter; connections in use close when given back.
    public func shutdown() async {
        isShutDown = true
        let waiting = waiters
        waiters = []
        for waiter in waiting {
            waiter.timer?.cancel()
            waiter.continuation.resume(throwing: Self.shutDownError)
        }
        let workers = idle.map(\.worker)
        idle = []
        openConnections -= workers.count
        for worker in workers {
            await worker.shutdown()
        }
        if writerUsers == 0, let writer {
            self.writer = nil
            await writer.shutdown()
        }
    }

    /// The writers' worker, made on first use; counted in use until ``leaveWriters()``, so that a shutdown
    /// meanwhile waits for the last write.
    private func enterWriters() throws -> Worker {
        if isShutDown { throw Self.shutDownError }
        writerUsers += 1
        if let writer { return writer }
        let made = Worker()
        writer = made
        return made
    }

    private func leaveWriters() async {
        writerUsers -= 1
        if isShutDown, writerUsers == 0, let writer {
            self.writer = nil
            await writer.shutdown()
        }
    }

    private static var shutDownError: SQLError {
        SQLError(.unavailable, message: "the connection pool is shut down")
    }

    private func checkout() async throws -> Lease {
        let deadline = ContinuousClock.now + checkoutTimeout
        while true {
            if isShutDown { throw Self.shutDownError }
            if let entry = idle.popLast() {
                return Lease(worker: entry.worker, verification: entry.needsPing ? .ping : .socket)
            }
            if openConnections < maxConnections {
                openConnections += 1
                peakOpenConnections = max(peakOpenConnections, openConnections)
                let worker = Worker()
                do {
                    try await worker.open(configuration)
                } catch {
                    openConnections -= 1
                    wakeWaiterForFreeSlot()
                    await worker.shutdown()
                    throw error
                }
                return Lease(worker: worker, verification: .none)
            }
            if let lease = try await waitInLine(until: deadline) {
                return lease
            }
        }
    }

    private func waitInLine(until deadline: ContinuousClock.Instant) async throws -> Lease? {
        let id = nextWaiterID
        nextWaiterID += 1
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Lease?, any Error>) in
                let timer = Task { [weak self] in
                    do {
                        try await Task.sleep(until: deadline, clock: .continuous)
                    } catch {
                        return
                    }
                    await self?.expireWaiter(id, cancelled: false)
                }
                waiters.append(Waiter(id: id, continuation: continuation, timer: timer))
            }
        } onCancel: {
            Task { await self.expireWaiter(id, cancelled: true) }
        }
    }

    private func expireWaiter(_ id: Int, cancelled: Bool) {
        guard let index = waiters.firstIndex(where: { $0.id == id }) else { return }
        let waiter = waiters.remove(at: index)
        waiter.timer?.cancel()
        if cancelled {
            waiter.continuation.resume(throwing: CancellationError())
        } else {
            waiter.continuation.resume(
                throwing: SQLError(
                    .unavailable,
                    message: "no database connection became free within \(checkoutTimeout)"
                )
            )
        }
    }

    private func checkin(_ worker: Worker, failed: Bool) async {
        if isShutDown {
            await discard(worker)
            return
        }
        if !waiters.isEmpty {
            let waiter = waiters.removeFirst()
            waiter.timer?.cancel()
            waiter.continuation.resume(returning: Lease(worker: worker, verification: failed ? .ping : .socket))
            return
        }
        idle.append((worker: worker, needsPing: failed))
    }

    private func discard(_ worker: Worker) async {
        openConnections -= 1
        wakeWaiterForFreeSlot()
        await worker.shutdown()
    }

    private func wakeWaiterForFreeSlot() {
        guard !waiters.isEmpty else { return }
        let waiter = waiters.removeFirst()
        waiter.timer?.cancel()
        waiter.continuation.resume(returning: nil)
    }
}

/// Two threads for readiness probes of every pool: a probe opens a connection of its own, so it reports a
/// database that is up even while the pool's connections are all busy.
enum ProbeThreads {
    static let pool: NIOThreadPool = {
        let pool = NIOThreadPool(numberOfThreads: 2)
        pool.start()
        return pool
    }()
}
