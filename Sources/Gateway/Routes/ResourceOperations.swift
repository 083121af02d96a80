import Backends
import SCIM
import Synchronization
import Tenants

/// The write operations on one resource, shared by the resource endpoints and `/Bulk`: normalise or
/// patch through the SCIM core, check the backend can take a password, apply, and say what changed.
struct ResourceOperations {
    /// What a write did, for the response and the provisioning log.
    struct Outcome: Sendable {
        var record: ResourceRecord
        /// Attribute names written or dropped by the mapping; never values.
        var attributes: [String]
        var name: String?
        var externalId: String?
    }

    let tenant: Tenant
    let kind: ResourceKind

    private var schemas: [SCIMSchema] { tenant.backend.schemas(for: kind) }

    func create(_ body: JSONValue) async throws -> Outcome {
        let normalizer = ResourceNormalizer(resourceType: kind.resourceType, schemas: schemas)
        let (attributes, dropped) = try normalizer.normalizeReportingDropped(body)
        try SCIMRequestSupport.checkPassword(attributes, backend: tenant.backend, creating: true)
        let record = try await tenant.backend.create(kind, attributes: attributes)
        return outcome(record, names: SCIMRequestSupport.attributeNames(attributes) + dropped, from: attributes)
    }

    func replace(id: String, body: JSONValue, ifMatch: String?) async throws -> Outcome {
        let normalizer = ResourceNormalizer(resourceType: kind.resourceType, schemas: schemas)
        let (attributes, dropped) = try normalizer.normalizeReportingDropped(body)
        try SCIMRequestSupport.checkPassword(attributes, backend: tenant.backend)
        let record = try await tenant.backend.replace(kind, id: id, attributes: attributes, ifMatch: ifMatch)
        return outcome(record, names: SCIMRequestSupport.attributeNames(attributes) + dropped, from: attributes)
    }

    /// Applies a PATCH to the current state inside the backend's read-modify-write.
    func patch(id: String, body: JSONValue, ifMatch: String?) async throws -> Outcome {
        let request = try PatchRequest.decode(body)
        let engine = PatchEngine(resourceType: kind.resourceType, schemas: schemas)
        let backend = tenant.backend
        let changed = Mutex<[String]>([])
        let record = try await backend.modify(kind, id: id, ifMatch: ifMatch) { current in
            let (updated, dropped) = try engine.applyReportingDropped(request, to: current.attributes)
            try SCIMRequestSupport.checkPassword(updated, backend: backend)
            changed.withLock {
                $0 = SCIMRequestSupport.changedAttributeNames(from: current.attributes, to: updated) + dropped
            }
            return updated
        }
        return outcome(record, names: changed.withLock { $0 }, from: record.attributes)
    }

    func delete(id: String, ifMatch: String?) async throws {
        try await tenant.backend.delete(kind, id: id, mode: tenant.deprovision, ifMatch: ifMatch)
    }

    private func outcome(_ record: ResourceRecord, names: [String], from attributes: JSONObject) -> Outcome {
        let identity = SCIMRequestSupport.identity(attributes, kind: kind)
        return Outcome(record: record, attributes: names, name: identity.name, externalId: identity.externalId)
    }
}
