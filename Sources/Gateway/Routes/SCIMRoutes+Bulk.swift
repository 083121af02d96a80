import Backends
import Foundation
import Hummingbird
import SCIM
import Tenants

extension SCIMRoutes {
    /// POST `/Bulk` (RFC 7644 §3.7): operations run in dependency order (an operation referring to
    /// `bulkId:X` after the one creating X, otherwise in the client's order), `failOnErrors` honoured,
    /// answers in the client's order. Operations caught in a cycle of references fail with 409. Each
    /// operation is one provisioning-log entry.
    func bulk(_ request: Request, context: GatewayRequestContext, base: String) async throws -> Response {
        context.facts.updateOperation { $0.name = "bulk" }
        let authenticated = try context.requireTenant()
        let body = try await SCIMRequestSupport.jsonBody(request, limit: BodyLimits.bulk)
        let bulkRequest = try BulkRequest.decode(body, maxOperations: BodyLimits.bulkOperations)
        try chargeBulkOperations(bulkRequest.operations.count, tenant: authenticated.tenant)
        let baseURL = SCIMRequestSupport.baseURL(request, basePath: base)
        let plan = bulkRequest.executionPlan()
        var createdIDs: [String: String] = [:]
        var results: [(index: Int, result: BulkResponse.Result)] = []
        var errors = 0
        let client = ClientAddress.of(request, context: context)
        for index in plan.order + plan.cyclic.sorted() {
            if bulkRequest.shouldStop(afterErrors: errors) { break }
            let original = bulkRequest.operations[index]
            let started = ContinuousClock.now
            let (operation, unresolved) = original.resolvingBulkIds(using: createdIDs)
            var entry = BulkLogEntry(method: operation.method.rawValue, path: base + operation.path, client: client)
            let result: BulkResponse.Result
            do {
                if plan.cyclic.contains(index) {
                    throw SCIMError(
                        status: 409,
                        scimType: .invalidValue,
                        detail: "Operation \(index + 1) refers to bulkId \(unresolved.joined(separator: ", ")) "
                            + "in a circle of references that no order can resolve."
                    )
                }
                guard unresolved.isEmpty else {
                    throw SCIMError(
                        status: 409,
                        scimType: .invalidValue,
                        detail: "bulkId \(unresolved.joined(separator: ", ")) does not name a resource that "
                            + "this request created (no POST with that bulkId, or it failed)."
                    )
                }
                result = try await perform(
                    operation,
                    tenant: authenticated.tenant,
                    baseURL: baseURL,
                    entry: &entry,
                    createdIDs: &createdIDs
                )
            } catch {
                let (scimError, _) = SCIMErrorRendering.scimError(for: error)
                SCIMErrorRendering.logServerError(error, answered: scimError, logger: context.logger)
                errors += 1
                entry.error = scimError
                result = BulkResponse.Result(method: operation.method, bulkId: operation.bulkId, error: scimError)
            }
            results.append((index, result))
            provisioningLog.record(
                entry.makeEntry(context: context, tenant: authenticated, status: result.status, started: started)
            )
        }
        context.facts.updateOperation { $0.loggedByRoute = !results.isEmpty }
        let inClientOrder = results.sorted { $0.index < $1.index }.map(\.result)
        return SCIMResponse.json(BulkResponse(operations: inClientOrder).body)
    }

    private func perform(
        _ operation: BulkOperation,
        tenant: Tenant,
        baseURL: String,
        entry: inout BulkLogEntry,
        createdIDs: inout [String: String]
    ) async throws -> BulkResponse.Result {
        let segments = operation.path.split(separator: "/").map(String.init)
        guard let endpoint = segments.first, segments.count <= 2,
            let kind = ResourceKind.allCases.first(where: { $0.resourceType.endpoint.dropFirst() == endpoint })
        else {
            throw SCIMError.invalidPath("Bulk path \(operation.path.prefix(200)) names no /Users or /Groups resource.")
        }
        entry.resourceType = kind.rawValue
        guard tenant.backend.capabilities.resourceKinds.contains(kind) else {
            throw SCIMError.notFound("This tenant does not provision \(endpoint).")
        }
        let operations = ResourceOperations(tenant: tenant, kind: kind, identify: entry.identity)
        let renderer = ResourceRenderer(resourceType: kind.resourceType, baseURL: baseURL)
        let id = segments.count == 2 ? segments[1] : nil
        entry.resourceId = id
        let data = operation.data ?? .object([:])
        switch (operation.method, id) {
        case (.post, nil):
            entry.operation = "create"
            let outcome = try await operations.create(data)
            entry.apply(outcome)
            if let bulkId = operation.bulkId { createdIDs[bulkId] = outcome.record.id }
            return BulkResponse.Result(
                method: .post,
                bulkId: operation.bulkId,
                version: outcome.record.etag,
                location: renderer.location(of: outcome.record.id),
                status: 201
            )
        case (.put, let id?):
            entry.operation = "replace"
            let outcome = try await operations.replace(id: id, body: data, ifMatch: Self.version(operation.version))
            entry.apply(outcome)
            return BulkResponse.Result(
                method: .put,
                bulkId: operation.bulkId,
                version: outcome.record.etag,
                location: renderer.location(of: id),
                status: 200
            )
        case (.patch, let id?):
            entry.operation = "patch"
            let outcome = try await operations.patch(id: id, body: data, ifMatch: Self.version(operation.version))
            entry.apply(outcome)
            return BulkResponse.Result(
                method: .patch,
                bulkId: operation.bulkId,
                version: outcome.record.etag,
                location: renderer.location(of: id),
                status: 200
            )
        case (.delete, let id?):
            entry.operation = "delete"
            try await operations.delete(id: id, ifMatch: Self.version(operation.version))
            return BulkResponse.Result(
                method: .delete,
                bulkId: operation.bulkId,
                location: renderer.location(of: id),
                status: 204
            )
        default:
            throw SCIMError.invalidPath(
                "Bulk \(operation.method.rawValue) \(operation.path.prefix(200)): "
                    + (id == nil
                        ? "the path needs a resource id." : "POST takes the resource type's path, without an id.")
            )
        }
    }

    /// The version in a Bulk operation's `version` (an ETag).
    static func version(_ etag: String?) -> String? {
        switch SCIMRequestSupport.version(fromETagHeader: etag) {
        case .some(.some(let version)): return version
        default: return nil
        }
    }
}

/// What one Bulk operation contributes to the provisioning log.
struct BulkLogEntry {
    var method: String
    var path: String
    var client: String?
    var operation = "bulk"
    var resourceType: String?
    var resourceId: String?
    var userName: String?
    var externalId: String?
    var attributes: [String] = []
    var dropped: [String] = []
    var error: SCIMError?
    /// Who the operation concerns, reported before it runs (and kept when it fails).
    let identity = IdentityRecorder()

    mutating func apply(_ outcome: ResourceOperations.Outcome) {
        resourceId = outcome.record.id
        userName = outcome.name
        externalId = outcome.externalId
        attributes = outcome.attributes
        dropped = outcome.dropped
    }

    func makeEntry(
        context: GatewayRequestContext,
        tenant: AuthenticatedTenant,
        status: Int,
        started: ContinuousClock.Instant
    ) -> ProvisioningLogEntry {
        ProvisioningLogEntry(
            time: context.receivedAt,
            requestId: context.facts.requestID,
            tenant: tenant.tenant.id,
            tokenId: tenant.tokenID,
            client: client,
            method: method,
            path: path,
            operation: operation,
            resourceType: resourceType,
            resourceId: resourceId,
            userName: userName ?? identity.name,
            externalId: externalId ?? identity.externalId,
            status: status,
            scimType: error?.scimType?.rawValue,
            detail: error?.detail,
            durationMs: ProvisioningLogMiddleware.milliseconds(started.duration(to: .now)),
            attributes: attributes,
            dropped: dropped
        )
    }
}
