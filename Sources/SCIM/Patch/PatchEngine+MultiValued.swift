extension PatchEngine {
    /// An operation on the elements of a multi-valued attribute that a value filter selects,
    /// or on one sub-attribute of each.
    func applyFiltered(
        _ op: PatchOperation.Op,
        to resolved: SchemaCatalog.Resolved,
        filter: FilterExpression,
        sub: SCIMAttribute?,
        value: JSONValue?,
        in state: inout JSONObject
    ) throws(SCIMError) {
        let attribute = resolved.attribute
        var container = state.container(for: resolved.extensionURI) ?? JSONObject()
        var elements = Self.elements(of: container[caseInsensitive: attribute.name])
        let evaluator = FilterEvaluator(catalog: catalog)
        let matching = elements.indices.filter {
            evaluator.matches(filter, in: .element(elements[$0], parent: attribute))
        }
        let path = resolved.canonicalPath + "[\(filter)]" + (sub.map { ".\($0.name)" } ?? "")
        var dropped: [String] = []
        let isRemoval = op == .remove || value == nil || value == .null

        if isRemoval {
            if let sub {
                for index in matching {
                    guard var object = elements[index].objectValue else { continue }
                    try checkChange(of: sub, path: path, from: object[caseInsensitive: sub.name], to: nil)
                    object.setCanonical(sub.name, nil)
                    elements[index] = .object(object)
                }
            } else {
                for index in matching.reversed() { elements.remove(at: index) }
            }
        } else if let value {
            if matching.isEmpty {
                // RFC 7644 §3.5.2.3 answers noTarget; Entra replaces `emails[type eq "work"].value`
                // on a user without a work email and expects it created, so a filter made of `eq`
                // comparisons describes the element to create.
                guard sub != nil || op == .add else {
                    throw SCIMError.noTarget("No value of '\(resolved.canonicalPath)' matches the filter [\(filter)].")
                }
                guard var element = try template(from: filter, attribute: attribute, path: path) else {
                    throw SCIMError.noTarget(
                        "No value of '\(resolved.canonicalPath)' matches the filter [\(filter)], and the filter does not describe one to create."
                    )
                }
                if let sub {
                    let coerced = try normalizer.coerce(value, for: sub, path: path, dropped: &dropped)
                    var object = element.objectValue ?? JSONObject()
                    object.setCanonical(sub.name, coerced)
                    element = .object(object)
                } else {
                    let coerced = try normalizer.coerceSingle(value, for: attribute, path: path, dropped: &dropped)
                    element = merge(coerced, into: element)
                }
                elements = mergeElements(elements, [element], attribute: attribute)
            } else {
                for index in matching {
                    if let sub {
                        guard var object = elements[index].objectValue else { continue }
                        let coerced = try normalizer.coerce(value, for: sub, path: path, dropped: &dropped)
                        try checkChange(of: sub, path: path, from: object[caseInsensitive: sub.name], to: coerced)
                        object.setCanonical(sub.name, coerced)
                        elements[index] = .object(object)
                    } else {
                        let coerced = try normalizer.coerceSingle(value, for: attribute, path: path, dropped: &dropped)
                        if let incoming = coerced.objectValue, let existing = elements[index].objectValue {
                            for (key, member) in incoming {
                                if let definition = attribute.subAttribute(named: key) {
                                    try checkChange(
                                        of: definition,
                                        path: "\(resolved.canonicalPath).\(definition.name)",
                                        from: existing[caseInsensitive: key],
                                        to: member
                                    )
                                }
                            }
                        }
                        elements[index] = merge(coerced, into: elements[index])
                    }
                }
                if let primaryIndex = matching.last, elements[primaryIndex].objectValue?["primary"] == .bool(true) {
                    elements = Self.clearingPrimary(elements, except: primaryIndex)
                }
            }
        }
        container.setCanonical(attribute.name, elements.isEmpty ? nil : .array(elements))
        state.setContainer(container, for: resolved.extensionURI)
    }

    /// The element a filter of `eq` comparisons joined by `and` describes, e.g. `{"type": "work"}`
    /// for `type eq "work"`; `nil` for any other filter.
    private func template(
        from filter: FilterExpression,
        attribute: SCIMAttribute,
        path: String
    ) throws(SCIMError)
        -> JSONValue?
    {
        guard let equalities = Self.equalities(in: filter) else { return nil }
        var dropped: [String] = []
        if attribute.subAttributes.isEmpty {
            guard equalities.count == 1, let (name, value) = equalities.first, name.lowercased() == "value" else {
                return nil
            }
            return try normalizer.coerceSingle(value.jsonValue, for: attribute, path: path, dropped: &dropped)
        }
        var object = JSONObject()
        for (name, value) in equalities {
            guard let sub = attribute.subAttribute(named: name), sub.mutability != .readOnly else { return nil }
            object.setCanonical(
                sub.name,
                try normalizer.coerce(value.jsonValue, for: sub, path: path, dropped: &dropped)
            )
        }
        return .object(object)
    }

    private static func equalities(in filter: FilterExpression) -> [(String, FilterValue)]? {
        switch filter {
        case .comparison(let path, .eq, let value)
        where path.schema == nil && path.subAttribute == nil && value != .null:
            return [(path.name, value)]
        case .and(let left, let right):
            guard let leftPairs = equalities(in: left), let rightPairs = equalities(in: right) else { return nil }
            return leftPairs + rightPairs
        default:
            return nil
        }
    }

    /// A complex value's members laid over an element; a simple value replaces it.
    private func merge(_ incoming: JSONValue, into element: JSONValue) -> JSONValue {
        guard let members = incoming.objectValue else { return incoming }
        var object = element.objectValue ?? JSONObject()
        for (key, member) in members { object.setCanonical(key, member) }
        return .object(object)
    }

    /// Adds values to a multi-valued attribute: a value equal to an existing one updates it
    /// instead of duplicating it, and a new primary value takes `primary` from the others.
    /// Elements are found by their folded `value` in a dictionary, so adding m members to a group of
    /// n costs about n + m comparisons, not n × m.
    func mergeElements(_ existing: [JSONValue], _ incoming: [JSONValue], attribute: SCIMAttribute) -> [JSONValue] {
        var result = existing
        var byValue: [JSONValue: [Int]] = [:]
        for (index, element) in result.enumerated() {
            if let key = valueKey(element, attribute: attribute) { byValue[key, default: []].append(index) }
        }
        for element in incoming {
            let index: Int
            let key = valueKey(element, attribute: attribute)
            let found =
                key.map { key in
                    byValue[key]?.first { isSameValue(result[$0], element, attribute: attribute) }
                } ?? result.firstIndex { isSameValue($0, element, attribute: attribute) }
            if let found {
                result[found] = merge(element, into: result[found])
                index = found
            } else {
                result.append(element)
                index = result.count - 1
                if let key { byValue[key, default: []].append(index) }
            }
            if element.objectValue?["primary"] == .bool(true) {
                result = Self.clearingPrimary(result, except: index)
            }
        }
        return result
    }

    private static func clearingPrimary(_ elements: [JSONValue], except kept: Int) -> [JSONValue] {
        elements.enumerated().map { index, element in
            guard index != kept, var object = element.objectValue, object["primary"] == .bool(true) else {
                return element
            }
            object["primary"] = .bool(false)
            return .object(object)
        }
    }

    /// Whether two elements are the same value: complex elements with the same `value` (and the
    /// same `type` when both have one), simple elements that are equal. Strings compare
    /// case-insensitively unless the schema says `caseExact`.
    func isSameValue(_ left: JSONValue, _ right: JSONValue, attribute: SCIMAttribute) -> Bool {
        guard let leftObject = left.objectValue, let rightObject = right.objectValue else {
            return Self.equal(left, right, caseExact: attribute.caseExact)
        }
        guard let leftValue = leftObject[caseInsensitive: "value"],
            let rightValue = rightObject[caseInsensitive: "value"]
        else { return left == right }
        let caseExact = attribute.subAttribute(named: "value")?.caseExact ?? false
        guard Self.equal(leftValue, rightValue, caseExact: caseExact) else { return false }
        if let leftType = leftObject[caseInsensitive: "type"], let rightType = rightObject[caseInsensitive: "type"] {
            return Self.equal(leftType, rightType, caseExact: false)
        }
        return true
    }

    /// What ``isSameValue(_:_:attribute:)`` compares, folded: two elements it calls the same have the
    /// same key (the converse is checked by calling it). `nil` for a complex element without `value`.
    func valueKey(_ element: JSONValue, attribute: SCIMAttribute) -> JSONValue? {
        guard let object = element.objectValue else {
            return Self.folded(element, caseExact: attribute.caseExact)
        }
        guard let value = object[caseInsensitive: "value"] else { return nil }
        return Self.folded(value, caseExact: attribute.subAttribute(named: "value")?.caseExact ?? false)
    }

    private static func folded(_ value: JSONValue, caseExact: Bool) -> JSONValue {
        if !caseExact, case .string(let text) = value { return .string(text.lowercased()) }
        return value
    }

    private static func equal(_ left: JSONValue, _ right: JSONValue, caseExact: Bool) -> Bool {
        if !caseExact, case .string(let leftText) = left, case .string(let rightText) = right {
            return leftText.lowercased() == rightText.lowercased()
        }
        return left == right
    }

    /// Entra's member removal, `{"op":"Remove","path":"members","value":[{"value":"id"}]}`:
    /// removes only the listed values; `nil` when none remain.
    func removeListed(
        _ value: JSONValue,
        from elements: [JSONValue],
        attribute: SCIMAttribute,
        path: String
    )
        throws(SCIMError) -> JSONValue?
    {
        var dropped: [String] = []
        let listed = try normalizer.coerce(value, for: attribute, path: path, dropped: &dropped).arrayValue ?? []
        // Candidates with a `value` are looked up by their folded value; the others are few.
        var byValue: [JSONValue: [JSONValue]] = [:]
        var unkeyed: [JSONValue] = []
        for candidate in listed {
            if candidate.objectValue == nil || candidate.objectValue?[caseInsensitive: "value"] != nil,
                let key = valueKey(candidate, attribute: attribute)
            {
                byValue[key, default: []].append(candidate)
            } else {
                unkeyed.append(candidate)
            }
        }
        let remaining = elements.filter { element in
            let keyed = valueKey(element, attribute: attribute).flatMap { byValue[$0] } ?? []
            return !(keyed + unkeyed).contains { candidate in
                guard let candidateObject = candidate.objectValue, let elementObject = element.objectValue else {
                    return isSameValue(element, candidate, attribute: attribute)
                }
                if candidateObject[caseInsensitive: "value"] != nil {
                    return isSameValue(element, candidate, attribute: attribute)
                }
                return candidateObject.allSatisfy { elementObject[caseInsensitive: $0.key] == $0.value }
            }
        }
        return remaining.isEmpty ? nil : .array(remaining)
    }
}

extension FilterValue {
    var jsonValue: JSONValue {
        switch self {
        case .null: return .null
        case .bool(let value): return .bool(value)
        case .integer(let value): return .integer(value)
        case .decimal(let value): return .decimal(value)
        case .string(let value): return .string(value)
        }
    }
}
