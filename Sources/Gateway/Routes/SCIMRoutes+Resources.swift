import Backends
import Hummingbird
import SCIM
import Tenants

extension SCIMRoutes {
    func create(
        _ request: Request,
        context: GatewayRequestContext,
        base: String,
        kind: ResourceKind
    ) async throws
        -> Response
    {
        context.facts.updateOperation { $0.name = "create" }
        let tenant = try tenant(context, serving: kind)
        let body = try await SCIMRequestSupport.jsonBody(request)
        let outcome = try await ResourceOperations(tenant: tenant, kind: kind, identify: identityRecorder(context))
            .create(body)
        report(outcome, context: context)
        return try respond(outcome.record, request: request, base: base, kind: kind, status: .created)
    }

    func get(
        _ request: Request,
        context: GatewayRequestContext,
        base: String,
        kind: ResourceKind
    ) async throws
        -> Response
    {
        context.facts.updateOperation { $0.name = "get" }
        let tenant = try tenant(context, serving: kind)
        let id = try resourceID(context)
        let record = try await tenant.backend.get(kind, id: id)
        let identity = SCIMRequestSupport.identity(record.attributes, kind: kind)
        context.facts.updateOperation {
            $0.userName = identity.name
            $0.externalId = identity.externalId
        }
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

    func replace(
        _ request: Request,
        context: GatewayRequestContext,
        base: String,
        kind: ResourceKind
    ) async throws
        -> Response
    {
        context.facts.updateOperation { $0.name = "replace" }
        let tenant = try tenant(context, serving: kind)
        let id = try resourceID(context)
        let body = try await SCIMRequestSupport.jsonBody(request)
        let outcome = try await ResourceOperations(tenant: tenant, kind: kind, identify: identityRecorder(context))
            .replace(id: id, body: body, ifMatch: SCIMRequestSupport.ifMatch(request))
        report(outcome, context: context)
        return try respond(outcome.record, request: request, base: base, kind: kind, status: .ok)
    }

    func patch(
        _ request: Request,
        context: GatewayRequestContext,
        base: String,
        kind: ResourceKind
    ) async throws
        -> Response
    {
        context.facts.updateOperation { $0.name = "patch" }
        let tenant = try tenant(context, serving: kind)
        let id = try resourceID(context)
        let body = try await SCIMRequestSupport.jsonBody(request)
        let operations = ResourceOperations(tenant: tenant, kind: kind, identify: identityRecorder(context))
        let items = SCIMRequestSupport.queryItems(request)
        // Member-only PATCHes of a group cost what they change: 204 with the new ETag (RFC 7644 §3.5.2),
        // unless the client asked for a representation with attributes / excludedAttributes.
        if items["attributes"] == nil, items["excludedAttributes"] == nil,
            let version = try await operations.patchMembers(
                id: id,
                body: body,
                ifMatch: SCIMRequestSupport.ifMatch(request)
            )
        {
            context.facts.updateOperation {
                $0.resourceId = id
                $0.attributes = ["members"]
            }
            var headers = HTTPFields()
            headers[.eTag] = "W/\"\(version)\""
            return SCIMResponse.empty(.noContent, headers: headers)
        }
        let outcome = try await operations.patch(id: id, body: body, ifMatch: SCIMRequestSupport.ifMatch(request))
        report(outcome, context: context)
        return try respond(outcome.record, request: request, base: base, kind: kind, status: .ok)
    }

    func delete(_ request: Request, context: GatewayRequestContext, kind: ResourceKind) async throws -> Response {
        context.facts.updateOperation { $0.name = "delete" }
        let tenant = try tenant(context, serving: kind)
        let id = try resourceID(context)
        try await ResourceOperations(tenant: tenant, kind: kind, identify: identityRecorder(context)).delete(
            id: id,
            ifMatch: SCIMRequestSupport.ifMatch(request)
        )
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

    /// Reports who the request concerns to the request's facts as soon as it is known.
    private func identityRecorder(_ context: GatewayRequestContext) -> IdentityRecorder {
        let facts = context.facts
        return IdentityRecorder { name, externalId in
            facts.updateOperation {
                $0.userName = name
                $0.externalId = externalId
            }
        }
    }

    private func report(_ outcome: ResourceOperations.Outcome, context: GatewayRequestContext) {
        context.facts.updateOperation {
            $0.resourceId = outcome.record.id
            $0.attributes = outcome.attributes
            $0.dropped = outcome.dropped
            $0.userName = outcome.name
            $0.externalId = outcome.externalId
        }
    }
}
