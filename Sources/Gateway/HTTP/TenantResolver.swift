import Foundation
import Tenants

/// What the HTTP layer needs from the tenant directory: token look-up, the tenants served, the
/// admin token check and reload.
public protocol TenantResolver: Sendable {
    /// The tenant and token id for a bearer token; `nil` for an unknown, expired or revoked token.
    func authenticate(bearerToken: String) -> AuthenticatedTenant?
    /// Every tenant currently served.
    var tenants: [Tenant] { get }
    /// Whether `token` is an operator's admin token.
    func isAdminToken(_ token: String) -> Bool
    /// Re-reads the configuration; answers the problems found, one line each.
    func reload() async -> [String]
    /// Checks OAuth client credentials and issues an access token for the client's tenant.
    func issueAccessToken(clientID: String, secret: String) -> Result<IssuedAccessToken, ClientRefusal>
    /// Whether the tenant has active static tokens and active OAuth clients.
    func credentialKinds(tenant: String) -> (staticTokens: Bool, oauthClients: Bool)
    /// Active tokens and clients that expire within `window` seconds.
    func expiringCredentials(within window: TimeInterval) -> [ExpiringCredential]
    /// When each of the tenant's tokens and clients was last used, by id.
    func lastUsed(tenant: String) -> [String: Date]
    /// The configuration directory whose token and client files the admin API manages; `nil`
    /// when there is none (tests with fixed tenants).
    var credentialDirectory: String? { get }
}

extension TenantResolver {
    /// No OAuth clients: every client is unknown.
    public func issueAccessToken(clientID: String, secret: String) -> Result<IssuedAccessToken, ClientRefusal> {
        .failure(ClientRefusal(reason: "this gateway has no OAuth clients"))
    }

    /// Static tokens only.
    public func credentialKinds(tenant: String) -> (staticTokens: Bool, oauthClients: Bool) { (true, false) }

    /// Nothing expires.
    public func expiringCredentials(within window: TimeInterval) -> [ExpiringCredential] { [] }

    /// Nothing recorded.
    public func lastUsed(tenant: String) -> [String: Date] { [:] }

    /// No configuration directory.
    public var credentialDirectory: String? { nil }
}

extension TenantDirectory: TenantResolver {
    /// The directory itself.
    public var credentialDirectory: String? { configDirectory }
}
