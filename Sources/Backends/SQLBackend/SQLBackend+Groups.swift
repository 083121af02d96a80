import SCIM
import SQLDrivers

extension SQLBackend {
    /// The member keys a Group's attributes list; nil when `members` is not sent on a User or the
    /// mapping has no membership table. A value that is not a user id is 400 invalidValue.
    func memberKeys(_ attributes: JSONObject, kind: ResourceKind) throws -> [Int64]? {
        guard kind == .group, groups?.mapping.members != nil else { return nil }
        guard let value = attributes[caseInsensitive: "members"], !value.isUnassigned else { return [] }
        guard let elements = value.arrayValue else { throw SCIMError.invalidValue("members must be a list.") }
        var keys: [Int64] = []
        var seen = Set<Int64>()
        keys.reserveCapacity(elements.count)
        for element in elements {
            let object = element.objectValue
            if let type = object?[caseInsensitive: "type"]?.stringValue, type.lowercased() == "group" {
                throw SCIMError.invalidValue("members: nested groups are not supported by this tenant.")
            }
            let raw = object?[caseInsensitive: "value"] ?? element
            let text: String
            switch raw {
            case .string(let string): text = string
            case .integer(let number): text = String(number)
            default: throw SCIMError.invalidValue("members: each member needs a value (a user id).")
            }
            guard let key = Self.key(text) else {
                throw SCIMError.invalidValue("members: '\(text)' is not a user of this tenant.")
            }
            if seen.insert(key).inserted { keys.append(key) }
        }
        return keys
    }

    /// The most values one `IN (…)` list binds: far below SQLite's bound-variable limit (32 766 since
    /// 3.32, 999 before) and MariaDB's and PostgreSQL's (65 535).
    static let inListChunk = 500

    /// Makes the group's memberships of users this tenant sees exactly `requested`, after checking
    /// every user it adds is a visible user. Rows of users it does not see (another portal's,
    /// soft-deleted) stay as they are; such a user already in the group is kept without an error.
    ///
    /// The work is what changes: one indexed read of the stored member keys, then a visibility check of
    /// the difference only (a requested user already in the group stays whether it is visible or not,
    /// so it needs none), and DELETE / INSERT of the difference, every `IN (…)` list at most
    /// ``inListChunk`` values.
    func syncMembers(group: Int64, to requested: [Int64], store: ResourceStore) throws {
        guard let membership = store.mapping.members else { return }
        let session = store.session
        let stored = Set(
            try session.rows(
                SQLFragment(
                    "SELECT \(session.q(membership.memberColumn)) FROM \(session.q(membership.table)) "
                        + "WHERE \(session.q(membership.groupColumn)) = ?",
                    [.integer(group)]
                )
            ).compactMap { $0.first?.integerValue }
        )
        let newcomers = requested.filter { !stored.contains($0) }
        let known = try visibleUserKeys(newcomers, session: session)
        if let missing = newcomers.first(where: { !known.contains($0) }) {
            throw SCIMError.invalidValue("members: '\(missing)' is not a user of this tenant.")
        }
        let leaving = stored.subtracting(requested).sorted()
        let removed = try visibleUserKeys(leaving, session: session).sorted()
        for chunk in Self.chunks(removed) {
            let marks = Array(repeating: "?", count: chunk.count).joined(separator: ", ")
            try session.run(
                SQLFragment(
                    "DELETE FROM \(session.q(membership.table)) WHERE \(session.q(membership.groupColumn)) = ? "
                        + "AND \(session.q(membership.memberColumn)) IN (\(marks))",
                    [.integer(group)] + chunk.map(SQLValue.integer)
                )
            )
        }
        let context = WriteContext(settings: store.resource.settings)
        let extra = try context.evaluate(membership.columns)
        for key in newcomers {
            try session.insert(
                into: membership.table,
                extra + [(membership.groupColumn, .integer(group)), (membership.memberColumn, .integer(key))]
            )
        }
    }

    /// `keys` in pieces of at most ``inListChunk``.
    static func chunks(_ keys: [Int64]) -> [ArraySlice<Int64>] {
        stride(from: 0, to: keys.count, by: inListChunk).map { keys[$0..<min($0 + inListChunk, keys.count)] }
    }

    /// `members` of a group: value (user id) and type User, for users this tenant sees.
    func members(of group: Int64, store: ResourceStore) throws -> JSONObject {
        guard let membership = store.mapping.members else { return JSONObject() }
        let session = store.session
        let userStore = ResourceStore(resource: users, session: session)
        let rows = try session.rows(
            SQLFragment(
                "SELECT m.\(session.q(membership.memberColumn)) "
                    + "FROM \(session.q(membership.table)) m JOIN \(session.q(users.mapping.table)) t "
                    + "ON t.\(session.q(users.mapping.key)) = m.\(session.q(membership.memberColumn)) "
                    + "WHERE m.\(session.q(membership.groupColumn)) = ? AND ",
                [.integer(group)]
            ) + (try userStore.visibilityCondition())
                + SQLFragment(" ORDER BY m.\(session.q(membership.memberColumn))")
        )
        let members: [JSONValue] = rows.compactMap { row in
            guard let key = row.first?.integerValue else { return nil }
            var member: JSONObject = ["value": .string(String(key))]
            member["type"] = .string("User")
            return .object(member)
        }
        return members.isEmpty ? JSONObject() : ["members": .array(members)]
    }
}
