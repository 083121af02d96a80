import Backends
import Hummingbird
import SCIM
import Tenants

extension SCIMRoutes {
    func registerDiscovery(on router: Router<GatewayRequestContext>, base: String) {
        let readOnly: [HTTPRequest.Method] = [.post, .put, .patch, .delete]
        let endpoints = ["/ServiceProviderConfig", "/ResourceTypes", "/ResourceTypes/:id", "/Schemas", "/Schemas/:id"]
        for endpoint in endpoints {
            for method in readOnly {
                router.on(RouterPath(base + endpoint), method: method) { _, context -> Response in
                    context.facts.updateOperation { $0.name = "discovery" }
                    throw SCIMErrorRendering.methodNotAllowed(allowed: [.get])
                }
            }
        }
        router.get(RouterPath(base + "/ServiceProviderConfig")) { request, context in
            context.facts.updateOperation { $0.name = "discovery" }
            let tenant = try context.requireTenant().tenant
            let baseURL = SCIMRequestSupport.baseURL(request, basePath: base)
            var features = Self.features(of: tenant.backend)
            features.authenticationSchemes = authenticationSchemes(tenant: tenant.id, request: request)
            return SCIMResponse.json(
                DiscoveryDocuments.serviceProviderConfig(features, location: baseURL + "/ServiceProviderConfig")
            )
        }
        router.get(RouterPath(base + "/ResourceTypes")) { request, context in
            context.facts.updateOperation { $0.name = "discovery" }
            let tenant = try context.requireTenant().tenant
            let baseURL = SCIMRequestSupport.baseURL(request, basePath: base)
            let documents = Self.resourceTypes(of: tenant.backend).map {
                DiscoveryDocuments.resourceType($0, location: "\(baseURL)/ResourceTypes/\($0.name)")
            }
            return SCIMResponse.json(
                ListResponse.make(totalResults: documents.count, startIndex: 1, resources: documents)
            )
        }
        router.get(RouterPath(base + "/ResourceTypes/:id")) { request, context in
            context.facts.updateOperation { $0.name = "discovery" }
            let tenant = try context.requireTenant().tenant
            let id = context.parameters.get("id") ?? ""
            guard
                let type = Self.resourceTypes(of: tenant.backend).first(where: {
                    $0.name.lowercased() == id.lowercased()
                })
            else {
                throw SCIMError.notFound("No resource type '\(id.prefix(100))' on this tenant.")
            }
            let baseURL = SCIMRequestSupport.baseURL(request, basePath: base)
            return SCIMResponse.json(
                DiscoveryDocuments.resourceType(type, location: "\(baseURL)/ResourceTypes/\(type.name)")
            )
        }
        router.get(RouterPath(base + "/Schemas")) { request, context in
            context.facts.updateOperation { $0.name = "discovery" }
            let tenant = try context.requireTenant().tenant
            let baseURL = SCIMRequestSupport.baseURL(request, basePath: base)
            let documents = Self.schemas(of: tenant.backend).map {
                DiscoveryDocuments.schema($0, location: "\(baseURL)/Schemas/\($0.id)")
            }
            return SCIMResponse.json(
                ListResponse.make(totalResults: documents.count, startIndex: 1, resources: documents)
            )
        }
        router.get(RouterPath(base + "/Schemas/:id")) { request, context in
            context.facts.updateOperation { $0.name = "discovery" }
            let tenant = try context.requireTenant().tenant
            let id = context.parameters.get("id") ?? ""
            guard let schema = Self.schemas(of: tenant.backend).first(where: { $0.id.lowercased() == id.lowercased() })
            else {
                throw SCIMError.notFound("No schema '\(id.prefix(200))' on this tenant.")
            }
            let baseURL = SCIMRequestSupport.baseURL(request, basePath: base)
            return SCIMResponse.json(DiscoveryDocuments.schema(schema, location: "\(baseURL)/Schemas/\(schema.id)"))
        }
    }

    /// What the tenant has: static bearer tokens, OAuth clients (with the token endpoint's URL), or
    /// both. HTTP Basic is never offered for SCIM requests.
    func authenticationSchemes(tenant: String, request: Request) -> [AuthenticationScheme] {
        let kinds = tenants?.credentialKinds(tenant: tenant) ?? (staticTokens: true, oauthClients: false)
        var schemes: [AuthenticationScheme] = []
        if kinds.oauthClients {
            let endpoint = SCIMRequestSupport.baseURL(request, basePath: OAuthTokenRoutes.path)
            schemes.append(.clientCredentials(tokenEndpoint: endpoint))
        }
        if kinds.staticTokens || schemes.isEmpty {
            schemes.append(.bearerToken)
        }
        return schemes
    }

    /// The resource types the backend serves, each listing only the extensions its mapping stores.
    static func resourceTypes(of backend: any Backend) -> [SCIMResourceType] {
        ResourceKind.allCases.filter { backend.capabilities.resourceKinds.contains($0) }.map { kind in
            var type = kind.resourceType
            let stored = Set(backend.schemas(for: kind).map { $0.id.lowercased() })
            type.extensions = type.extensions.filter { stored.contains($0.schema.id.lowercased()) }
            return type
        }
    }

    /// Every schema the backend stores, each once.
    static func schemas(of backend: any Backend) -> [SCIMSchema] {
        var seen = Set<String>()
        var result: [SCIMSchema] = []
        for kind in ResourceKind.allCases where backend.capabilities.resourceKinds.contains(kind) {
            for schema in backend.schemas(for: kind) where seen.insert(schema.id.lowercased()).inserted {
                result.append(schema)
            }
        }
        return result
    }

    /// What /ServiceProviderConfig advertises for a backend.
    static func features(of backend: any Backend) -> ServiceProviderFeatures {
        let capabilities = backend.capabilities
        var features = ServiceProviderFeatures(
            patch: true,
            bulk: .init(supported: true, maxOperations: BodyLimits.bulkOperations, maxPayloadSize: BodyLimits.bulk),
            filter: .init(supported: true, maxResults: BodyLimits.maxResults),
            changePassword: capabilities.changePassword,
            sort: capabilities.sorting,
            etag: capabilities.etags
        )
        features.pagination = .init(
            cursor: capabilities.keysetPaging,
            index: true,
            defaultPageSize: BodyLimits.maxResults,
            maxPageSize: BodyLimits.maxResults,
            cursorTimeout: Int(SCIMCursor.timeout.components.seconds)
        )
        return features
    }
}
