import NIOPosix

/// Lends connections one task at a time, opening up to `maximum` of them on demand.
///
/// Each pool has threads of its own, one per connection it may open: a slow or locked database file
/// blocks only its own pool's threads, never another tenant's or the provisioning log's (they used to
/// share `NIOThreadPool.singleton`, two threads on a two-core machine). A task that finds every
/// connection in use waits in line at most `checkoutTimeout`, then gets an `unavailable` error (a 503
/// with `Retry-After`).
actor SQLConnectionPool {
    private struct Waiter {
        var id: Int
        var continuation: CheckedContinuation<any SQLConnection, any Error>
        var timer: Task<Void, Never>?
    }

    private let driver: any SQLDriver
    private let maximum: Int
    private let checkoutTimeout: Duration
    private let threads: NIOThreadPool
    private var idle: [any SQLConnection] = []
    private var openCount = 0
    private var waiters: [Waiter] = []
    private var nextWaiterID = 0
    private var isClosed = false

    init(driver: any SQLDriver, maximum: Int, checkoutTimeout: Duration = .seconds(15)) {
        self.driver = driver
        self.maximum = max(1, maximum)
        self.checkoutTimeout = checkoutTimeout
        self.threads = NIOThreadPool(numberOfThreads: max(1, maximum))
        self.threads.start()
    }

    /// Runs `body` with a leased connection and returns it afterwards, also when `body` throws.
    nonisolated func withConnection<T: Sendable>(
        _ body: @Sendable (any SQLConnection) async throws -> T
    ) async throws -> T {
        let connection = try await lease()
        do {
            let result = try await body(connection)
            await giveBack(connection)
            return result
        } catch {
            await giveBack(connection)
            throw error
        }
    }

    private static var closedError: SQLDriverError {
        SQLDriverError(kind: .unavailable, code: 0, message: "the connection pool is closed")
    }

    private func lease() async throws -> any SQLConnection {
        if isClosed { throw Self.closedError }
        if let connection = idle.popLast() { return connection }
        if openCount < maximum {
            openCount += 1
            let driver = self.driver
            do {
                return try await threads.runIfActive { () throws(SQLDriverError) -> any SQLConnection in
                    try driver.connect()
                }
            } catch {
                openCount -= 1
                throw error
            }
        }
        return try await waitInLine()
    }

    private func waitInLine() async throws -> any SQLConnection {
        let id = nextWaiterID
        nextWaiterID += 1
        let timeout = checkoutTimeout
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                let timer = Task { [weak self] in
                    do {
                        try await Task.sleep(for: timeout)
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
                throwing: SQLDriverError(
                    kind: .unavailable,
                    code: 0,
                    message: "no database connection became free within \(checkoutTimeout)"
                )
            )
        }
    }

    private func giveBack(_ connection: any SQLConnection) {
        if isClosed {
            openCount -= 1
            return
        }
        if !waiters.isEmpty {
            let waiter = waiters.removeFirst()
            waiter.timer?.cancel()
            waiter.continuation.resume(returning: connection)
        } else {
            idle.append(connection)
        }
    }

    /// Closes idle connections (their handles are freed when released), refuses new leases and stops
    /// the pool's threads once the statements still running on them return.
    func close() async {
        isClosed = true
        openCount -= idle.count
        idle.removeAll()
        let waiting = waiters
        waiters.removeAll()
        for waiter in waiting {
            waiter.timer?.cancel()
            waiter.continuation.resume(throwing: Self.closedError)
        }
        try? await threads.shutdownGracefully()
    }

    /// Runs a blocking body on the pool's own threads.
    nonisolated func run<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await threads.runIfActive(body)
    }
}

extension SQLConnectionPool: SQLConnectionLender {
    nonisolated func lend<T: Sendable>(_ body: @escaping @Sendable (any SQLConnection) throws -> T) async throws -> T {
        try await withConnection { connection in
            try await run { try body(connection) }
        }
    }
}
