import SCIM
import SQLDrivers

extension SQLBackend {
    /// Member additions and removals written as the difference they make: the group row locked and its
    /// ownership and version checked as for any write, removals deleted for users this tenant sees,
    /// additions checked for visibility and inserted where missing, every `IN (…)` list at most
    /// ``inListChunk`` values; the group's members are never read as a whole. Needs a version counter
    /// (the version must not depend on the members), else `nil`. Like every write, through
    /// ``writing(_:_:)``: the version's extra field definition is made under the definition lock.
    public func changeMembers(ofGroup id: String, _ changes: MemberChanges, ifMatch: String?) async throws -> String? {
        guard let groups, groups.mapping.members != nil, groups.mapping.version != nil else { return nil }
        let adding = try Self.memberKeys(changes.adding)
        // Removing an id that names nobody removes nothing (RFC 7644 §3.5.2.2 allows a harmless success).
        let removing = changes.removing.compactMap(Self.key)
        let backend = self
        return try await writing(groups) {
            try await transaction(.write, resource: groups) { session in
                let store = backend.writeStore(groups, session: session)
                guard let row = try store.visibleRow(id: id, lock: true) else { throw Self.notFound(.group, id) }
                try store.requireOwnership(of: row)
                try store.record(row).requireVersion(ifMatch)
                try backend.applyMemberChanges(group: row.key, adding: adding, removing: removing, store: store)
                let context = WriteContext(settings: groups.settings)
                let columns = try context.evaluate(groups.mapping.onWrite)
                if !columns.isEmpty {
                    try session.update(
                        groups.mapping.table,
                        set: columns,
                        where: groups.mapping.key,
                        equals: .integer(row.key)
                    )
                }
                try store.bumpVersion(key: row.key, current: row)
                guard let updated = try store.visibleRow(key: row.key) else { throw SCIMError.internalError() }
                return store.record(updated).version
            }
        }
    }

    private static func memberKeys(_ ids: [String]) throws -> [Int64] {
        try ids.map { id in
            guard let key = key(id) else {
                throw SCIMError.invalidValue("members: '\(id.prefix(100))' is not a user of this tenant.")
            }
            return key
        }
    }

    private func applyMemberChanges(group: Int64, adding: [Int64], removing: [Int64], store: ResourceStore) throws {
        guard let membership = store.mapping.members else { return }
        let session = store.session
        let table = session.q(membership.table)
        let groupColumn = session.q(membership.groupColumn)
        let memberColumn = session.q(membership.memberColumn)
        // Rows of users this tenant does not see (another portal's, soft-deleted) stay as they are.
        let removed = try visibleUserKeys(removing, session: session).sorted()
        for chunk in Self.chunks(removed) {
            let marks = Array(repeating: "?", count: chunk.count).joined(separator: ", ")
            try session.run(
                SQLFragment(
                    "DELETE FROM \(table) WHERE \(groupColumn) = ? AND \(memberColumn) IN (\(marks))",
                    [.integer(group)] + chunk.map(SQLValue.integer)
                )
            )
        }
        var present = Set<Int64>()
        for chunk in Self.chunks(adding) {
            let marks = Array(repeating: "?", count: chunk.count).joined(separator: ", ")
            let rows = try session.rows(
                SQLFragment(
                    "SELECT \(memberColumn) FROM \(table) WHERE \(groupColumn) = ? AND \(memberColumn) IN (\(marks))",
                    [.integer(group)] + chunk.map(SQLValue.integer)
                )
            )
            present.formUnion(rows.compactMap { $0.first?.integerValue })
        }
        let newcomers = adding.filter { !present.contains($0) }
        let known = try visibleUserKeys(newcomers, session: session)
        if let missing = newcomers.first(where: { !known.contains($0) }) {
            throw SCIMError.invalidValue("members: '\(missing)' is not a user of this tenant.")
        }
        let extra = try WriteContext(settings: store.resource.settings).evaluate(membership.columns)
        for key in newcomers {
            try session.insert(
                into: membership.table,
                extra + [(membership.groupColumn, .integer(group)), (membership.memberColumn, .integer(key))]
            )
        }
    }
}
