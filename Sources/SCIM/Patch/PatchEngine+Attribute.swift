extension PatchEngine {
    /// An operation on one attribute, or on one sub-attribute of a complex attribute, without a
    /// value filter.
    func apply(
        _ op: PatchOperation.Op,
        to resolved: SchemaCatalog.Resolved,
        value: JSONValue?,
        in state: inout JSONObject,
        dropped: inout [String]
    ) throws(SCIMError) {
        let attribute = resolved.attribute
        let path = resolved.canonicalPath
        var container = state.container(for: resolved.extensionURI) ?? JSONObject()
        let current = container[caseInsensitive: attribute.name]

        if attribute.mutability == .readOnly {
            // Clients echo read-only values (Okta sends the group's `id` on rename): an unchanged
            // value, or an `id`/`meta` the caller did not supply, is ignored.
            let isCommon = ["id", "meta"].contains(attribute.name)
            if op != .remove, resolved.subAttribute == nil, value == current || (current == nil && isCommon) { return }
            if op != .remove, let sub = resolved.subAttribute,
                value == current?.objectValue?[caseInsensitive: sub.name] || (current == nil && isCommon)
            {
                return
            }
            throw SCIMError.mutability("The attribute '\(path)' is read-only.")
        }

        if let sub = resolved.subAttribute {
            let updated = try applyToSubAttribute(
                op,
                attribute: attribute,
                sub: sub,
                current: current,
                value: value,
                path: path,
                dropped: &dropped
            )
            container.setCanonical(attribute.name, updated)
            state.setContainer(container, for: resolved.extensionURI)
            return
        }

        let isUnassigning = value?.isUnassigned ?? true
        var updated: JSONValue?
        if op == .remove || isUnassigning {
            if op == .add { return }
            if op == .remove, attribute.multiValued, let value, isUnassigning == false, let current {
                updated = try removeListed(value, from: Self.elements(of: current), attribute: attribute, path: path)
            }
        } else if let value {
            let coerced = try normalizer.coerce(value, for: attribute, path: path, dropped: &dropped)
            switch (op, attribute.multiValued, attribute.type) {
            case (.add, true, _):
                updated = .array(
                    mergeElements(Self.elements(of: current), coerced.arrayValue ?? [], attribute: attribute)
                )
            case (.replace, true, _):
                updated = .array(mergeElements([], coerced.arrayValue ?? [], attribute: attribute))
            case (_, false, .complex):
                var merged = current?.objectValue ?? JSONObject()
                for (key, member) in coerced.objectValue ?? JSONObject() { merged.setCanonical(key, member) }
                updated = .object(merged)
            default:
                updated = coerced
            }
        }
        try checkChange(of: attribute, path: path, from: current, to: updated)
        container.setCanonical(attribute.name, updated)
        state.setContainer(container, for: resolved.extensionURI)
    }

    /// The attribute's new value after an operation on one of its sub-attributes. For a
    /// multi-valued attribute the operation applies to every element (creating one for add or replace).
    private func applyToSubAttribute(
        _ op: PatchOperation.Op,
        attribute: SCIMAttribute,
        sub: SCIMAttribute,
        current: JSONValue?,
        value: JSONValue?,
        path: String,
        dropped: inout [String]
    ) throws(SCIMError) -> JSONValue? {
        let newSub: JSONValue?
        if op == .remove || value == nil || value == .null {
            if op == .add { return current }
            newSub = nil
        } else if let value {
            newSub = try normalizer.coerce(value, for: sub, path: path, dropped: &dropped)
        } else {
            newSub = nil
        }
        func update(_ element: JSONObject) throws(SCIMError) -> JSONObject {
            var element = element
            try checkChange(of: sub, path: path, from: element[caseInsensitive: sub.name], to: newSub)
            element.setCanonical(sub.name, newSub)
            return element
        }
        guard attribute.multiValued else {
            return .object(try update(current?.objectValue ?? JSONObject()))
        }
        var elements = Self.elements(of: current)
        if elements.isEmpty {
            guard newSub != nil else { return current }
            elements = [.object(JSONObject())]
        }
        var result: [JSONValue] = []
        for element in elements {
            guard let object = element.objectValue else {
                result.append(element)
                continue
            }
            result.append(.object(try update(object)))
        }
        return .array(result)
    }

    /// Rejects a change the attribute's mutability forbids (RFC 7643 §7, RFC 7644 §3.5.2.2):
    /// read-only attributes never change, immutable ones only when unassigned, required ones
    /// cannot become unassigned.
    func checkChange(
        of attribute: SCIMAttribute,
        path: String,
        from current: JSONValue?,
        to updated: JSONValue?
    )
        throws(SCIMError)
    {
        let before = current.flatMap { $0.isUnassigned ? nil : $0 }
        let after = updated.flatMap { $0.isUnassigned ? nil : $0 }
        guard before != after else { return }
        switch attribute.mutability {
        case .readOnly:
            throw SCIMError.mutability("The attribute '\(path)' is read-only.")
        case .immutable where before != nil:
            throw SCIMError.mutability("The attribute '\(path)' is immutable and already has a value.")
        default:
            break
        }
        if attribute.required, after == nil {
            throw SCIMError.mutability("The required attribute '\(path)' cannot be removed.")
        }
    }

    static func elements(of value: JSONValue?) -> [JSONValue] {
        switch value {
        case nil, .null?: return []
        case .array(let values)?: return values
        case let value?: return [value]
        }
    }
}
