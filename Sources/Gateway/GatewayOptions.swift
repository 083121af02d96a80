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

    /// The defaults of DESIGN.md: `./tenants.d`, `127.0.0.1:8080`, `sqlite:./data/provisioning.sqlite`, 90 days.
    public init(
        configDirectory: String = "./tenants.d",
        host: String = "127.0.0.1",
        port: Int = 8080,
        logStore: String = LogStoreLocation.defaultText,
        logRetentionDays: Int? = 90,
        spoolDirectory: String? = nil
    ) {
        self.configDirectory = configDirectory
        self.host = host
        self.port = port
        self.logStore = logStore
        self.logRetentionDays = logRetentionDays
        self.spoolDirectory = spoolDirectory
    }
}
