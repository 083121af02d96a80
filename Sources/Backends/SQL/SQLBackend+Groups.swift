import SCIM

extension SQLBackend {
    /// The member keys a Group's attributes list; nil when `members` is not sent on a User or the
    /// mapping has no membership table. A value that is not a user id is 400 invalidValue.
    func memberKeys(_ attributes: JSONObject, kind: ResourceKind) throws -> [Int64]? {
        guard kind == .group, groups?.mapping.members != nil else { return nil }
        guard let value = attributes[caseInsensitive: "members"], !value.isUnassigned else { return [] }
        guard let elements = value.arrayValue else { throw SCIMError.invalidValue("members must be a list.") }
        var keys: [Int64] = []
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
            if !keys.contains(key) { keys.append(key) }
        }
        return keys
    }

    /// Makes the group's memberships of users this tenant sees exactly `keys`, after checking every key
    /// is a visible user. Rows of users it does not see (another portal's, soft-deleted) stay as they
    /// are; such a user already in the group is dropped from `keys` without an error.
    func syncMembers(group: Int64, to requested: [Int64], store: ResourceStore) throws {
        guard let membership = store.mapping.members else { return }
        let session = store.session
        let known = try visibleUserKeys(requested, session: session)
        let stored = Set(
            try session.rows(
                SQLFragment(
                    "SELECT \(session.q(membership.memberColumn)) FROM \(session.q(membership.table)) "
                        + "WHERE \(session.q(membership.groupColumn)) = ?",
                    [.integer(group)]
                )
            ).compactMap { $0.first?.integerValue }
        )
        if let missing = requested.first(where: { !known.contains($0) && !stored.contains($0) }) {
            throw SCIMError.invalidValue("members: '\(missing)' is not a user of this tenant.")
        }
        let keys = requested.filter { known.contains($0) }
        let current = try visibleUserKeys(stored.sorted(), session: session)
        let wanted = Set(keys)
        for removed in current.subtracting(wanted).sorted() {
            try session.run(
                SQLFragment(
                    "DELETE FROM \(session.q(membership.table)) WHERE \(session.q(membership.groupColumn)) = ? "
                        + "AND \(session.q(membership.memberColumn)) = ?",
                    [.integer(group), .integer(removed)]
                )
            )
        }
        let context = WriteContext(settings: store.resource.settings)
        let extra = try context.evaluate(membership.columns)
        for added in keys where !stored.contains(added) {
            try session.insert(
                into: membership.table,
                extra + [(membership.groupColumn, .integer(group)), (membership.memberColumn, .integer(added))]
            )
        }
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
