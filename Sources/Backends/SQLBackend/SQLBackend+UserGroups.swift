import Crypto
import Foundation
import SCIM
import SQLDrivers

/// What a User needs to compute its read-only `groups` attribute (RFC 7643 §4.1.2): the Group
/// resource and its membership table. A class so that a ``ResolvedResource`` can refer to another
/// one; every property is an immutable `Sendable` value.
final class UserGroupMemberships: Sendable {
    /// The Group resource, for its table, key, `displayName` and visibility.
    let groups: ResolvedResource
    /// The membership table: one row per (group, member).
    let membership: Membership

    init(groups: ResolvedResource, membership: Membership) {
        self.groups = groups
        self.membership = membership
    }
}

extension ResourceStore {
    /// The `groups` elements of several users (`value`, `display`, `type: direct`), for the groups
    /// this portal sees: a membership query and a group query for the whole set of users, never one per user.
    func groupsOfMembers(_ members: [Int64]) throws -> [Int64: [JSONValue]] {
        guard let memberships = resource.memberships, !members.isEmpty else { return [:] }
        let membership = memberships.membership
        let marks = Array(repeating: "?", count: members.count).joined(separator: ", ")
        let pairs = try session.rows(
            SQLFragment(
                "SELECT m.\(q(membership.memberColumn)), m.\(q(membership.groupColumn)) FROM \(q(membership.table)) m "
                    + "WHERE m.\(q(membership.memberColumn)) IN (\(marks)) "
                    + "ORDER BY m.\(q(membership.memberColumn)), m.\(q(membership.groupColumn))",
                members.map(SQLValue.integer)
            )
        ).compactMap { row -> (member: Int64, group: Int64)? in
            guard row.count == 2, let member = row[0].integerValue, let group = row[1].integerValue else { return nil }
            return (member, group)
        }
        let groupKeys = Array(Set(pairs.map(\.group))).sorted()
        guard !groupKeys.isEmpty else { return [:] }
        let groupStore = ResourceStore(resource: memberships.groups, session: session)
        let groupMarks = Array(repeating: "?", count: groupKeys.count).joined(separator: ", ")
        let visible = try groupStore.rows(
            where: SQLFragment(
                "t.\(q(memberships.groups.mapping.key)) IN (\(groupMarks)) AND ",
                groupKeys.map(SQLValue.integer)
            ) + (try groupStore.visibilityCondition())
        )
        var display: [Int64: JSONValue?] = [:]
        for row in visible {
            let attributes = memberships.groups.attributes(row: row.columns, extra: row.extra)
            display[row.key] = attributes["displayName"]
        }
        var result: [Int64: [JSONValue]] = [:]
        var seen = Set<[Int64]>()
        for pair in pairs where seen.insert([pair.member, pair.group]).inserted {
            guard let name = display[pair.group] else { continue }
            var element: JSONObject = ["value": .string(String(pair.group))]
            if let name { element["display"] = name }
            element["type"] = .string("direct")
            result[pair.member, default: []].append(.object(element))
        }
        return result
    }
}

extension ResourceSQL {
    /// The condition of a filter on a User's computed `groups` attribute, or nil when the filter
    /// does not name it (or the tenant has no Groups, so that `groups` stays an unknown attribute).
    ///
    /// `groups.value`, `groups.display`, `groups.type`, `groups pr` and value filters such as
    /// `groups[value eq "7" and display sw "Class"]` become one `EXISTS` over the membership table,
    /// restricted to groups this portal sees. `$ref` cannot be filtered on (400 invalidFilter).
    func userGroupsCondition(_ filter: FilterExpression) throws -> SQLFragment? {
        guard let memberships = resource.memberships else { return nil }
        switch filter {
        case .present(let path) where Self.namesGroups(path):
            if let sub = path.subAttribute {
                return try exists(memberships, groupCondition(.present(AttributePath(name: sub)), memberships))
            }
            return try exists(memberships, nil)
        case .comparison(let path, let op, .null) where Self.namesGroups(path) && path.subAttribute == nil:
            guard op == .eq || op == .ne else {
                throw SCIMError.invalidFilter("\(path) \(op.rawValue) null is not a valid comparison.")
            }
            let any = try exists(memberships, nil)
            return op == .ne ? any : SQLFragment("NOT ") + any
        case .comparison(let path, let op, let value) where Self.namesGroups(path):
            let inner = FilterExpression.comparison(AttributePath(name: path.subAttribute ?? "value"), op, value)
            return try exists(memberships, groupCondition(inner, memberships))
        case .valuePath(let path, let inner) where Self.namesGroups(path):
            return try exists(memberships, groupCondition(inner, memberships))
        default:
            return nil
        }
    }

    /// Whether a path names the core `groups` attribute of Users.
    private static func namesGroups(_ path: AttributePath) -> Bool {
        let schema = path.schema?.lowercased()
        return path.name.lowercased() == "groups"
            && (schema == nil || schema == SCIMSchemaURI.user.lowercased())
    }

    /// `EXISTS` over the memberships of the row `t` whose group is visible and meets the condition
    /// (written against the group table under the alias `t`, which shadows the user inside the subquery).
    private func exists(_ memberships: UserGroupMemberships, _ condition: SQLFragment?) throws -> SQLFragment {
        let membership = memberships.membership
        let groups = ResourceSQL(resource: memberships.groups, dialect: dialect)
        var inner = try groups.visibilityCondition()
        if let condition { inner = SQLFragment("(") + inner + SQLFragment(") AND (") + condition + SQLFragment(")") }
        return SQLFragment(
            "EXISTS (SELECT 1 FROM \(q(membership.table)) gm WHERE gm.\(q(membership.memberColumn)) = t.\(q(mapping.key)) "
                + "AND gm.\(q(membership.groupColumn)) IN (SELECT t.\(q(memberships.groups.mapping.key)) "
                + "FROM \(q(memberships.groups.mapping.table)) t WHERE "
        ) + inner + SQLFragment("))")
    }

    /// A filter on the sub-attributes of one `groups` element, as a condition on the group row `t`:
    /// `value` is the group's id, `display` its `displayName`, `type` always `direct`.
    private func groupCondition(_ filter: FilterExpression, _ memberships: UserGroupMemberships) throws -> SQLFragment {
        let translator = SQLFilterTranslator(sql: ResourceSQL(resource: memberships.groups, dialect: dialect))
        func groupPath(_ path: AttributePath) throws -> AttributePath? {
            switch (path.subAttribute ?? path.name).lowercased() {
            case "value": return AttributePath(name: "id")
            case "display": return AttributePath(name: "displayName")
            case "type": return nil
            default: throw SCIMError.invalidFilter("Cannot filter on groups.\(path.subAttribute ?? path.name).")
            }
        }
        switch filter {
        case .and(let left, let right):
            return SQLFragment("(") + (try groupCondition(left, memberships)) + SQLFragment(" AND ")
                + (try groupCondition(right, memberships)) + SQLFragment(")")
        case .or(let left, let right):
            return SQLFragment("(") + (try groupCondition(left, memberships)) + SQLFragment(" OR ")
                + (try groupCondition(right, memberships)) + SQLFragment(")")
        case .not(let inner):
            return SQLFragment("NOT COALESCE(") + (try groupCondition(inner, memberships)) + SQLFragment(", FALSE)")
        case .present(let path):
            guard let mapped = try groupPath(path) else { return SQLFragment("TRUE") }
            return try translator.condition(.present(mapped))
        case .comparison(let path, let op, let value):
            guard let mapped = try groupPath(path) else {
                guard case .string(let text) = value else {
                    throw SCIMError.invalidFilter("groups.type must be compared with a string.")
                }
                return SQLFragment(SQLFilterTranslator.textMatches("direct", op, text) ? "TRUE" : "FALSE")
            }
            return try translator.condition(.comparison(mapped, op, value))
        case .valuePath:
            throw SCIMError.invalidFilter("A value filter cannot be nested inside groups[…].")
        }
    }
}

extension ResourceRecord {
    /// The version of a record whose stored counter does not see computed attributes: the counter,
    /// then a digest of the `groups` it is rendered with, so that a membership change changes the ETag.
    static func version(counter: String, groups: [JSONValue]) -> String {
        guard !groups.isEmpty else { return counter }
        let digest = SHA256.hash(data: Array(canonicalText(.array(groups)).utf8))
        return counter + "." + digest.prefix(4).map { String(format: "%02x", $0) }.joined()
    }
}
