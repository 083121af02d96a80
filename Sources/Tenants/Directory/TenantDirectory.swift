import Backends
import Foundation
import Logging
import SCIM
import ServiceLifecycle
import Synchronization

/// The tenants the gateway serves, loaded from the configuration directory and kept current:
/// run as a ``Service``, it polls the directory every second and reloads what changed.
///
/// Lookups (``authenticate(bearerToken:)``, ``tenant(id:)``) are synchronous and read a
/// lock-protected snapshot; reloads build the next snapshot aside and swap it in, one at a time.
public final class TenantDirectory: Service, Sendable {
    /// The configuration directory.
    public let configDirectory: String
    let registry: BackendRegistry
    let logger: Logger
    let files: TenantFiles
    let clock: @Sendable () -> Date
    let pollInterval: Duration
    let state: Locked<DirectoryState>
    let reloads = ReloadQueue()
    /// How long a retired backend stays open for the requests that started on it.
    let retiredBackendGrace: Duration = .seconds(30)
    /// When tokens and clients were last used, recorded in memory and flushed every
    /// ``usageFlushInterval`` (never a file write per request).
    let usage: CredentialUsage
    /// How often ``usage`` is written to `tenants.d/<id>.usage`.
    let usageFlushInterval: Duration = .seconds(30)

    /// The environment variable holding the SHA-256 (hex) of an admin token; several may be
    /// separated by commas or spaces.
    public static let adminTokenEnvironmentVariable = "SCIM_GATEWAY_ADMIN_TOKEN_SHA256"

    /// Makes a directory over `configDirectory`; nothing is loaded until ``reload()`` or ``run()``.
    public convenience init(configDirectory: String, registry: BackendRegistry, logger: Logger) {
        self.init(
            configDirectory: configDirectory,
            registry: registry,
            logger: logger,
            environment: ProcessInfo.processInfo.environment
        )
    }

    /// Makes a directory with an explicit environment (for `passwordEnv` and the admin token
    /// digest), clock (for token expiry) and polling interval.
    public init(
        configDirectory: String,
        registry: BackendRegistry,
        logger: Logger,
        environment: [String: String],
        clock: @escaping @Sendable () -> Date = { Date() },
        pollInterval: Duration = .seconds(1)
    ) {
        self.configDirectory = configDirectory
        self.registry = registry
        self.logger = logger
        self.files = TenantFiles(configDirectory: configDirectory, environment: environment)
        self.clock = clock
        self.pollInterval = pollInterval
        self.state = Locked(DirectoryState())
        self.usage = CredentialUsage(paths: ConfigurationPaths(configDirectory))
    }

    /// Every loaded tenant, sorted by id.
    public var tenants: [Tenant] {
        state.withLock { state in state.entries.values.map(\.tenant) }.sorted { $0.id < $1.id }
    }

    /// The loaded tenant with this id.
    public func tenant(id: String) -> Tenant? {
        state.withLock { $0.entries[id]?.tenant }
    }

    /// Whether a first load has completed.
    public var isLoaded: Bool {
        state.withLock { $0.hasLoaded }
    }

    /// The tenant a bearer token belongs to, or `nil` when the token is unknown, expired or
    /// revoked, or its tenant is gone. A static token's SHA-256 is looked up by its first bytes, then
    /// compared in full in constant time; an access token from `/oauth/token` is verified by its
    /// signature and its client's current state (see ``issueAccessToken(clientID:secret:)``). Each
    /// use is recorded in memory for "last used".
    public func authenticate(bearerToken: String) -> AuthenticatedTenant? {
        if AccessToken.looksLikeAccessToken(bearerToken) {
            return authenticate(accessToken: bearerToken)
        }
        let digest = TokenSecret.digest(of: bearerToken)
        let date = clock()
        let authenticated = state.withLock { state -> AuthenticatedTenant? in
            guard let candidates = state.tokenIndex[DirectoryState.indexKey(digest)] else { return nil }
            var match: IndexedToken?
            for candidate in candidates where TokenSecret.constantTimeEquals(candidate.digest, digest) {
                match = candidate
            }
            guard let match, match.record.status(at: date) == .active,
                let entry = state.entries[match.tenantID]
            else { return nil }
            return AuthenticatedTenant(tenant: entry.tenant, tokenID: match.record.id)
        }
        if let authenticated {
            usage.record(tenant: authenticated.tenant.id, credential: authenticated.tokenID, at: date)
        }
        return authenticated
    }

    /// Whether `token` is an active admin token (from `admin.tokens` or the environment). Every
    /// admin digest is compared in constant time, so timing says nothing about which came close.
    public func isAdminToken(_ token: String) -> Bool {
        let digest = TokenSecret.digest(of: token)
        let date = clock()
        return state.withLock { state in
            var found = false
            for admin in state.adminTokens {
                let equal = TokenSecret.constantTimeEquals(admin.digest, digest)
                if equal, admin.record?.status(at: date) ?? .active == .active {
                    found = true
                }
            }
            return found
        }
    }
}

/// The snapshot lookups read.
struct DirectoryState: Sendable {
    var entries: [String: TenantEntry] = [:]
    /// Last good tokens per tenant id (kept when a token file breaks).
    var tokens: [String: [TokenRecord]] = [:]
    var tokenIndex: [UInt64: [IndexedToken]] = [:]
    var adminRecords: [TokenRecord] = []
    var adminTokens: [AdminToken] = []
    /// Last good OAuth clients per tenant id (kept when a clients file breaks).
    var clients: [String: [OAuthClientRecord]] = [:]
    /// Clients by client id.
    var clientIndex: [String: IndexedClient] = [:]
    /// The installation's access-token signing keys.
    var signingKeys: [SigningKey] = []
    var fingerprint: DirectoryFingerprint?
    var hasLoaded = false
    var nextGeneration: UInt64 = 1

    /// The first eight bytes of a digest, the index's key.
    static func indexKey(_ digest: [UInt8]) -> UInt64 {
        digest.prefix(8).reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
    }

    /// Rebuilds the token index from the entries and their tokens.
    mutating func rebuildTokenIndex() {
        var index: [UInt64: [IndexedToken]] = [:]
        for (tenantID, records) in tokens where entries[tenantID] != nil {
            for record in records where record.revoked == nil {
                guard let digest = TokenSecret.digestBytes(fromHex: record.sha256) else { continue }
                index[Self.indexKey(digest), default: []].append(
                    IndexedToken(digest: digest, tenantID: tenantID, record: record)
                )
            }
        }
        tokenIndex = index
    }
}

/// A loaded tenant and what its backend was built from.
struct TenantEntry: Sendable {
    var tenant: Tenant
    var key: BackendKey
    /// Identifies the backend instance: entries sharing a generation share a backend.
    var generation: UInt64
}

/// A tenant token ready for lookup.
struct IndexedToken: Sendable {
    var digest: [UInt8]
    var tenantID: String
    var record: TokenRecord
}

/// An admin token digest; `record` is `nil` for one given in the environment.
struct AdminToken: Sendable {
    var digest: [UInt8]
    var record: TokenRecord?
}

/// An OAuth client ready for lookup.
struct IndexedClient: Sendable {
    var tenantID: String
    var record: OAuthClientRecord
}
