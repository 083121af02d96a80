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

    /// Makes the membership rows of a group exactly `keys`, after checking every key is a visible user.
    func syncMembers(group: Int64, to keys: [Int64], store: ResourceStore) throws {
        guard let membership = store.mapping.members else { return }
        let session = store.session
        let userStore = ResourceStore(resource: users, session: session)
        if !keys.isEmpty {
            let marks = Array(repeating: "?", count: keys.count).joined(separator: ", ")
            let found = try session.rows(
                SQLFragment(
                    "SELECT t.\(session.q(users.mapping.key)) FROM \(session.q(users.mapping.table)) t "
                        + "WHERE t.\(session.q(users.mapping.key)) IN (\(marks)) AND ",
                    keys.map(SQLValue.integer)
                ) + (try userStore.visibilityCondition())
            )
            let known = Set(found.compactMap { $0.first?.integerValue })
            if let missing = keys.first(where: { !known.contains($0) }) {
                throw SCIMError.invalidValue("members: '\(missing)' is not a user of this tenant.")
            }
        }
        let current = Set(
            try session.rows(
                SQLFragment(
                    "SELECT \(session.q(membership.memberColumn)) FROM \(session.q(membership.table)) "
                        + "WHERE \(session.q(membership.groupColumn)) = ?",
                    [.integer(group)]
                )
            ).compactMap { $0.first?.integerValue }
        )
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
        for added in keys where !current.contains(added) {
            try session.insert(
                into: membership.table,
                extra + [(membership.groupColumn, .integer(group)), (membership.memberColumn, .integer(added))]
            )
        }
    }

    /// `members` of a group: value (user id) and type User, for users that still exist.
    func members(of group: Int64, store: ResourceStore) throws -> JSONObject {
        guard let membership = store.mapping.members else { return JSONObject() }
        let session = store.session
        let rows = try session.rows(
            SQLFragment(
                "SELECT m.\(session.q(membership.memberColumn)) "
                    + "FROM \(session.q(membership.table)) m JOIN \(session.q(users.mapping.table)) u "
                    + "ON u.\(session.q(users.mapping.key)) = m.\(session.q(membership.memberColumn)) "
                    + "WHERE m.\(session.q(membership.groupColumn)) = ? ORDER BY m.\(session.q(membership.memberColumn))",
                [.integer(group)]
            )
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
