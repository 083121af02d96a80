/// What one client connection may cost the server: how long it may take to send a request head or a
/// body, how long it may sit idle between requests, and how many connections may be open at once.
/// `serve` takes each as a flag (`--header-timeout`, `--body-timeout`, `--min-body-rate`,
/// `--idle-timeout`, `--max-connections`).
public struct ConnectionLimits: Sendable, Hashable {
    /// A new connection must have sent a complete request head within this time, and so must a
    /// keep-alive connection once it has sent the first byte of its next request.
    public var headerTimeout: Duration
    /// While a body is read, each window of this length must bring at least
    /// `minimumBodyRate × bodyTimeout` bytes (or the body's end); otherwise the connection is closed.
    public var bodyTimeout: Duration
    /// The slowest body accepted, in bytes per second, averaged over `bodyTimeout`.
    public var minimumBodyRate: Int
    /// A keep-alive connection with no request in progress is closed after this time.
    public var idleTimeout: Duration
    /// The most connections open at once; further ones wait in the listen backlog.
    public var maxConnections: Int

    /// The defaults of DESIGN.md: a 30 s head, 10 s body windows at 16 bytes/s or faster, 60 s idle,
    /// 4096 connections.
    public init(
        headerTimeout: Duration = .seconds(30),
        bodyTimeout: Duration = .seconds(10),
        minimumBodyRate: Int = 16,
        idleTimeout: Duration = .seconds(60),
        maxConnections: Int = 4096
    ) {
        self.headerTimeout = headerTimeout
        self.bodyTimeout = bodyTimeout
        self.minimumBodyRate = max(0, minimumBodyRate)
        self.idleTimeout = idleTimeout
        self.maxConnections = max(1, maxConnections)
    }

    /// The bytes a body must bring in one window.
    var minimumBytesPerWindow: Int {
        let (seconds, attoseconds) = bodyTimeout.components
        let window = Double(seconds) + Double(attoseconds) / 1e18
        let bytes = (window * Double(minimumBodyRate)).rounded(.up)
        guard bytes.isFinite, bytes < Double(Int32.max) else { return Int(Int32.max) }
        return max(0, Int(bytes))
    }

    /// The range `serve` accepts for a timeout, in seconds.
    public static let timeoutRange: ClosedRange<Double> = 0.1...86_400

    /// The range `serve` accepts for `--max-connections`.
    public static let maxConnectionsRange: ClosedRange<Int> = 1...1_000_000
}
