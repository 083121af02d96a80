import NIOPosix

/// Lends connections one task at a time, opening up to `maximum` of them on demand. Connections
/// are opened on the blocking thread pool; a waiting task is resumed when one is returned.
actor SQLConnectionPool {
    private let driver: any SQLDriver
    private let maximum: Int
    private var idle: [any SQLConnection] = []
    private var openCount = 0
    private var waiters: [CheckedContinuation<any SQLConnection, any Error>] = []
    private var isClosed = false

    init(driver: any SQLDriver, maximum: Int) {
        self.driver = driver
        self.maximum = max(1, maximum)
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

    private func lease() async throws -> any SQLConnection {
        if isClosed { throw SQLDriverError(kind: .unavailable, code: 0, message: "the connection pool is closed") }
        if let connection = idle.popLast() { return connection }
        if openCount < maximum {
            openCount += 1
            let driver = self.driver
            do {
                return try await NIOThreadPool.singleton.runIfActive { () throws(SQLDriverError) -> any SQLConnection in
                    try driver.connect()
                }
            } catch {
                openCount -= 1
                throw error
            }
        }
        return try await withCheckedThrowingContinuation { continuation in
            waiters.append(continuation)
        }
    }

    private func giveBack(_ connection: any SQLConnection) {
        if isClosed {
            openCount -= 1
            return
        }
        if !waiters.isEmpty {
            waiters.removeFirst().resume(returning: connection)
        } else {
            idle.append(connection)
        }
    }

    /// Closes idle connections (their handles are freed when released) and refuses new leases.
    func close() {
        isClosed = true
        openCount -= idle.count
        idle.removeAll()
        for waiter in waiters {
            waiter.resume(
                throwing: SQLDriverError(kind: .unavailable, code: 0, message: "the connection pool is closed")
            )
        }
        waiters.removeAll()
    }
}

extension SQLConnectionPool: SQLConnectionLender {
    nonisolated func lend<T: Sendable>(_ body: @escaping @Sendable (any SQLConnection) throws -> T) async throws -> T {
        try await withConnection { connection in
            try await NIOThreadPool.singleton.runIfActive { try body(connection) }
        }
    }
}
