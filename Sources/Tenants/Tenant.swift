import Backends

/// A tenant (portal) as the gateway serves it: its validated configuration and its backend.
public struct Tenant: Sendable {
    /// The tenant id, equal to its file name.
    public var id: String
    /// The name for operators.
    public var name: String
    /// The tenant file as loaded.
    public var configuration: TenantConfiguration
    /// The mapping's name (`tenants.d/mappings/<name>.yaml`).
    public var mappingName: String
    /// The tenant's store of users and groups.
    public var backend: any Backend
    /// What SCIM DELETE does.
    public var deprovision: DeprovisionMode
    /// The tenant's request rate limit.
    public var rateLimit: RateLimit
    /// The requests using `backend` now; a reload waits for them before shutting a retired backend down.
    public let usage: BackendUsage

    /// Makes a tenant from a configuration and the backend built for it.
    public init(configuration: TenantConfiguration, backend: any Backend) {
        self.id = configuration.id
        self.name = configuration.name
        self.configuration = configuration
        self.mappingName = configuration.mapping
        self.backend = backend
        self.deprovision = configuration.deprovision
        self.rateLimit = configuration.rateLimit
        self.usage = BackendUsage()
    }
}

/// A token bucket's parameters: the steady rate and the largest burst.
public struct RateLimit: Sendable, Hashable {
    /// Requests per second refilled.
    public var perSecond: Double
    /// The bucket size: requests allowed at once after a quiet period.
    public var burst: Int

    /// Makes a rate limit.
    public init(perSecond: Double, burst: Int) {
        self.perSecond = perSecond
        self.burst = burst
    }

    /// 100 requests per second with a burst of 200, four times Entra ID's published minimum.
    public static let `default` = RateLimit(perSecond: 100, burst: 200)

    /// The rates a tenant file may set: from one request per 100 s (a `Retry-After` stays under two
    /// minutes) to a million per second.
    public static let perSecondRange: ClosedRange<Double> = 0.01...1_000_000

    /// The bucket sizes a tenant file may set.
    public static let burstRange: ClosedRange<Int> = 1...10_000_000
}

/// The tenant a bearer token belongs to, and which token it was (for the provisioning log).
public struct AuthenticatedTenant: Sendable {
    /// The tenant.
    public var tenant: Tenant
    /// The token's id (`tok_…`), never the token itself.
    public var tokenID: String

    /// Makes an authenticated tenant.
    public init(tenant: Tenant, tokenID: String) {
        self.tenant = tenant
        self.tokenID = tokenID
    }
}
