extension FilterExpression {
    /// Whether a resource matches this filter, evaluated in memory over canonical resource JSON
    /// (core attributes at the top level, extension attributes under their schema URI; `id` and
    /// `meta` may be present).
    ///
    /// Strings compare case-insensitively unless the schema says `caseExact`; dateTime values
    /// compare as instants; a multi-valued attribute matches when any of its values does; a
    /// complex attribute without a sub-attribute compares its `value` sub-attribute; `pr` needs a
    /// value that is neither null nor empty. `eq null` matches an unassigned attribute and `ne`
    /// is the negation of `eq`. An operator that does not apply to a type matches nothing.
    public func evaluate(on resource: JSONObject, resourceType: SCIMResourceType) -> Bool {
        FilterEvaluator(catalog: SchemaCatalog(resourceType: resourceType, schemas: nil))
            .matches(self, in: .resource(resource))
    }
}

/// Evaluates filters against resources, or against one element of a multi-valued attribute
/// inside a value filter.
struct FilterEvaluator: Sendable {
    enum Scope {
        case resource(JSONObject)
        /// One element of a multi-valued attribute; paths name its sub-attributes.
        case element(JSONValue, parent: SCIMAttribute?)
    }

    let catalog: SchemaCatalog

    func matches(_ expression: FilterExpression, in scope: Scope) -> Bool {
        switch expression {
        case .and(let left, let right):
            return matches(left, in: scope) && matches(right, in: scope)
        case .or(let left, let right):
            return matches(left, in: scope) || matches(right, in: scope)
        case .not(let inner):
            return !matches(inner, in: scope)
        case .present(let path):
            return leaves(of: path, in: scope, comparing: false).values.contains { $0.isFilterPresent }
        case .comparison(let path, let comparison, let value):
            let (values, attribute) = leaves(of: path, in: scope, comparing: true)
            return Self.compare(values, comparison, value, attribute: attribute)
        case .valuePath(let path, let inner):
            guard case .resource(let resource) = scope else { return false }
            let resolved = catalog.resolve(path)
            let elements = Self.elements(of: rawValue(of: path, resolved: resolved, in: resource))
            return elements.contains { matches(inner, in: .element($0, parent: resolved?.attribute)) }
        }
    }

    /// The attribute's value as stored, looked up without regard to letter case.
    private func rawValue(
        of path: AttributePath,
        resolved: SchemaCatalog.Resolved?,
        in resource: JSONObject
    )
        -> JSONValue?
    {
        let container: JSONObject?
        if let resolved {
            container = resource.container(for: resolved.extensionURI)
        } else if let schema = path.schema, catalog.isCore(schema) == false {
            container = resource.container(for: schema)
        } else {
            container = resource
        }
        return container?[caseInsensitive: resolved?.attribute.name ?? path.name]
    }

    private static func elements(of value: JSONValue?) -> [JSONValue] {
        switch value {
        case nil: return []
        case .array(let values)?: return values
        case let value?: return [value]
        }
    }

    /// The simple values a path reaches and their definition. Complex values compare through
    /// their `value` sub-attribute; presence looks at the complex values themselves.
    private func leaves(
        of path: AttributePath,
        in scope: Scope,
        comparing: Bool
    )
        -> (values: [JSONValue], attribute: SCIMAttribute?)
    {
        switch scope {
        case .element(let element, let parent):
            if let object = element.objectValue {
                let definition = parent?.subAttribute(named: path.name)
                return (Self.elements(of: object[caseInsensitive: path.name]), definition)
            }
            guard path.name.lowercased() == "value" else { return ([], nil) }
            return ([element], parent)
        case .resource(let resource):
            let resolved = catalog.resolve(path)
            let elements = Self.elements(of: rawValue(of: path, resolved: resolved, in: resource))
            if let sub = path.subAttribute {
                let values = elements.flatMap { Self.elements(of: $0.objectValue?[caseInsensitive: sub]) }
                return (values, resolved?.subAttribute)
            }
            if comparing, elements.contains(where: { $0.objectValue != nil }) {
                let values = elements.flatMap { Self.elements(of: $0.objectValue?[caseInsensitive: "value"]) }
                return (values, resolved?.attribute.subAttribute(named: "value"))
            }
            return (elements, resolved?.attribute)
        }
    }

    static func compare(
        _ values: [JSONValue],
        _ comparison: ComparisonOperator,
        _ operand: FilterValue,
        attribute: SCIMAttribute?
    ) -> Bool {
        if operand == .null {
            let assigned = values.contains { $0.isFilterPresent }
            switch comparison {
            case .eq: return !assigned
            case .ne: return assigned
            default: return false
            }
        }
        if comparison == .ne {
            return !values.contains { compareOne($0, .eq, operand, attribute: attribute) }
        }
        return values.contains { compareOne($0, comparison, operand, attribute: attribute) }
    }

    private static func compareOne(
        _ value: JSONValue,
        _ comparison: ComparisonOperator,
        _ operand: FilterValue,
        attribute: SCIMAttribute?
    ) -> Bool {
        switch (value, operand) {
        case (.string(let stored), .string(let wanted)):
            if attribute?.type == .dateTime, [.eq, .gt, .ge, .lt, .le].contains(comparison),
                let storedInstant = SCIMDateTime.instant(stored), let wantedInstant = SCIMDateTime.instant(wanted)
            {
                return order(storedInstant, wantedInstant, comparison)
            }
            if attribute?.type == .boolean { return false }
            let caseExact = attribute?.caseExact ?? false
            let left = caseExact ? stored : stored.lowercased()
            let right = caseExact ? wanted : wanted.lowercased()
            switch comparison {
            case .co: return right.isEmpty || left.contains(right)
            case .sw: return left.hasPrefix(right)
            case .ew: return left.hasSuffix(right)
            default:
                if attribute?.type == .binary, comparison != .eq { return false }
                return order(left, right, comparison)
            }
        case (.bool(let stored), .bool(let wanted)):
            return comparison == .eq && stored == wanted
        case (.integer(let stored), .integer(let wanted)):
            return order(stored, wanted, comparison)
        case (.integer, .decimal), (.decimal, .integer), (.decimal, .decimal):
            guard let stored = value.filterNumber, let wanted = operand.filterNumber else { return false }
            return order(stored, wanted, comparison)
        default:
            return false
        }
    }

    private static func order<T: Comparable>(_ left: T, _ right: T, _ comparison: ComparisonOperator) -> Bool {
        switch comparison {
        case .eq: return left == right
        case .ne: return left != right
        case .gt: return left > right
        case .ge: return left >= right
        case .lt: return left < right
        case .le: return left <= right
        case .co, .sw, .ew: return false
        }
    }
}

extension JSONValue {
    /// RFC 7644 §3.4.2.2 `pr`: a value that is not null, not an empty string or array, and, for a
    /// complex value, has at least one present sub-attribute.
    var isFilterPresent: Bool {
        switch self {
        case .null: return false
        case .string(let text): return text.isEmpty == false
        case .array(let values): return values.contains { $0.isFilterPresent }
        case .object(let object): return object.contains { $0.value.isFilterPresent }
        default: return true
        }
    }

    var filterNumber: Double? {
        switch self {
        case .integer(let value): return Double(value)
        case .decimal(let value): return value
        default: return nil
        }
    }
}

extension FilterValue {
    var filterNumber: Double? {
        switch self {
        case .integer(let value): return Double(value)
        case .decimal(let value): return value
        default: return nil
        }
    }
}
