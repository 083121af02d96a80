import SCIM
import SQLDrivers

/// Which users count as members of a tenant's groups: only users the tenant sees (linked to its
/// portal, not soft-deleted). Memberships of users it does not see are neither listed nor touched.
extension SQLBackend {
    /// The keys among `keys` that are users this tenant sees.
    func visibleUserKeys(_ keys: [Int64], session: SQLSession) throws -> Set<Int64> {
        guard !keys.isEmpty else { return [] }
        let userStore = ResourceStore(resource: users, session: session)
        var visible = Set<Int64>()
        for chunk in Self.chunks(keys) {
            let marks = Array(repeating: "?", count: chunk.count).joined(separator: ", ")
            let found = try session.rows(
                SQLFragment(
                    "SELECT t.\(session.q(users.mapping.key)) FROM \(session.q(users.mapping.table)) t "
                        + "WHERE t.\(session.q(users.mapping.key)) IN (\(marks)) AND ",
                    chunk.map(SQLValue.integer)
                ) + (try userStore.visibilityCondition())
            )
            visible.formUnion(found.compactMap { $0.first?.integerValue })
        }
        return visible
    }

    /// Removes a user from every group this tenant sees (a soft delete, a revive), and moves those
    /// groups' versions on so that their ETags change. Groups of other portals keep their rows.
    func leaveGroups(user key: Int64, store: ResourceStore) throws {
        guard let memberships = store.resource.memberships else { return }
        let session = store.session
        let membership = memberships.membership
        let groupStore = ResourceStore(resource: memberships.groups, session: session)
        let groupTable = memberships.groups.mapping.table
        let groupKey = memberships.groups.mapping.key
        let groups = try session.rows(
            SQLFragment(
                "SELECT DISTINCT m.\(session.q(membership.groupColumn)) FROM \(session.q(membership.table)) m "
                    + "WHERE m.\(session.q(membership.memberColumn)) = ? AND m.\(session.q(membership.groupColumn)) IN "
                    + "(SELECT t.\(session.q(groupKey)) FROM \(session.q(groupTable)) t WHERE ",
                [.integer(key)]
            ) + (try groupStore.visibilityCondition()) + SQLFragment(")")
        ).compactMap { $0.first?.integerValue }.sorted()
        for group in groups {
            try session.run(
                SQLFragment(
                    "DELETE FROM \(session.q(membership.table)) WHERE \(session.q(membership.groupColumn)) = ? "
                        + "AND \(session.q(membership.memberColumn)) = ?",
                    [.integer(group), .integer(key)]
                )
            )
            if let row = try groupStore.visibleRow(key: group) {
                try groupStore.bumpVersion(key: group, current: row)
            }
        }
    }
}
