import SCIM
import SQLDrivers
import Synchronization

/// The resource types whose extra field definitions a backend has made sure exist, so that the check
/// runs once per process rather than once per write.
final class EnsuredExtraFields: Sendable {
    private let kinds = Mutex<Set<ResourceKind>>([])

    func contains(_ kind: ResourceKind) -> Bool { kinds.withLock { $0.contains(kind) } }

    func insert(_ kind: ResourceKind) { _ = kinds.withLock { $0.insert(kind) } }
}

extension SQLBackend {
    /// Creates every extra field definition the resource uses that the portal lacks, in a transaction
    /// of its own that commits before the write that needs them, under the dialect's definition lock
    /// (Chamilo has no unique key on `extra_field.variable`): concurrent first writes of every gateway
    /// process leave one definition per name. SQLite's `BEGIN IMMEDIATE` already serialises writers.
    func ensureExtraFieldDefinitions(_ resource: ResolvedResource) async throws {
        guard resource.extraFields != nil, resource.mapping.extraFieldItemType != nil,
            !ensuredExtraFields.contains(resource.kind)
        else { return }
        let names = Array(Set(resource.extraFieldNames)).sorted()
        guard !names.isEmpty else { return }
        try await transaction(.write, resource: resource, holding: engine.dialect.definitionLock) { session in
            let store = ResourceStore(resource: resource, session: session)
            for name in names { _ = try store.fieldKey(name, create: true) }
        }
        ensuredExtraFields.insert(resource.kind)
    }
}
