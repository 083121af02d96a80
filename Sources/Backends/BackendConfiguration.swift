/// Everything a backend plugin needs to build one tenant's backend: the tenant file's `backend`
/// section (secrets already resolved), its `settings`, and its mapping.
public struct BackendConfiguration: Sendable {
    /// The tenant id, for messages and logs.
    public var tenantID: String
    /// `sqlite`, `postgres`, `mysql`, `chamilo-rest`.
    public var kind: String
    /// The connection URL (`postgres://…`, `mysql://…`, `https://portal/main/webservices/api/v2.php`).
    public var url: String?
    /// The database file for SQLite, relative to the working directory unless absolute.
    public var path: String?
    /// The user name when the URL does not carry it (the Chamilo admin for `chamilo-rest`).
    public var username: String?
    /// The password, read from `passwordEnv` / `passwordFile`; never inline in the tenant file.
    public var password: String?
    /// The largest number of connections the tenant's pool may open.
    public var poolMax: Int
    /// How long to wait for a connection to open.
    public var connectTimeout: Duration
    /// How long one statement or API call may take.
    public var statementTimeout: Duration
    /// The tenant's `settings` (e.g. `accessUrlId`, `passwordEncryption`), as strings.
    public var settings: [String: String]
    /// The tenant's mapping.
    public var mapping: Mapping
    /// Whether `mapping` has passed ``Mapping/validate()`` already (the tenants loader validates each
    /// mapping file once for all the tenants that use it), so the backend need not validate it again.
    public var mappingIsValidated = false

    public init(
        tenantID: String,
        kind: String,
        url: String? = nil,
        path: String? = nil,
        username: String? = nil,
        password: String? = nil,
        poolMax: Int = 8,
        connectTimeout: Duration = .seconds(5),
        statementTimeout: Duration = .seconds(10),
        settings: [String: String] = [:],
        mapping: Mapping
    ) {
        self.tenantID = tenantID
        self.kind = kind
        self.url = url
        self.path = path
        self.username = username
        self.password = password
        self.poolMax = poolMax
        self.connectTimeout = connectTimeout
        self.statementTimeout = statementTimeout
        self.settings = settings
        self.mapping = mapping
    }
}

/// Builds backends by `kind`. Adding a backend is adding a folder under `Sources/Backends/` and one
/// entry in ``standard``.
public struct BackendRegistry: Sendable {
    /// Makes a backend from a configuration; throws a ``BackendConfigurationError`` naming what is wrong.
    public typealias Factory = @Sendable (BackendConfiguration) throws -> any Backend

    private var factories: [String: Factory]

    public init(factories: [String: Factory]) {
        self.factories = factories
    }

    /// The kinds this registry can build, sorted.
    public var kinds: [String] { factories.keys.sorted() }

    /// Builds the backend for `configuration.kind`.
    public func makeBackend(_ configuration: BackendConfiguration) throws -> any Backend {
        guard let factory = factories[configuration.kind] else {
            throw BackendConfigurationError(
                "unknown backend kind '\(configuration.kind)'; expected one of: \(kinds.joined(separator: ", "))"
            )
        }
        return try factory(configuration)
    }
}

/// A tenant's backend section or mapping cannot be used; the message says what and where.
public struct BackendConfigurationError: Error, Sendable, CustomStringConvertible {
    public var message: String

    public init(_ message: String) {
        self.message = message
    }

    public var description: String { message }
}
