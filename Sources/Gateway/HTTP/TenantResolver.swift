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
}

extension TenantDirectory: TenantResolver {}
