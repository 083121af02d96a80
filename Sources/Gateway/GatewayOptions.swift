/// How `scim-gateway serve` runs.
public struct GatewayOptions: Sendable, Hashable {
    /// The tenants.d directory.
    public var configDirectory: String
    /// The address to listen on.
    public var host: String
    /// The port to listen on.
    public var port: Int
    /// The provisioning-log store (`sqlite:PATH` or `postgres://…`).
    public var logStore: String
    /// Days of provisioning log kept; `nil` keeps everything.
    public var logRetentionDays: Int?
    /// Where the log spools while its store fails; `nil` puts the spool beside the SQLite file
    /// (or in `./data` for PostgreSQL).
    public var spoolDirectory: String?
    /// Timeouts and the connection cap of the HTTP server.
    public var connectionLimits: ConnectionLimits
    /// Peers whose `X-Forwarded-For` names the client in the provisioning log; from any other peer
    /// the header is ignored and the peer's own address is logged.
    public var trustedProxies: Set<String>

    /// The defaults of DESIGN.md: `./tenants.d`, `127.0.0.1:8080`, `sqlite:./data/provisioning.sqlite`, 90 days.
    public init(
        configDirectory: String = "./tenants.d",
        host: String = "127.0.0.1",
        port: Int = 8080,
        logStore: String = LogStoreLocation.defaultText,
        logRetentionDays: Int? = 90,
        spoolDirectory: String? = nil,
        connectionLimits: ConnectionLimits = ConnectionLimits(),
        trustedProxies: Set<String> = []
    ) {
        self.configDirectory = configDirectory
        self.host = host
        self.port = port
        self.logStore = logStore
        self.logRetentionDays = logRetentionDays
        self.spoolDirectory = spoolDirectory
        self.connectionLimits = connectionLimits
        self.trustedProxies = trustedProxies
    }
}
