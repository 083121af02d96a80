/// A column holding a PHP-serialised array of role names (Chamilo 2.0's `user.roles`) kept in step with
/// another mapped attribute, the way Chamilo's `User::setRoleFromStatus` does:
///
/// ```yaml
/// roles:
///   column: roles
///   from: userType            # a mapped attribute; its stored value (user.status) picks the role
///   values: { "1": ROLE_TEACHER, "5": ROLE_STUDENT }
/// ```
/// On create the column holds the role of the new row's value (`a:1:{i:0;s:12:"ROLE_TEACHER";}`). On
/// every later write the roles the row already has are kept, except the ones this map manages, and the
/// role of the current value is added: `ROLE_ADMIN`, `ROLE_GLOBAL_ADMIN` or any role given in Chamilo
/// survive, and a change of `userType` swaps `ROLE_STUDENT` for `ROLE_TEACHER`.
public struct RoleColumn: Sendable, Decodable {
    /// The column of the main table (`roles`).
    public var column: String
    /// The mapping key of the attribute whose stored value picks the role (`userType`).
    public var from: String
    /// The attribute's stored value (as text) → the role it grants.
    public var values: [String: String]

    /// Makes a role column in code.
    public init(column: String, from: String, values: [String: String]) {
        self.column = column
        self.from = from
        self.values = values
    }

    enum CodingKeys: String, CodingKey { case column, from, values }

    /// Decodes; `values` keys may be written as numbers or strings.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        column = try container.decode(String.self, forKey: .column)
        from = try container.decode(String.self, forKey: .from)
        let raw = try container.decode([String: ScalarValue].self, forKey: .values)
        values = raw.mapValues(\.text)
    }

    /// Every role this column manages (and may therefore remove), upper-cased as Chamilo stores them.
    public var managedRoles: Set<String> { Set(values.values.map { $0.uppercased() }) }

    /// The role granted for a stored value; nil when the map has none (Chamilo then adds no role).
    public func role(for stored: String) -> String? { values[stored]?.uppercased() }

    /// `existing` without the managed roles, plus the role for `stored` (existing order kept, new role last).
    public func merged(existing: [String], stored: String?) -> [String] {
        let managed = managedRoles
        var roles: [String] = []
        for role in existing.map({ $0.uppercased() }) where !managed.contains(role) && !roles.contains(role) {
            roles.append(role)
        }
        if let stored, let role = role(for: stored), !roles.contains(role) { roles.append(role) }
        return roles
    }
}

extension RoleColumn {
    func problems(mapping: String, resource: ResourceMapping) -> [String] {
        var problems: [String] = []
        let place = "mapping \(mapping), users, roles"
        if !Mapping.isValidIdentifier(column) {
            problems.append("\(place): '\(column)' is not a valid column name (expected [A-Za-z_][A-Za-z0-9_]{0,63})")
        }
        if resource.attribute(from)?.column == nil {
            problems.append("\(place): 'from' must name an attribute stored in a column (\(from) is not)")
        }
        if values.isEmpty {
            problems.append("\(place): 'values' must map at least one stored value to a role")
        }
        for (stored, role) in values.sorted(by: { $0.key < $1.key })
        where role.isEmpty || role.unicodeScalars.contains(where: { $0 == "\"" || $0 == ";" || $0.value < 0x20 }) {
            problems.append("\(place): the role for \(stored) must be a non-empty name without quotes or ';'")
        }
        let lowered = column.lowercased()
        let written =
            Array(resource.derived.keys) + Array(resource.onCreate.keys) + Array(resource.onWrite.keys)
            + resource.attributes.values.compactMap(\.column)
        if written.contains(where: { $0.lowercased() == lowered }) {
            problems.append("\(place): column \(column) is also written elsewhere in the mapping; write it only here")
        }
        return problems
    }
}
