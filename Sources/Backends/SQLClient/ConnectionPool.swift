/// A bounded pool of connections to one database server.
///
/// At most `maxConnections` are open; a caller that finds none free waits in line up to `checkoutTimeout`
/// and then gets ``SQLClientError/Code/unavailable`` (a 503). A connection whose user saw a lost-connection
/// error is discarded; one whose user saw any other error is pinged before its next use; every reused
/// connection gets a look at its socket first. Dead connections are closed and reopened on demand, so after a
/// server restart the next request succeeds with the same pool.
actor ConnectionPool<Connection: SQLClientConnection> {
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

    let maxConnections: Int
    let checkoutTimeout: Duration
    private let configuration: Connection.Configuration
    private var idle: [(worker: Worker, needsPing: Bool)] = []
    private var waiters: [Waiter] = []
    private var nextWaiterID = 0
    private var isShutDown = false

    /// Connections open or being opened, in use or idle.
    private(set) var openConnections = 0
    /// The most connections that were ever open at once, for tests and metrics.
    private(set) var peakOpenConnections = 0

    /// Makes a pool; no connection is opened until one is needed.
    init(configuration: Connection.Configuration, maxConnections: Int, checkoutTimeout: Duration) {
        self.configuration = configuration
        self.maxConnections = max(1, maxConnections)
        self.checkoutTimeout = checkoutTimeout
    }

    /// Runs `body` with a connection, on that connection's thread, and gives the connection back.
    nonisolated func withConnection<T: Sendable>(_ body: @Sendable (Connection) throws -> T) async throws -> T {
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
                    throw SQLClientError(
                        code: .unavailable,
                        message: "every pooled connection was closed by the server"
                    )
                }
            } catch let error as DiscardConnection {
                await discard(lease.worker)
                throw error.underlying
            } catch let error as SQLClientError where error.code == .unavailable {
                await discard(lease.worker)
                throw error
            } catch {
                await checkin(lease.worker, failed: true)
                throw error
            }
        }
    }

    /// Runs `body` in a transaction: committed when it returns, rolled back when it throws.
    nonisolated func withTransaction<T: Sendable>(_ body: @Sendable (Connection) throws -> T) async throws -> T {
        try await withConnection { connection in
            try connection.beginTransaction()
            let result: T
            do {
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
    }

    /// Closes every idle connection and fails every waiter; connections in use close when given back.
    func shutdown() async {
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
    }

    private static var shutDownError: SQLClientError {
        SQLClientError(code: .unavailable, message: "the connection pool is shut down")
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
                throwing: SQLClientError(
                    code: .unavailable,
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
