import Backends
import Hummingbird
import SCIM
import Tenants

/// The SCIM 2.0 endpoints, under each base path (`/scim/v2`, `/api/scim/v2`).
struct SCIMRoutes {
    let provisioningLog: ProvisioningLog
    let rateLimiter: TenantRateLimiter
    /// The tenants' credentials, for the authentication schemes /ServiceProviderConfig lists.
    var tenants: (any TenantResolver)? = nil

    func register(on router: Router<GatewayRequestContext>) {
        for base in SCIMPaths.bases {
            registerResources(on: router, base: base, kind: .user)
            registerResources(on: router, base: base, kind: .group)
            router.post("\(base)/.search") { request, context in
                try await rootSearch(request, context: context, base: base)
            }
            registerDiscovery(on: router, base: base)
            router.post("\(base)/Bulk") { request, context in
                try await bulk(request, context: context, base: base)
            }
        }
    }

    private func registerResources(on router: Router<GatewayRequestContext>, base: String, kind: ResourceKind) {
        let path = base + kind.resourceType.endpoint
        router.get(RouterPath(path)) { request, context in
            try await list(request, context: context, base: base, kind: kind)
        }
        router.post(RouterPath(path)) { request, context in
            try await create(request, context: context, base: base, kind: kind)
        }
        router.post(RouterPath(path + "/.search")) { request, context in
            try await search(request, context: context, base: base, kind: kind)
        }
        router.get(RouterPath(path + "/:id")) { request, context in
            try await get(request, context: context, base: base, kind: kind)
        }
        router.put(RouterPath(path + "/:id")) { request, context in
            try await replace(request, context: context, base: base, kind: kind)
        }
        router.patch(RouterPath(path + "/:id")) { request, context in
            try await patch(request, context: context, base: base, kind: kind)
        }
        router.delete(RouterPath(path + "/:id")) { request, context in
            try await delete(request, context: context, kind: kind)
        }
    }

    /// The tenant, after checking that its backend serves `kind` (Groups are optional).
    func tenant(_ context: GatewayRequestContext, serving kind: ResourceKind) throws -> Tenant {
        let tenant = try context.requireTenant().tenant
        context.facts.updateOperation { $0.resourceType = kind.rawValue }
        guard tenant.backend.capabilities.resourceKinds.contains(kind) else {
            throw SCIMError.notFound("This tenant does not provision \(kind.resourceType.endpoint.dropFirst()).")
        }
        return tenant
    }

    /// The path parameter `id`.
    func resourceID(_ context: GatewayRequestContext) throws -> String {
        guard let id = context.parameters.get("id"), !id.isEmpty else {
            throw SCIMError.notFound("The resource id is missing.")
        }
        context.facts.updateOperation { $0.resourceId = id }
        return id
    }

    /// The client form of a record: `schemas`, `id`, `meta` (with `location` and `version`).
    func render(_ record: ResourceRecord, kind: ResourceKind, baseURL: String) -> JSONObject {
        ResourceRenderer(resourceType: kind.resourceType, baseURL: baseURL).render(record)
    }

    /// `baseURL/Users/{id}`.
    func location(of record: ResourceRecord, kind: ResourceKind, baseURL: String) -> String {
        ResourceRenderer(resourceType: kind.resourceType, baseURL: baseURL).location(of: record.id)
    }
}
