import SCIM
import SQLDrivers

/// Filters on a multi-valued attribute stored by element type (`phoneNumbers[type eq "mobile"].value`):
/// the condition is asked of each type's element in turn, so that a value filter holds for one element.
extension SQLFilterTranslator {
    /// A condition on a multi-valued attribute stored by type: it holds for the element of some type.
    func anyElement(_ group: ElementGroup, _ filter: FilterExpression) throws -> SQLFragment {
        var conditions: [SQLFragment] = []
        for type in group.types {
            let scoped = SQLFilterTranslator(sql: sql, elementType: type)
            conditions.append(SQLFragment("COALESCE(") + (try scoped.condition(filter)) + SQLFragment(", FALSE)"))
        }
        guard !conditions.isEmpty else { return SQLFragment("FALSE") }
        return SQLFragment("(") + SQLFragment.joined(conditions, separator: " OR ") + SQLFragment(")")
    }

    /// What a path names inside the element of `type`.
    func elementTarget(_ path: AttributePath, group: ElementGroup, type: String, present: Bool) throws -> Target {
        let members = group.members.filter { $0.path.elementType == type }
        guard let sub = path.subAttribute?.lowercased() ?? (present ? nil : "value") else {
            return .element(type, typeField: type == group.fallbackType ? group.typeField : nil, members: members)
        }
        if sub == "type" {
            return .element(type, typeField: type == group.fallbackType ? group.typeField : nil, members: members)
        }
        if let member = members.first(where: { $0.path.subAttribute?.lowercased() == sub }) {
            return storageTarget(member)
        }
        if group.members.contains(where: { $0.path.subAttribute?.lowercased() == sub }) { return .absent }
        throw SCIMError.invalidFilter("Cannot filter on \(path): this tenant's mapping does not store it.")
    }

    /// Whether the element of one type holds any stored sub-attribute.
    func elementPresence(_ members: [ResolvedAttribute]) throws -> SQLFragment {
        guard !members.isEmpty else { return SQLFragment("FALSE") }
        let parts = try members.map { try present(storageTarget($0)) }
        return SQLFragment("(") + SQLFragment.joined(parts, separator: " OR ") + SQLFragment(")")
    }
}
