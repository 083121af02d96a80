import SCIM

extension ResourceMapping {
    /// Problems of the element keys (`phoneNumbers[type eq "mobile"].value`): the syntax, the attribute
    /// (multi-valued, with a `type`), options that only make sense on one kind of key, a whole-attribute
    /// key beside element keys of the same attribute, duplicates and more than one fallback.
    func elementKeyProblems(mapping: String, resource: String, kind: ResourceKind) -> [String] {
        var problems: [String] = []
        var wholeKeys: [String: String] = [:]
        var elementKeys: [String: [String]] = [:]
        var seen: [String: String] = [:]
        var fallbacks: [String: Set<String>] = [:]
        for (path, attribute) in attributes.sorted(by: { $0.key < $1.key }) {
            let place = "mapping \(mapping), \(resource), attribute \(path)"
            guard path.contains("[") else {
                if let resolved = SchemaCatalog.definition(of: path, kind: kind), resolved.subAttribute == nil {
                    wholeKeys[resolved.description.lowercased()] = path
                }
                if attribute.fallback {
                    problems.append(
                        "\(place): fallback is only for element keys such as phoneNumbers[type eq \"work\"].value"
                    )
                }
                continue
            }
            switch ElementKey.parse(path) {
            case .failure(let error):
                problems.append("\(place): \(error.message)")
                continue
            case .success(let key):
                guard let resolved = SchemaCatalog.definition(of: path, kind: kind) else {
                    problems.append(
                        "\(place): \(key.attribute) is not a multi-valued attribute of the \(kind.rawValue) schemas "
                            + "with a type, or \(key.subAttribute) is not one of its sub-attributes other than type"
                    )
                    continue
                }
                let whole = resolved.whole.description.lowercased()
                elementKeys[whole, default: []].append(path)
                let identity = "\(whole)|\(resolved.elementType ?? "")|\(resolved.subAttribute?.lowercased() ?? "")"
                if let earlier = seen[identity] {
                    problems.append("\(place): the same element sub-attribute as \(earlier)")
                }
                seen[identity] = path
                if attribute.fallback { fallbacks[whole, default: []].insert(resolved.elementType ?? "") }
                if attribute.select != nil || attribute.primaryExtraField != nil || attribute.defaultType != nil {
                    problems.append(
                        "\(place): select, primaryExtraField and defaultType are for a whole attribute kept in one "
                            + "column, not for an element key"
                    )
                }
                if attribute.typeExtraField != nil && !attribute.fallback {
                    problems.append("\(place): typeExtraField on an element key needs fallback: true")
                }
            }
        }
        for (whole, keys) in elementKeys.sorted(by: { $0.key < $1.key }) {
            if let wholeKey = wholeKeys[whole] {
                problems.append(
                    "mapping \(mapping), \(resource), attribute \(wholeKey): map either the whole attribute or "
                        + "elements of it (\(keys.sorted().joined(separator: ", "))), not both"
                )
            }
            if let types = fallbacks[whole], types.count > 1 {
                problems.append(
                    "mapping \(mapping), \(resource), attribute \(whole): fallback may be set for one element type only, "
                        + "not for \(types.sorted().joined(separator: ", "))"
                )
            }
        }
        return problems
    }
}
