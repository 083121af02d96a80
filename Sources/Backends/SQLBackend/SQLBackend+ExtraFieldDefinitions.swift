import SCIM
import SQLDrivers
import Synchronization

/// The keys of the extra field definitions a backend has made sure exist, per resource type, so that
/// neither the check nor the look-up of the keys runs on every write. Forgotten when a write fails
/// on the database (a definition may have been removed by hand) and after ``lifetime``, so a portal
/// whose definitions were changed is read again without a restart. A key whose definition is gone
/// writes nothing (``ResourceStore/insertValues(ofNewItem:_:)``) and the write runs again.
final class EnsuredExtraFields: Sendable {
    /// How long the keys are used before they are read again.
    static let lifetime = Duration.seconds(300)

    private struct Entry {
        var keys: [String: Int64]
        var read: ContinuousClock.Instant
    }

    private let entries = Locked<[ResourceKind: Entry]>([:])

    /// The keys of `kind`'s fields, when they are known and recent.
    func keys(_ kind: ResourceKind, now: ContinuousClock.Instant = .now) -> [String: Int64]? {
        entries.withLock { entries in
            guard let entry = entries[kind], now - entry.read < Self.lifetime else { return nil }
            return entry.keys
        }
    }

    func insert(_ kind: ResourceKind, keys: [String: Int64], now: ContinuousClock.Instant = .now) {
        entries.withLock { $0[kind] = Entry(keys: keys, read: now) }
    }

    func forget(_ kind: ResourceKind) { _ = entries.withLock { $0.removeValue(forKey: kind) } }
}

extension SQLBackend {
    /// Creates every extra field definition the resource uses that the portal lacks, in a transaction
    /// of its own that commits before the write that needs them, under the dialect's definition lock
    /// (Chamilo has no unique key on `extra_field.variable`): concurrent first writes of every gateway
    /// process leave one definition per name. SQLite's `BEGIN IMMEDIATE` already serialises writers.
    /// The keys are kept (``EnsuredExtraFields``) for the writes that follow.
    func ensureExtraFieldDefinitions(_ resource: ResolvedResource) async throws {
        guard resource.extraFields != nil, resource.mapping.extraFieldItemType != nil,
            ensuredExtraFields.keys(resource.kind) == nil
        else { return }
        let names = Array(Set(resource.extraFieldNames)).sorted()
        guard !names.isEmpty else { return }
        let keys = try await transaction(.write, resource: resource, holding: engine.dialect.definitionLock) {
            session in
            let store = ResourceStore(resource: resource, session: session)
            var keys: [String: Int64] = [:]
            for name in names { keys[name] = try store.fieldKey(name, create: true) }
            return keys
        }
        ensuredExtraFields.insert(resource.kind, keys: keys)
    }

    /// Runs a write after making sure of its extra field definitions. A write that finds a definition
    /// gone whose key was known (removed by hand: ``RemovedExtraFieldDefinition``) rolled back; it runs
    /// once more with the definitions read, and made, again. Gone again (removed while being made): 503.
    func writing<T>(_ resource: ResolvedResource, _ write: () async throws -> T) async throws -> T {
        try await ensureExtraFieldDefinitions(resource)
        do {
            return try await write()
        } catch is RemovedExtraFieldDefinition {
            ensuredExtraFields.forget(resource.kind)
        }
        try await ensureExtraFieldDefinitions(resource)
        do {
            return try await write()
        } catch let error as RemovedExtraFieldDefinition {
            ensuredExtraFields.forget(resource.kind)
            throw SCIMError.unavailable(
                "The portal's extra field definitions (\(error.names.joined(separator: ", "))) were removed "
                    + "while this write made them again; retry.",
                retryAfter: 1
            )
        }
    }

    /// A store for a write of `resource`, knowing the field keys ``ensureExtraFieldDefinitions(_:)``
    /// read.
    func writeStore(_ resource: ResolvedResource, session: SQLSession) -> ResourceStore {
        ResourceStore(resource: resource, session: session, fieldKeys: ensuredExtraFields.keys(resource.kind))
    }
}
