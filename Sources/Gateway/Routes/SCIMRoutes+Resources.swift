import Backends
import Hummingbird
import SCIM
import Synchronization
import Tenants

extension SCIMRoutes {
    func create(_ request: Request, context: GatewayRequestContext, base: String, kind: ResourceKind) async throws
        -> Response
    {
        context.facts.updateOperation { $0.name = "create" }
        let tenant = try tenant(context, serving: kind)
        let body = try await SCIMRequestSupport.jsonBody(request)
        let normalizer = ResourceNormalizer(resourceType: kind.resourceType, schemas: tenant.backend.schemas(for: kind))
        let (attributes, dropped) = try normalizer.normalizeReportingDropped(body)
        report(attributes, dropped: dropped, kind: kind, context: context)
        try SCIMRequestSupport.checkPassword(attributes, backend: tenant.backend)
        let record = try await tenant.backend.create(kind, attributes: attributes)
        context.facts.updateOperation { $0.resourceId = record.id }
        return try respond(record, request: request, base: base, kind: kind, status: .created)
    }

    func get(_ request: Request, context: GatewayRequestContext, base: String, kind: ResourceKind) async throws
        -> Response
    {
        context.facts.updateOperation { $0.name = "get" }
        let tenant = try tenant(context, serving: kind)
        let id = try resourceID(context)
        let record = try await tenant.backend.get(kind, id: id)
        reportIdentity(record.attributes, kind: kind, context: context)
        if SCIMRequestSupport.ifNoneMatchHits(request.headers[.ifNoneMatch], record: record) {
            let baseURL = SCIMRequestSupport.baseURL(request, basePath: base)
            return SCIMResponse.empty(
                .notModified,
                headers: SCIMRequestSupport.resourceHeaders(
                    location: location(of: record, kind: kind, baseURL: baseURL),
                    record: record
                )
            )
        }
        return try respond(record, request: request, base: base, kind: kind, status: .ok)
    }

    func replace(_ request: Request, context: GatewayRequestContext, base: String, kind: ResourceKind) async throws
        -> Response
    {
        context.facts.updateOperation { $0.name = "replace" }
        let tenant = try tenant(context, serving: kind)
        let id = try resourceID(context)
        let body = try await SCIMRequestSupport.jsonBody(request)
        let normalizer = ResourceNormalizer(resourceType: kind.resourceType, schemas: tenant.backend.schemas(for: kind))
        let (attributes, dropped) = try normalizer.normalizeReportingDropped(body)
        report(attributes, dropped: dropped, kind: kind, context: context)
        try SCIMRequestSupport.checkPassword(attributes, backend: tenant.backend)
        let record = try await tenant.backend.replace(
            kind,
            id: id,
            attributes: attributes,
            ifMatch: SCIMRequestSupport.ifMatch(request)
        )
        return try respond(record, request: request, base: base, kind: kind, status: .ok)
    }

    func patch(_ request: Request, context: GatewayRequestContext, base: String, kind: ResourceKind) async throws
        -> Response
    {
        context.facts.updateOperation { $0.name = "patch" }
        let tenant = try tenant(context, serving: kind)
        let id = try resourceID(context)
        let body = try await SCIMRequestSupport.jsonBody(request)
        let patchRequest = try PatchRequest.decode(body)
        let engine = PatchEngine(resourceType: kind.resourceType, schemas: tenant.backend.schemas(for: kind))
        let backend = tenant.backend
        let changed = Mutex<[String]>([])
        let record = try await backend.modify(kind, id: id, ifMatch: SCIMRequestSupport.ifMatch(request)) {
            current in
            let (updated, dropped) = try engine.applyReportingDropped(patchRequest, to: current.attributes)
            try SCIMRequestSupport.checkPassword(updated, backend: backend)
            changed.withLock {
                $0 = SCIMRequestSupport.changedAttributeNames(from: current.attributes, to: updated) + dropped
            }
            return updated
        }
        let names = changed.withLock { $0 }
        let identity = SCIMRequestSupport.identity(record.attributes, kind: kind)
        context.facts.updateOperation {
            $0.attributes = names
            $0.userName = identity.name
            $0.externalId = identity.externalId
        }
        return try respond(record, request: request, base: base, kind: kind, status: .ok)
    }

    func delete(_ request: Request, context: GatewayRequestContext, kind: ResourceKind) async throws -> Response {
        context.facts.updateOperation { $0.name = "delete" }
        let tenant = try tenant(context, serving: kind)
        let id = try resourceID(context)
        try await tenant.backend.delete(kind, id: id, mode: tenant.deprovision, ifMatch: SCIMRequestSupport.ifMatch(request))
        return SCIMResponse.empty(.noContent)
    }

    /// A resource response with `Location` and `ETag`, projected by `attributes` / `excludedAttributes`.
    func respond(
        _ record: ResourceRecord,
        request: Request,
        base: String,
        kind: ResourceKind,
        status: HTTPResponse.Status
    ) throws -> Response {
        let baseURL = SCIMRequestSupport.baseURL(request, basePath: base)
        var body = render(record, kind: kind, baseURL: baseURL)
        let items = SCIMRequestSupport.queryItems(request)
        if items["attributes"] != nil || items["excludedAttributes"] != nil {
            let projection = try AttributeProjection(
                attributes: AttributeProjection.parseList(items["attributes"] ?? ""),
                excludedAttributes: AttributeProjection.parseList(items["excludedAttributes"] ?? ""),
                resourceType: kind.resourceType
            )
            body = projection.apply(to: body)
        }
        return SCIMResponse.json(
            body,
            status: status,
            headers: SCIMRequestSupport.resourceHeaders(
                location: location(of: record, kind: kind, baseURL: baseURL),
                record: record
            )
        )
    }

    private func report(_ attributes: JSONObject, dropped: [String], kind: ResourceKind, context: GatewayRequestContext) {
        let identity = SCIMRequestSupport.identity(attributes, kind: kind)
        context.facts.updateOperation {
            $0.attributes = SCIMRequestSupport.attributeNames(attributes) + dropped
            $0.userName = identity.name
            $0.externalId = identity.externalId
        }
    }

    private func reportIdentity(_ attributes: JSONObject, kind: ResourceKind, context: GatewayRequestContext) {
        let identity = SCIMRequestSupport.identity(attributes, kind: kind)
        context.facts.updateOperation {
            $0.userName = identity.name
            $0.externalId = identity.externalId
        }
    }
}
