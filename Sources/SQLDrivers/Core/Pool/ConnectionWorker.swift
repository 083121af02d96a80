import NIOCore
import NIOPosix

/// Holds one open connection and runs its blocking C calls on a thread of its own.
///
/// Why an actor pinned to a dedicated single-thread event loop rather than `NIOThreadPool.singleton`:
/// the singleton has as many threads as cores, so a few slow statements of one tenant would stall the
/// database work of every other tenant and a pool's `max` would mean nothing; and the C handle would have
/// to cross `@Sendable` closures behind an `@unchecked Sendable` box. Here the compiler checks that the
/// handle stays inside the actor, a blocking call blocks only this connection's thread, and the number of
/// threads is the number of open connections, which the pool bounds.
actor ConnectionWorker<Connection: SQLConnection> {
    /// How much to check a reused connection before handing it to a body.
    enum Verification: Sendable {
        /// A connection opened just now.
        case none
        /// A look at the socket, without a round trip unless it shows something.
        case socket
        /// A round trip, after the connection's last user saw an error.
        case ping
    }

    /// Thrown by ``run(verifying:_:)`` when the connection turned out dead before the body ran, so retrying the
    /// body on another connection is safe.
    struct StaleConnection: Error {}

    private let group: MultiThreadedEventLoopGroup
    private let loop: any EventLoop
    private var connection: Connection?

    nonisolated var unownedExecutor: UnownedSerialExecutor {
        loop.executor.asUnownedSerialExecutor()
    }

    init() {
        group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        loop = group.next()
    }

    /// Opens the connection on this worker's thread.
    func open(_ configuration: Connection.Configuration) throws(SQLError) {
        connection = try Connection.connect(configuration)
    }

    /// Runs `body` with the connection, on this worker's thread.
    func run<T: Sendable>(verifying verification: Verification, _ body: @Sendable (Connection) throws -> T) throws -> T
    {
        guard let connection else { throw StaleConnection() }
        switch verification {
        case .none: break
        case .socket: guard connection.isAlive(ping: false) else { throw StaleConnection() }
        case .ping: guard connection.isAlive(ping: true) else { throw StaleConnection() }
        }
        return try body(connection)
    }

    /// Runs `body` when every call made to this worker before it is done (its thread runs them in order),
    /// opening the connection first if it is not open. Refused without running when the caller was
    /// cancelled or `deadline` passed while it waited. A failure after which the connection must not be
    /// reused (a failed rollback, or an unavailable database, which may leave the transaction open)
    /// closes it; the next call opens another.
    func runInLine<T: Sendable>(
        opening configuration: Connection.Configuration,
        until deadline: ContinuousClock.Instant,
        allowance: Duration,
        _ body: @Sendable (Connection) throws -> T
    ) throws -> T {
        try Task.checkCancellation()
        guard ContinuousClock.now < deadline else {
            throw SQLError(.unavailable, message: "the writes queued before this one took longer than \(allowance)")
        }
        let connection = try self.connection ?? Connection.connect(configuration)
        self.connection = connection
        do {
            return try body(connection)
        } catch let error as ConnectionPool<Connection>.DiscardConnection {
            self.connection = nil
            throw error.underlying
        } catch let error as SQLError where error.kind == .unavailable {
            // As in the pool: a lock, disk or file failure may have left the transaction open.
            self.connection = nil
            throw error
        }
    }

    /// Closes the connection (its handle is freed on this thread) and stops the thread.
    nonisolated func shutdown() async {
        await closeConnection()
        try? await group.shutdownGracefully()
    }

    private func closeConnection() {
        connection = nil
    }
}
