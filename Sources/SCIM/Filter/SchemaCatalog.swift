/// The attributes a resource type offers, as the tenant stores them: the core schema, its
/// extensions and the common attributes (`id`, `externalId`, `meta`). Resolves attribute paths
/// and names without regard to letter case (RFC 7643 §2.1) and tells their canonical spelling.
public struct SchemaCatalog: Sendable {
    /// A resolved reference to an attribute.
    public struct Resolved: Sendable {
        /// The canonical extension URI when the attribute belongs to an extension.
        public var extensionURI: String?
        /// The top-level attribute.
        public var attribute: SCIMAttribute
        /// The sub-attribute, when the path named one.
        public var subAttribute: SCIMAttribute?

        /// The canonical path, qualified with the extension URI when there is one.
        public var canonicalPath: String {
            var text = extensionURI.map { "\($0):" } ?? ""
            text += attribute.name
            if let subAttribute { text += ".\(subAttribute.name)" }
            return text
        }
    }

    let core: SCIMSchema
    let extensions: [SCIMSchema]

    /// - Parameter schemas: the schemas the tenant stores; `nil` for the resource type's own.
    public init(resourceType: SCIMResourceType, schemas: [SCIMSchema]?) {
        guard let schemas else {
            core = resourceType.schema
            extensions = resourceType.extensions.map(\.schema)
            return
        }
        let coreID = resourceType.schema.id.lowercased()
        core =
            schemas.first { $0.id.lowercased() == coreID }
            ?? SCIMSchema(
                id: resourceType.schema.id,
                name: resourceType.schema.name,
                description: resourceType.schema.description,
                attributes: []
            )
        extensions = schemas.filter { $0.id.lowercased() != coreID }
    }

    /// Whether this URI is the core schema's.
    func isCore(_ uri: String) -> Bool { uri.lowercased() == core.id.lowercased() }

    /// The extension schema with this URI, compared without regard to letter case.
    func extensionSchema(_ uri: String) -> SCIMSchema? {
        let lowered = uri.lowercased()
        return extensions.first { $0.id.lowercased() == lowered }
    }

    /// A core or common attribute by name.
    func coreAttribute(named name: String) -> SCIMAttribute? {
        if let attribute = core.attribute(named: name) { return attribute }
        let lowered = name.lowercased()
        return SCIMAttribute.commonAttributes.first { $0.name.lowercased() == lowered }
    }

    /// Resolves an attribute path. An unqualified name that is not a core attribute is looked
    /// up in the extensions when exactly one of them defines it.
    public func resolve(_ path: AttributePath) -> Resolved? {
        let attribute: SCIMAttribute
        var extensionURI: String?
        if let schema = path.schema, isCore(schema) == false {
            guard let extensionSchema = extensionSchema(schema),
                let found = extensionSchema.attribute(named: path.name)
            else { return nil }
            attribute = found
            extensionURI = extensionSchema.id
        } else if let found = coreAttribute(named: path.name) {
            attribute = found
        } else if path.schema == nil {
            let candidates = extensions.compactMap { schema in schema.attribute(named: path.name).map { (schema, $0) } }
            guard candidates.count == 1, let (schema, found) = candidates.first else { return nil }
            attribute = found
            extensionURI = schema.id
        } else {
            return nil
        }
        guard let subName = path.subAttribute else {
            return Resolved(extensionURI: extensionURI, attribute: attribute, subAttribute: nil)
        }
        guard let sub = attribute.subAttribute(named: subName) else { return nil }
        return Resolved(extensionURI: extensionURI, attribute: attribute, subAttribute: sub)
    }
}

extension JSONObject {
    /// The object holding an attribute's value: the resource itself, or its extension object.
    func container(for extensionURI: String?) -> JSONObject? {
        guard let extensionURI else { return self }
        return self[caseInsensitive: extensionURI]?.objectValue
    }
}
