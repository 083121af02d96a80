import SCIM
import SQLDrivers

/// Translates a filter AST into a parameterised SQL condition on the mapped columns (against
/// the alias `t`), and a sort path into an `ORDER BY`. Values are always bound, never spliced in.
struct SQLFilterTranslator {
    let sql: ResourceSQL
    /// Inside one element of a multi-valued attribute stored by type: that type. Paths of the
    /// attribute then reach that element's storage only, so that a value filter
    /// (`phoneNumbers[type eq "mobile" and value sw "+33"]`) holds for one element.
    var elementType: String? = nil

    var resource: ResolvedResource { sql.resource }
    var dialect: any SQLDialect { sql.dialect }
    var keyColumn: String { "t.\(sql.q(resource.mapping.key))" }

    /// What a filter path reaches.
    enum Target {
        case key
        case date(String)
        case column(String, ResolvedAttribute)
        case extraField(String, ResolvedAttribute)
        case typeField(String, defaultType: String?, value: ResolvedAttribute)
        case members(Membership)
        /// The `type` (or, with no sub-attribute, the presence) of the element of one type.
        case element(String, typeField: String?, members: [ResolvedAttribute])
        /// A sub-attribute this element type does not store (other types do).
        case absent
    }

    /// The SQL condition of a filter. An attribute the mapping cannot answer is 400 invalidFilter.
    func condition(_ filter: FilterExpression) throws -> SQLFragment {
        if let groups = try sql.userGroupsCondition(filter) { return groups }
        switch filter {
        case .and(let left, let right):
            return SQLFragment("(") + (try condition(left)) + SQLFragment(" AND ") + (try condition(right))
                + SQLFragment(")")
        case .or(let left, let right):
            return SQLFragment("(") + (try condition(left)) + SQLFragment(" OR ") + (try condition(right))
                + SQLFragment(")")
        case .not(let inner):
            return SQLFragment("NOT COALESCE(") + (try condition(inner)) + SQLFragment(", FALSE)")
        case .present(let path):
            if elementType == nil, let group = resource.elementGroup(matching: path) {
                return try anyElement(group, filter)
            }
            return try present(resolve(path, present: true))
        case .comparison(let path, let op, let value):
            if elementType == nil, let group = resource.elementGroup(matching: path) {
                return try anyElement(group, filter)
            }
            return try comparison(resolve(path), path: path, op, value)
        case .valuePath(let outer, let inner):
            let relative = Self.relative(inner, to: outer)
            if elementType == nil, let group = resource.elementGroup(matching: outer) {
                return try anyElement(group, relative)
            }
            return try condition(relative)
        }
    }

    /// `ORDER BY` for a sort path, with the key as a stable tie-break.
    func ordering(_ path: AttributePath?, ascending: Bool) throws -> SQLFragment {
        let direction = ascending ? "ASC" : "DESC"
        guard let path else { return SQLFragment(" ORDER BY \(keyColumn) \(direction)") }
        let expression: SQLFragment
        switch try resolve(path, purpose: "sort by") {
        case .key: return SQLFragment(" ORDER BY \(keyColumn) \(direction)")
        case .date(let column): expression = SQLFragment("t.\(sql.q(column))")
        case .column(let column, let attribute):
            let plain = "t.\(sql.q(column))"
            expression = SQLFragment(attribute.isCaseInsensitive ? dialect.caseInsensitiveOrdering(plain) : plain)
        case .extraField(let field, _): expression = sql.extraFieldValueExpression(field: field)
        case .typeField, .members, .element, .absent:
            throw SCIMError.invalidValue("Cannot sort by \(path): it is not a single stored value.")
        }
        return SQLFragment(" ORDER BY ") + expression + SQLFragment(" \(direction), \(keyColumn) ASC")
    }

    /// Inner paths of a value filter made absolute: `emails[type eq "work"]` → `emails.type eq "work"`.
    static func relative(_ filter: FilterExpression, to outer: AttributePath) -> FilterExpression {
        func absolute(_ path: AttributePath) -> AttributePath {
            AttributePath(schema: outer.schema, name: outer.name, subAttribute: path.name)
        }
        switch filter {
        case .comparison(let path, let op, let value): return .comparison(absolute(path), op, value)
        case .present(let path): return .present(absolute(path))
        case .and(let left, let right): return .and(relative(left, to: outer), relative(right, to: outer))
        case .or(let left, let right): return .or(relative(left, to: outer), relative(right, to: outer))
        case .not(let inner): return .not(relative(inner, to: outer))
        case .valuePath(let path, let inner): return .valuePath(path, inner)
        }
    }

    private func resolve(_ path: AttributePath, purpose: String = "filter on", present: Bool = false) throws -> Target {
        if let group = resource.elementGroup(matching: path) {
            guard let elementType else {
                throw SCIMError.invalidValue("Cannot \(purpose) \(path): it is not a single stored value.")
            }
            return try elementTarget(path, group: group, type: elementType, present: present)
        }
        let coreURI = resource.kind.resourceType.schema.id.lowercased()
        let isCore = path.schema == nil || path.schema?.lowercased() == coreURI
        let name = path.name.lowercased()
        let sub = path.subAttribute?.lowercased()
        if isCore && name == "id" && sub == nil { return .key }
        if isCore && name == "meta" {
            if sub == "created", let column = resource.mapping.created { return .date(column) }
            if sub == "lastmodified", let column = resource.mapping.lastModified ?? resource.mapping.created {
                return .date(column)
            }
        }
        if let attribute = resource.attribute(matching: path), !attribute.isPassword {
            return storageTarget(attribute)
        }
        if let sub {
            let parentPath = AttributePath(schema: path.schema, name: path.name)
            if let parent = resource.attribute(matching: parentPath), parent.isMultiValued {
                if sub == "value" { return storageTarget(parent) }
                if sub == "type", let field = parent.mapping.typeExtraField {
                    return .typeField(field, defaultType: parent.mapping.defaultType ?? "work", value: parent)
                }
            }
        }
        if isCore && name == "members" && (sub == nil || sub == "value"), let members = resource.mapping.members {
            return .members(members)
        }
        throw SCIMError.invalidFilter("Cannot \(purpose) \(path): this tenant's mapping does not store it.")
    }

    func storageTarget(_ attribute: ResolvedAttribute) -> Target {
        switch attribute.storage {
        case .column(let column): return .column(column, attribute)
        case .extraField(let field): return .extraField(field, attribute)
        }
    }

    func present(_ target: Target) throws -> SQLFragment {
        switch target {
        case .key: return SQLFragment("TRUE")
        case .date(let column): return SQLFragment("t.\(sql.q(column)) IS NOT NULL")
        case .column(let column, let attribute):
            let expression = "t.\(sql.q(column))"
            if attribute.mapping.values == nil && !attribute.isBoolean {
                return SQLFragment("(\(expression) IS NOT NULL AND \(expression) <> ?)", [.text("")])
            }
            return SQLFragment("\(expression) IS NOT NULL")
        case .extraField(let field, _), .typeField(let field, _, _):
            if case .typeField(_, _, let value) = target { return try present(storageTarget(value)) }
            return sql.extraFieldExists(
                field: field,
                condition: SQLFragment("v.\(sql.q(valueColumn)) <> ?", [.text("")])
            )
        case .members(let membership):
            return SQLFragment(
                "EXISTS (SELECT 1 FROM \(sql.q(membership.table)) m WHERE m.\(sql.q(membership.groupColumn)) = \(keyColumn))"
            )
        case .element(_, _, let members):
            return try elementPresence(members)
        case .absent:
            return SQLFragment("FALSE")
        }
    }

    private var valueColumn: String { resource.extraFields?.valueColumn ?? "value" }

    private func comparison(
        _ target: Target,
        path: AttributePath,
        _ op: ComparisonOperator,
        _ value: FilterValue
    ) throws
        -> SQLFragment
    {
        if value == .null {
            switch op {
            case .eq: return SQLFragment("NOT COALESCE(") + (try present(target)) + SQLFragment(", FALSE)")
            case .ne: return try present(target)
            default: throw SCIMError.invalidFilter("\(path) \(op.rawValue) null is not a valid comparison.")
            }
        }
        switch target {
        case .key:
            if resource.mapping.id != nil {
                // Ids are UUIDs: only equality means anything; text that is no UUID matches nothing.
                guard op == .eq || op == .ne else {
                    throw SCIMError.invalidFilter("\(path) supports eq and ne only.")
                }
                guard case .string(let text) = value, let condition = sql.idCondition(text) else {
                    return SQLFragment(op == .ne ? "TRUE" : "FALSE")
                }
                return op == .eq ? condition : SQLFragment("NOT (") + condition + SQLFragment(")")
            }
            let number: Int64?
            switch value {
            case .integer(let integer): number = integer
            case .string(let text): number = SQLBackend.key(text)
            default: number = nil
            }
            // A non-numeric id (Entra sends GUIDs) matches nothing, rather than being an error.
            guard let number else { return SQLFragment(op == .ne ? "TRUE" : "FALSE") }
            return try compare(keyColumn, op, .integer(number), caseInsensitive: false, path: path)
        case .date(let column):
            guard case .string(let text) = value, let stored = SQLDateFormat.storedText(fromSCIM: text) else {
                throw SCIMError.invalidFilter("\(path) must be compared with a dateTime string.")
            }
            return try compare("t.\(sql.q(column))", op, .text(stored), caseInsensitive: false, path: path)
        case .column(let column, let attribute):
            guard let bind = try bindValue(attribute, op, value, path: path) else {
                return SQLFragment(op == .ne ? "TRUE" : "FALSE")
            }
            return try compare("t.\(sql.q(column))", op, bind, caseInsensitive: attribute.isCaseInsensitive, path: path)
        case .extraField(let field, let attribute):
            guard let bind = try bindValue(attribute, op, value, path: path) else {
                return SQLFragment(op == .ne ? "TRUE" : "FALSE")
            }
            let expression = "v.\(sql.q(valueColumn))"
            if op == .ne {
                let equal = try compare(expression, .eq, bind, caseInsensitive: attribute.isCaseInsensitive, path: path)
                return SQLFragment("NOT ") + sql.extraFieldExists(field: field, condition: equal)
            }
            let inner = try compare(expression, op, bind, caseInsensitive: attribute.isCaseInsensitive, path: path)
            return sql.extraFieldExists(field: field, condition: inner)
        case .typeField(let field, let defaultType, let valueAttribute):
            guard case .string(let text) = value else {
                throw SCIMError.invalidFilter("\(path) must be compared with a string.")
            }
            let expression = "v.\(sql.q(valueColumn))"
            let positive = op == .ne ? ComparisonOperator.eq : op
            var matches = sql.extraFieldExists(
                field: field,
                condition: try compare(expression, positive, .text(text), caseInsensitive: true, path: path)
            )
            if let defaultType, Self.textMatches(defaultType, positive, text) {
                let anyType = sql.extraFieldExists(field: field, condition: SQLFragment("TRUE"))
                matches = SQLFragment("(") + matches + SQLFragment(" OR NOT ") + anyType + SQLFragment(")")
            }
            let hasValue = try present(storageTarget(valueAttribute))
            if op == .ne { return SQLFragment("(") + hasValue + SQLFragment(" AND NOT ") + matches + SQLFragment(")") }
            return SQLFragment("(") + hasValue + SQLFragment(" AND ") + matches + SQLFragment(")")
        case .absent:
            return SQLFragment(op == .ne ? "TRUE" : "FALSE")
        case .element(let type, let typeField, let members):
            guard case .string(let text) = value else {
                throw SCIMError.invalidFilter("\(path) must be compared with a string.")
            }
            let positive = op == .ne ? ComparisonOperator.eq : op
            var matches = SQLFragment(Self.textMatches(type, positive, text) ? "TRUE" : "FALSE")
            if let typeField {
                let expression = "v.\(sql.q(valueColumn))"
                let stored = sql.extraFieldExists(
                    field: typeField,
                    condition: try compare(expression, positive, .text(text), caseInsensitive: true, path: path)
                )
                let anyType = sql.extraFieldExists(field: typeField, condition: SQLFragment("TRUE"))
                matches =
                    SQLFragment("(") + stored + SQLFragment(" OR (") + matches + SQLFragment(" AND NOT ") + anyType
                    + SQLFragment("))")
            }
            let exists = try elementPresence(members)
            let negation = op == .ne ? " AND NOT " : " AND "
            return SQLFragment("(") + exists + SQLFragment(negation) + matches + SQLFragment(")")
        case .members(let membership):
            guard op == .eq || op == .ne else {
                throw SCIMError.invalidFilter("\(path) supports eq and ne only.")
            }
            let number: Int64?
            switch value {
            case .integer(let integer): number = integer
            case .string(let text): number = SQLBackend.key(text)
            default: number = nil
            }
            guard let number else { return SQLFragment(op == .ne ? "TRUE" : "FALSE") }
            let exists = SQLFragment(
                "EXISTS (SELECT 1 FROM \(sql.q(membership.table)) m WHERE m.\(sql.q(membership.groupColumn)) = \(keyColumn) "
                    + "AND m.\(sql.q(membership.memberColumn)) = ?)",
                [.integer(number)]
            )
            return op == .eq ? exists : SQLFragment("NOT ") + exists
        }
    }

    /// The bound value for a comparison on a mapped attribute; nil when no stored value can match.
    private func bindValue(
        _ attribute: ResolvedAttribute,
        _ op: ComparisonOperator,
        _ value: FilterValue,
        path: AttributePath
    )
        throws -> SQLValue?
    {
        let scalar: ScalarValue
        switch value {
        case .null: scalar = .null
        case .bool(let flag): scalar = .bool(flag)
        case .integer(let number): scalar = .integer(number)
        case .decimal(let number): scalar = .decimal(number)
        case .string(let text): scalar = .string(text)
        }
        if let map = attribute.mapping.values {
            guard op == .eq || op == .ne else {
                throw SCIMError.invalidFilter("\(path) supports eq and ne only (its values are translated).")
            }
            return map.stored(for: scalar)?.sqlValue
        }
        if attribute.isBoolean {
            guard case .bool(let flag) = scalar, op == .eq || op == .ne else {
                throw SCIMError.invalidFilter("\(path) is a Boolean: compare it with eq or ne and true or false.")
            }
            return .integer(flag ? 1 : 0)
        }
        return scalar.sqlValue
    }

    private func compare(
        _ expression: String,
        _ op: ComparisonOperator,
        _ bind: SQLValue,
        caseInsensitive: Bool,
        path: AttributePath
    )
        throws -> SQLFragment
    {
        let symbol: String
        switch op {
        case .eq: symbol = "="
        case .ne: symbol = "<>"
        case .gt: symbol = ">"
        case .ge: symbol = ">="
        case .lt: symbol = "<"
        case .le: symbol = "<="
        case .co, .sw, .ew:
            guard case .text(let text) = bind else {
                throw SCIMError.invalidFilter("\(path) \(op.rawValue) needs a string value.")
            }
            let match: SubstringMatch = op == .co ? .contains : (op == .sw ? .startsWith : .endsWith)
            return dialect.substringMatch(expression, match, value: text, caseInsensitive: caseInsensitive)
        }
        let isText: Bool
        if case .text = bind { isText = true } else { isText = false }
        let comparison: String
        if isText {
            comparison =
                caseInsensitive
                ? dialect.caseInsensitiveComparison(expression, symbol)
                : dialect.caseSensitiveComparison(expression, symbol)
        } else {
            comparison = "\(expression) \(symbol) ?"
        }
        if op == .ne {
            return SQLFragment("(\(expression) IS NULL OR \(comparison))", [bind])
        }
        return SQLFragment(comparison, [bind])
    }

    /// Whether a constant (a default type) satisfies a string comparison, letter case ignored.
    static func textMatches(_ candidate: String, _ op: ComparisonOperator, _ value: String) -> Bool {
        let left = candidate.lowercased()
        let right = value.lowercased()
        switch op {
        case .eq: return left == right
        case .ne: return left != right
        case .co: return left.contains(right)
        case .sw: return left.hasPrefix(right)
        case .ew: return left.hasSuffix(right)
        case .gt: return left > right
        case .ge: return left >= right
        case .lt: return left < right
        case .le: return left <= right
        }
    }
}
