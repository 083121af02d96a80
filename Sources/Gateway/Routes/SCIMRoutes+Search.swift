import Backends
import Foundation
import Hummingbird
import SCIM
import Tenants

extension SCIMRoutes {
    func list(
        _ request: Request,
        context: GatewayRequestContext,
        base: String,
        kind: ResourceKind
    ) async throws
        -> Response
    {
        context.facts.updateOperation { $0.name = "list" }
        let tenant = try tenant(context, serving: kind)
        let parameters = try ListParameters.fromQuery(
            SCIMRequestSupport.queryItems(request),
            maxResults: BodyLimits.maxResults
        )
        return try await answer(parameters, request: request, tenant: tenant, base: base, kind: kind)
    }

    func search(
        _ request: Request,
        context: GatewayRequestContext,
        base: String,
        kind: ResourceKind
    ) async throws
        -> Response
    {
        context.facts.updateOperation { $0.name = "search" }
        let tenant = try tenant(context, serving: kind)
        let body = try await SCIMRequestSupport.jsonBody(request)
        let parameters = try ListParameters.fromSearchRequest(body, maxResults: BodyLimits.maxResults)
        return try await answer(parameters, request: request, tenant: tenant, base: base, kind: kind)
    }

    /// A list or search on one resource type: an attribute the tenant does not store is 400 invalidFilter.
    private func answer(
        _ parameters: ListParameters,
        request: Request,
        tenant: Tenant,
        base: String,
        kind: ResourceKind
    ) async throws -> Response {
        let schemas = tenant.backend.schemas(for: kind)
        var query = try searchQuery(parameters, schemas: schemas, kind: kind)
        if let filterText = parameters.filter {
            let filter = try FilterParser.parse(filterText)
            try filter.validate(for: kind.resourceType, schemas: schemas)
            query.filter = filter
        }
        let digest = SCIMCursor.queryDigest(kind: kind, filter: query.filter, ascending: query.ascending)
        if let cursor = parameters.cursor {
            query.keyset = try keysetPage(cursor, parameters: parameters, tenant: tenant, digest: digest)
        }
        let result = try await tenant.backend.search(kind, query: query)
        let baseURL = SCIMRequestSupport.baseURL(request, basePath: base)
        let projection = try projection(parameters, kind: kind)
        let resources = result.resources.map { record in
            projection.apply(to: render(record, kind: kind, baseURL: baseURL))
        }
        guard query.keyset != nil else {
            return SCIMResponse.json(
                ListResponse.make(totalResults: result.totalResults, startIndex: query.startIndex, resources: resources)
            )
        }
        let next = result.nextPosition.map { position in
            SCIMCursor(
                tenant: tenant.id,
                query: digest,
                position: position,
                issued: Int64(Date().timeIntervalSince1970.rounded(.down))
            ).encoded()
        }
        return SCIMResponse.json(
            ListResponse.make(totalResults: result.totalResults, resources: resources, nextCursor: next)
        )
    }

    /// The keyset page an RFC 9865 `cursor` asks for: the first page for an empty cursor, otherwise the
    /// position the cursor carries once it is checked against this tenant and query.
    private func keysetPage(
        _ cursor: String,
        parameters: ListParameters,
        tenant: Tenant,
        digest: String
    ) throws -> KeysetPage {
        guard tenant.backend.capabilities.keysetPaging else {
            throw SCIMError(
                status: 400,
                scimType: .invalidCursor,
                detail: "This tenant's backend cannot page by cursor; page with startIndex and count instead."
            )
        }
        if let sortBy = parameters.sortBy, sortBy.lowercased() != "id" {
            throw SCIMError.invalidValue(
                "Cursor pages are ordered by id; send sortBy=id or no sortBy with a cursor (not \(sortBy.prefix(100)))."
            )
        }
        guard !cursor.isEmpty else { return KeysetPage() }
        return KeysetPage(after: try SCIMCursor.decode(cursor, tenant: tenant.id, query: digest).position)
    }

    /// POST `/.search` at the root: Users, then Groups where served. An attribute a resource type does
    /// not define is treated as unassigned there (RFC 7644 §3.4.2.1), not as an error.
    func rootSearch(_ request: Request, context: GatewayRequestContext, base: String) async throws -> Response {
        context.facts.updateOperation { $0.name = "search" }
        let tenant = try context.requireTenant().tenant
        let body = try await SCIMRequestSupport.jsonBody(request)
        let parameters = try ListParameters.fromSearchRequest(body, maxResults: BodyLimits.maxResults)
        guard parameters.cursor == nil else {
            throw SCIMError(
                status: 400,
                scimType: .invalidCursor,
                detail:
                    "A search across resource types pages by startIndex; send a cursor to /Users/.search or /Groups/.search."
            )
        }
        let filter = try parameters.filter.map { try FilterParser.parse($0) }
        let kinds = ResourceKind.allCases.filter { tenant.backend.capabilities.resourceKinds.contains($0) }
        let startIndex = max(1, parameters.startIndex)
        let count = parameters.pageSize(defaultCount: BodyLimits.maxResults, maxResults: BodyLimits.maxResults)
        var skip = startIndex - 1
        var remaining = count
        var total = 0
        var resources: [JSONObject] = []
        let baseURL = SCIMRequestSupport.baseURL(request, basePath: base)
        for kind in kinds {
            let schemas = tenant.backend.schemas(for: kind)
            let reduced = filter.map { UnassignedAttributes.reduce($0, kind: kind, schemas: schemas) } ?? .always
            if case .never = reduced { continue }
            var query = try searchQuery(parameters, schemas: schemas, kind: kind, ignoringUnknownSort: true)
            if case .filter(let expression) = reduced { query.filter = expression }
            query.startIndex = skip + 1
            query.count = remaining
            let result = try await tenant.backend.search(kind, query: query)
            total += result.totalResults
            let projection = try projection(parameters, kind: kind)
            resources += result.resources.map { projection.apply(to: render($0, kind: kind, baseURL: baseURL)) }
            remaining = max(0, remaining - result.resources.count)
            skip = max(0, skip - result.totalResults)
        }
        return SCIMResponse.json(ListResponse.make(totalResults: total, startIndex: startIndex, resources: resources))
    }

    /// The backend query of list parameters, without the filter; `count` defaults to and is capped at
    /// `maxResults`.
    private func searchQuery(
        _ parameters: ListParameters,
        schemas: [SCIMSchema],
        kind: ResourceKind,
        ignoringUnknownSort: Bool = false
    ) throws -> SearchQuery {
        var sortBy: AttributePath?
        if let sortText = parameters.sortBy {
            let path = try AttributePath.parse(sortText)
            let known = (try? FilterExpression.present(path).validate(for: kind.resourceType, schemas: schemas)) != nil
            if known {
                sortBy = path
            } else if !ignoringUnknownSort {
                throw SCIMError.invalidValue("sortBy names '\(sortText)', an attribute this tenant does not store.")
            }
        }
        return SearchQuery(
            filter: nil,
            sortBy: sortBy,
            ascending: parameters.sortOrder != .descending,
            startIndex: max(1, parameters.startIndex),
            count: min(
                max(0, parameters.pageSize(defaultCount: BodyLimits.maxResults, maxResults: BodyLimits.maxResults)),
                BodyLimits.maxResults
            )
        )
    }

    private func projection(_ parameters: ListParameters, kind: ResourceKind) throws -> AttributeProjection {
        try AttributeProjection(
            attributes: parameters.attributes,
            excludedAttributes: parameters.excludedAttributes,
            resourceType: kind.resourceType
        )
    }
}

/// Rewrites a filter for one resource type, treating attributes it does not define as unassigned:
/// a comparison or presence test on them is false.
enum UnassignedAttributes {
    enum Reduced: Sendable, Hashable {
        case always
        case never
        case filter(FilterExpression)
    }

    static func reduce(_ expression: FilterExpression, kind: ResourceKind, schemas: [SCIMSchema]) -> Reduced {
        func known(_ path: AttributePath) -> Bool {
            (try? FilterExpression.present(path).validate(for: kind.resourceType, schemas: schemas)) != nil
        }
        switch expression {
        case .comparison(let path, _, _), .present(let path):
            return known(path) ? .filter(expression) : .never
        case .valuePath(let path, let inner):
            let paths = FilterExpression.valuePath(path, inner).attributePaths()
            return paths.allSatisfy(known) ? .filter(expression) : .never
        case .and(let left, let right):
            switch (reduce(left, kind: kind, schemas: schemas), reduce(right, kind: kind, schemas: schemas)) {
            case (.never, _), (_, .never): return .never
            case (.always, let other), (let other, .always): return other
            case (.filter(let l), .filter(let r)): return .filter(.and(l, r))
            }
        case .or(let left, let right):
            switch (reduce(left, kind: kind, schemas: schemas), reduce(right, kind: kind, schemas: schemas)) {
            case (.always, _), (_, .always): return .always
            case (.never, let other), (let other, .never): return other
            case (.filter(let l), .filter(let r)): return .filter(.or(l, r))
            }
        case .not(let inner):
            switch reduce(inner, kind: kind, schemas: schemas) {
            case .always: return .never
            case .never: return .always
            case .filter(let inner): return .filter(.not(inner))
            }
        }
    }
}
