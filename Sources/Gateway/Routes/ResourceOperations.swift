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
        /// Attribute names the request wrote and the backend stored; never values.
        var attributes: [String]
        /// Attribute names the request sent that the tenant's mapping cannot store.
        var dropped: [String]
        var name: String?
        var externalId: String?
    }

    let tenant: Tenant
    let kind: ResourceKind
    /// Who the request concerns, as soon as that is known (the body of a create or replace, the target
    /// of a patch or delete), so that a refused request is logged under the user's name too.
    let identify: IdentityRecorder

    init(tenant: Tenant, kind: ResourceKind, identify: IdentityRecorder = IdentityRecorder()) {
        self.tenant = tenant
        self.kind = kind
        self.identify = identify
    }

    private var schemas: [SCIMSchema] { tenant.backend.schemas(for: kind) }

    func create(_ body: JSONValue) async throws -> Outcome {
        identify.record(SCIMRequestSupport.identity(body.objectValue ?? JSONObject(), kind: kind))
        let normalizer = ResourceNormalizer(resourceType: kind.resourceType, schemas: schemas)
        let (attributes, dropped) = try normalizer.normalizeReportingDropped(body)
        try SCIMRequestSupport.checkPassword(attributes, backend: tenant.backend, creating: true)
        let record = try await tenant.backend.create(kind, attributes: attributes)
        return outcome(record, names: SCIMRequestSupport.attributeNames(attributes), dropped: dropped, from: attributes)
    }

    func replace(id: String, body: JSONValue, ifMatch: String?) async throws -> Outcome {
        identify.record(SCIMRequestSupport.identity(body.objectValue ?? JSONObject(), kind: kind))
        let normalizer = ResourceNormalizer(resourceType: kind.resourceType, schemas: schemas)
        let (attributes, dropped) = try normalizer.normalizeReportingDropped(body)
        try SCIMRequestSupport.checkPassword(attributes, backend: tenant.backend)
        let record = try await tenant.backend.replace(kind, id: id, attributes: attributes, ifMatch: ifMatch)
        return outcome(record, names: SCIMRequestSupport.attributeNames(attributes), dropped: dropped, from: attributes)
    }

    /// Applies a PATCH to the current state inside the backend's read-modify-write.
    func patch(id: String, body: JSONValue, ifMatch: String?) async throws -> Outcome {
        let request = try PatchRequest.decode(body)
        let engine = PatchEngine(resourceType: kind.resourceType, schemas: schemas)
        let backend = tenant.backend
        let kind = self.kind
        let identify = self.identify
        let changed = Locked<(changed: [String], dropped: [String])>(([], []))
        let record = try await backend.modify(kind, id: id, ifMatch: ifMatch) { current in
            identify.record(SCIMRequestSupport.identity(current.attributes, kind: kind))
            let (updated, dropped) = try engine.applyReportingDropped(request, to: current.attributes)
            try SCIMRequestSupport.checkPassword(updated, backend: backend)
            changed.withLock {
                $0 = (SCIMRequestSupport.changedAttributeNames(from: current.attributes, to: updated), dropped)
            }
            return updated
        }
        let names = changed.withLock { $0 }
        return outcome(record, names: names.changed, dropped: names.dropped, from: record.attributes)
    }

    /// A PATCH that only adds or removes group members, applied by the backend as the difference it makes
    /// (no read of the whole member list); answers the new version, or nil when the request is not such a
    /// PATCH or the backend has no member path (then ``patch(id:body:ifMatch:)`` applies it).
    func patchMembers(id: String, body: JSONValue, ifMatch: String?) async throws -> String? {
        guard kind == .group, let request = try? PatchRequest.decode(body), let changes = request.memberChanges() else {
            return nil
        }
        return try await tenant.backend.changeMembers(ofGroup: id, changes, ifMatch: ifMatch)
    }

    /// Deletes; the target is read first so that the log names whom the request concerned.
    func delete(id: String, ifMatch: String?) async throws {
        if let target = try? await tenant.backend.get(kind, id: id) {
            identify.record(SCIMRequestSupport.identity(target.attributes, kind: kind))
        }
        try await tenant.backend.delete(kind, id: id, mode: tenant.deprovision, ifMatch: ifMatch)
    }

    private func outcome(
        _ record: ResourceRecord,
        names: [String],
        dropped: [String],
        from attributes: JSONObject
    )
        -> Outcome
    {
        let identity = SCIMRequestSupport.identity(attributes, kind: kind)
        return Outcome(
            record: record,
            attributes: names,
            dropped: dropped,
            name: identity.name,
            externalId: identity.externalId
        )
    }
}

/// Collects the name and externalId a request concerns; the last non-empty report wins.
final class IdentityRecorder: Sendable {
    private let state = Locked<(name: String?, externalId: String?)>((nil, nil))
    private let onRecord: @Sendable (String?, String?) -> Void

    /// A recorder that also tells `onRecord` (for the request's facts) about each report.
    init(onRecord: @escaping @Sendable (String?, String?) -> Void = { _, _ in }) {
        self.onRecord = onRecord
    }

    func record(_ identity: (name: String?, externalId: String?)) {
        guard identity.name != nil || identity.externalId != nil else { return }
        state.withLock { $0 = identity }
        onRecord(identity.name, identity.externalId)
    }

    var name: String? { state.withLock { $0.name } }
    var externalId: String? { state.withLock { $0.externalId } }
}
