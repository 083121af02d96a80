import SCIM
import Synchronization

/// Mapping keys, resolved with the SCIM core's attribute-path resolution against the standard schemas.
extension SchemaCatalog {
    /// Resolves a mapping key; nil when no standard attribute has that path. A key naming one element
    /// of a multi-valued attribute by its type (`addresses[type eq "work"].locality`) resolves to that
    /// sub-attribute with ``ResolvedAttributePath/elementType`` set; ``ElementKey`` says what is wrong
    /// with a malformed one.
    /// Answers are kept for the process (a pure function of its arguments): every tenant of a mapping
    /// resolves the same keys, ten thousand tenants the same few dozen.
    static func definition(of path: String, kind: ResourceKind) -> ResolvedAttributePath? {
        let key = MappingKeyDefinitions.Key(path: path, kind: kind)
        if let known = MappingKeyDefinitions.shared.withLock({ $0[key] }) { return known }
        let resolved = resolveDefinition(of: path, kind: kind)
        MappingKeyDefinitions.shared.withLock { known in
            // Keys come from mapping files, a few dozen each; the bound only matters for endless new ones.
            if known.count >= MappingKeyDefinitions.limit { known.removeAll(keepingCapacity: true) }
            known[key] = .some(resolved)
        }
        return resolved
    }

    private static func resolveDefinition(of path: String, kind: ResourceKind) -> ResolvedAttributePath? {
        if path.contains("[") {
            guard case .success(let key) = ElementKey.parse(path),
                var resolved = definition(of: key.attribute + "." + key.subAttribute, kind: kind),
                resolved.parent.multiValued, resolved.parent.subAttribute(named: "type") != nil,
                resolved.subAttribute?.lowercased() != "type"
            else { return nil }
            resolved.elementType = key.type.lowercased()
            return resolved
        }
        // A mapping key names an extension attribute only with its schema URI, unlike a filter path.
        guard let parsed = try? AttributePath.parse(path),
            let resolved = SchemaCatalog(resourceType: kind.resourceType, schemas: nil).resolve(parsed),
            parsed.schema != nil || resolved.extensionURI == nil
        else { return nil }
        return ResolvedAttributePath(
            extensionSchema: resolved.extensionURI,
            name: resolved.attribute.name,
            subAttribute: resolved.subAttribute?.name,
            definition: resolved.subAttribute ?? resolved.attribute,
            parent: resolved.attribute
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

/// The resolved mapping keys of ``SchemaCatalog/definition(of:kind:)`` (nil: not an attribute).
enum MappingKeyDefinitions {
    struct Key: Hashable {
        var path: String
        var kind: ResourceKind
    }

    static let limit = 4096
    static let shared = Locked<[Key: ResolvedAttributePath?]>([:])
}
