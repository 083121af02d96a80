import SCIM

/// A mapping key (`name.givenName`, `urn:…:enterprise:2.0:User:employeeNumber`) resolved against
/// the standard schemas.
struct ResolvedAttributePath: Sendable, Hashable {
    /// The extension schema URI, or nil for a core attribute.
    var extensionSchema: String?
    /// The top-level attribute as the schema spells it.
    var name: String
    /// The sub-attribute as the schema spells it.
    var subAttribute: String?
    /// The attribute definition (of the sub-attribute when there is one).
    var definition: SCIMAttribute
    /// The top-level definition.
    var parent: SCIMAttribute
    /// For one element of a multi-valued attribute (`phoneNumbers[type eq "mobile"].value`): the
    /// element's `type`, lower-cased as the mapping key spells it.
    var elementType: String?

    /// The path as a client writes it.
    var description: String {
        var text = extensionSchema.map { "\($0):" } ?? ""
        text += name
        if let elementType { text += "[type eq \"\(elementType)\"]" }
        if let subAttribute { text += ".\(subAttribute)" }
        return text
    }

    /// The path of the whole attribute (`phoneNumbers` for `phoneNumbers[type eq "work"].value`).
    var whole: ResolvedAttributePath {
        ResolvedAttributePath(extensionSchema: extensionSchema, name: name, definition: parent, parent: parent)
    }

    /// Whether a filter or sort path names this attribute (letter case ignored; the core schema
    /// URI may be written or not). An element of a multi-valued attribute matches no plain path:
    /// filters reach it through its type (``SQLFilterTranslator``).
    func matches(_ path: AttributePath, kind: ResourceKind) -> Bool {
        guard elementType == nil else { return false }
        let schema = path.schema?.lowercased()
        let coreURI = kind.resourceType.schema.id.lowercased()
        let schemaMatches =
            extensionSchema == nil
            ? (schema == nil || schema == coreURI) : schema == extensionSchema?.lowercased()
        return schemaMatches && path.name.lowercased() == name.lowercased()
            && path.subAttribute?.lowercased() == subAttribute?.lowercased()
    }
}

/// Look-ups in the standard schemas of the SCIM core.
enum SchemaCatalog {
    /// Resolves a mapping key; nil when no standard attribute has that path. A key naming one element
    /// of a multi-valued attribute by its type (`addresses[type eq "work"].locality`) resolves to that
    /// sub-attribute with ``ResolvedAttributePath/elementType`` set; ``ElementKey`` says what is wrong
    /// with a malformed one.
    static func definition(of path: String, kind: ResourceKind) -> ResolvedAttributePath? {
        if path.contains("[") {
            guard case .success(let key) = ElementKey.parse(path),
                var resolved = definition(of: key.attribute + "." + key.subAttribute, kind: kind),
                resolved.parent.multiValued, resolved.parent.subAttribute(named: "type") != nil,
                resolved.subAttribute?.lowercased() != "type"
            else { return nil }
            resolved.elementType = key.type.lowercased()
            return resolved
        }
        let type = kind.resourceType
        var schema = type.schema
        var extensionURI: String?
        var rest = path
        if path.lowercased().hasPrefix("urn:"), let colon = path.lastIndex(of: ":") {
            let uri = String(path[..<colon])
            rest = String(path[path.index(after: colon)...])
            if uri.lowercased() == type.schema.id.lowercased() {
                extensionURI = nil
            } else if let found = type.extensionSchema(uri) {
                schema = found
                extensionURI = found.id
            } else {
                return nil
            }
        }
        let parts = rest.split(separator: ".", maxSplits: 1).map(String.init)
        guard let first = parts.first else { return nil }
        let common = SCIMAttribute.commonAttributes.first { $0.name.lowercased() == first.lowercased() }
        guard let parent = schema.attribute(named: first) ?? (extensionURI == nil ? common : nil) else { return nil }
        if parts.count == 2 {
            guard let sub = parent.subAttribute(named: parts[1]) else { return nil }
            return ResolvedAttributePath(
                extensionSchema: extensionURI,
                name: parent.name,
                subAttribute: sub.name,
                definition: sub,
                parent: parent
            )
        }
        return ResolvedAttributePath(
            extensionSchema: extensionURI,
            name: parent.name,
            subAttribute: nil,
            definition: parent,
            parent: parent
        )
    }

    /// The standard schemas of `kind` restricted to the attributes in `stored` (top-level names,
    /// optionally with the sub-attributes kept); schemas left with no attribute are dropped, the
    /// core schema is always kept.
    static func restrictedSchemas(
        kind: ResourceKind,
        stored: [ResolvedAttributePath],
        extraSubAttributes: [String: [String]] = [:]
    )
        -> [SCIMSchema]
    {
        let type = kind.resourceType
        var result: [SCIMSchema] = []
        let schemas = [(nil as String?, type.schema)] + type.extensions.map { ($0.schema.id as String?, $0.schema) }
        for (uri, schema) in schemas {
            let here = stored.filter { $0.extensionSchema?.lowercased() == uri?.lowercased() }
            var attributes: [SCIMAttribute] = []
            for attribute in schema.attributes {
                let matching = here.filter { $0.name.lowercased() == attribute.name.lowercased() }
                guard !matching.isEmpty else { continue }
                var kept = attribute
                if !attribute.subAttributes.isEmpty && !matching.contains(where: { $0.subAttribute == nil }) {
                    let names = Set(matching.compactMap { $0.subAttribute?.lowercased() })
                    kept.subAttributes = attribute.subAttributes.filter { names.contains($0.name.lowercased()) }
                } else if let keep = extraSubAttributes[attribute.name] {
                    let names = Set(keep.map { $0.lowercased() })
                    kept.subAttributes = attribute.subAttributes.filter { names.contains($0.name.lowercased()) }
                }
                attributes.append(kept)
            }
            if uri == nil || !attributes.isEmpty {
                var restricted = schema
                restricted.attributes = attributes
                result.append(restricted)
            }
        }
        return result
    }
}
