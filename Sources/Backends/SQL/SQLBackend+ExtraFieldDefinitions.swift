import SCIM
import Synchronization

/// The resource types whose extra field definitions a backend has made sure exist, so that the check
/// runs once per process rather than once per write.
final class EnsuredExtraFields: Sendable {
    private let kinds = Mutex<Set<ResourceKind>>([])

    func contains(_ kind: ResourceKind) -> Bool { kinds.withLock { $0.contains(kind) } }

    func insert(_ kind: ResourceKind) { _ = kinds.withLock { $0.insert(kind) } }
}

/// A lock that serialises the creation of extra field definitions across every gateway process
/// writing to one database. Chamilo has no unique key on `extra_field.variable`, so two first
/// writes at once would otherwise both find a field missing and both insert it.
struct DefinitionLock: Sendable {
    /// Taken before the creating transaction begins (MariaDB `GET_LOCK`, a session lock) or, when
    /// ``heldByTransaction``, inside it (PostgreSQL's transaction-scoped advisory lock).
    var acquire: String
    /// Whether the transaction's end releases the lock.
    var heldByTransaction: Bool
    /// Run after the transaction when the lock outlives it (`RELEASE_LOCK`).
    var release: String?
}

extension SQLBackend {
    /// Creates every extra field definition the resource uses that the portal lacks, in a transaction
    /// of its own that commits before the write that needs them, under the dialect's definition lock:
    /// concurrent first writes leave one definition per name. SQLite's `BEGIN IMMEDIATE` already
    /// serialises writers.
    func ensureExtraFieldDefinitions(_ resource: ResolvedResource) async throws {
        guard resource.extraFields != nil, resource.mapping.extraFieldItemType != nil,
            !ensuredExtraFields.contains(resource.kind)
        else { return }
        let names = Array(Set(resource.extraFieldNames)).sorted()
        guard !names.isEmpty else { return }
        let dialect = engine.dialect
        do {
            try await engine.withSession { session in
                let lock = dialect.definitionLock
                if let lock, !lock.heldByTransaction {
                    let granted = try session.connection.run(lock.acquire, []).rows.first?.first?.integerValue
                    guard granted == 1 else {
                        throw SCIMError.unavailable("The portal's database is busy creating extra fields; try again.")
                    }
                }
                defer {
                    if let release = lock?.release { _ = try? session.connection.run(release, []) }
                }
                _ = try session.connection.run(dialect.beginWriteTransaction, [])
                do {
                    if let lock, lock.heldByTransaction { _ = try session.connection.run(lock.acquire, []) }
                    let store = ResourceStore(resource: resource, session: session)
                    for name in names { _ = try store.fieldKey(name, create: true) }
                    _ = try session.connection.run("COMMIT", [])
                } catch {
                    _ = try? session.connection.run("ROLLBACK", [])
                    throw error
                }
            }
        } catch let error as SQLDriverError {
            throw engine.dialect.classify(error) { resource.attributeName(forColumn: $0) }
        }
        ensuredExtraFields.insert(resource.kind)
    }
}
