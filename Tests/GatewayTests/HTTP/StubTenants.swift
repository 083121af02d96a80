import Backends
import Foundation
import Gateway
import SCIM
import Tenants

/// A backend that stores nothing: every resource is absent, every search empty. For middleware tests,
/// which never reach a real store.
struct EmptyBackend: Backend {
    var capabilities: BackendCapabilities {
        BackendCapabilities(
            resourceKinds: [.user],
            sorting: true,
            etags: true,
            changePassword: false,
            filterOperators: [.eq]
        )
    }

    func schemas(for kind: ResourceKind) -> [SCIMSchema] { [kind.resourceType.schema] }

    func create(_ kind: ResourceKind, attributes: JSONObject) async throws -> ResourceRecord {
        throw SCIMError.unavailable("read-only")
    }

    func get(_ kind: ResourceKind, id: String) async throws -> ResourceRecord {
        throw SCIMError.notFound("Resource \(id) not found.")
    }

    func replace(
        _ kind: ResourceKind,
        id: String,
        attributes: JSONObject,
        ifMatch: String?
    ) async throws
        -> ResourceRecord
    {
        throw SCIMError.notFound("Resource \(id) not found.")
    }

    func modify(
        _ kind: ResourceKind,
        id: String,
        ifMatch: String?,
        change: @Sendable (ResourceRecord) throws -> JSONObject
    ) async throws -> ResourceRecord {
        throw SCIMError.notFound("Resource \(id) not found.")
    }

    func delete(_ kind: ResourceKind, id: String, mode: DeprovisionMode, ifMatch: String?) async throws {
        throw SCIMError.notFound("Resource \(id) not found.")
    }

    func search(_ kind: ResourceKind, query: SearchQuery) async throws -> SearchResult {
        SearchResult(totalResults: 0, resources: [])
    }

    func verify(connect: Bool) async -> [String] { [] }

    func shutdown() async {}
}

/// Fixed tenants and tokens, for middleware tests.
struct StubTenants: TenantResolver {
    var byToken: [String: AuthenticatedTenant]
    var adminToken = "admin-secret"

    static func make(rateLimit: RateLimit = .default) -> StubTenants {
        let configuration = TenantConfiguration(
            id: "acme",
            name: "ACME",
            backend: .init(kind: "stub"),
            mapping: "chamilo-1.11",
            settings: [:],
            deprovision: .deactivate,
            rateLimit: rateLimit
        )
        let tenant = Tenant(configuration: configuration, backend: EmptyBackend())
        return StubTenants(byToken: ["sgw_good": AuthenticatedTenant(tenant: tenant, tokenID: "tok_1")])
    }

    func authenticate(bearerToken: String) -> AuthenticatedTenant? { byToken[bearerToken] }

    var tenants: [Tenant] { byToken.values.map(\.tenant) }

    func isAdminToken(_ token: String) -> Bool { token == adminToken }

    func reload() async -> [String] { [] }
}
