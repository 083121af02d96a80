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
