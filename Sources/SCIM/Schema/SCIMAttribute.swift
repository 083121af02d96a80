/// One attribute definition of a SCIM schema (RFC 7643 §2.2 and §7).
public struct SCIMAttribute: Sendable, Hashable {
    /// The data types of RFC 7643 §2.3.
    public enum DataType: String, Sendable, Hashable {
        case string, boolean, decimal, integer, dateTime, binary, reference, complex
    }

    /// RFC 7643 §7 `mutability`.
    public enum Mutability: String, Sendable, Hashable {
        case readOnly, readWrite, immutable, writeOnly
    }

    /// RFC 7643 §7 `returned`.
    public enum Returned: String, Sendable, Hashable {
        case always, never, `default`, request
    }

    /// RFC 7643 §7 `uniqueness`.
    public enum Uniqueness: String, Sendable, Hashable {
        case none, server, global
    }

    public var name: String
    public var type: DataType
    public var multiValued: Bool
    public var description: String
    public var required: Bool
    public var caseExact: Bool
    public var mutability: Mutability
    public var returned: Returned
    public var uniqueness: Uniqueness
    public var canonicalValues: [String]
    public var referenceTypes: [String]
    public var subAttributes: [SCIMAttribute]

    public init(
        _ name: String,
        type: DataType = .string,
        multiValued: Bool = false,
        description: String = "",
        required: Bool = false,
        caseExact: Bool = false,
        mutability: Mutability = .readWrite,
        returned: Returned = .default,
        uniqueness: Uniqueness = .none,
        canonicalValues: [String] = [],
        referenceTypes: [String] = [],
        subAttributes: [SCIMAttribute] = []
    ) {
        self.name = name
        self.type = type
        self.multiValued = multiValued
        self.description = description
        self.required = required
        self.caseExact = caseExact
        self.mutability = mutability
        self.returned = returned
        self.uniqueness = uniqueness
        self.canonicalValues = canonicalValues
        self.referenceTypes = referenceTypes
        self.subAttributes = subAttributes
    }

    /// The sub-attribute with this name, compared without regard to letter case.
    public func subAttribute(named name: String) -> SCIMAttribute? {
        let lowered = name.lowercased()
        return subAttributes.first { $0.name.lowercased() == lowered }
    }
}

/// A SCIM schema: core or extension (RFC 7643 §7).
public struct SCIMSchema: Sendable, Hashable {
    /// The schema URI, e.g. `urn:ietf:params:scim:schemas:core:2.0:User`.
    public var id: String
    public var name: String
    public var description: String
    public var attributes: [SCIMAttribute]

    public init(id: String, name: String, description: String, attributes: [SCIMAttribute]) {
        self.id = id
        self.name = name
        self.description = description
        self.attributes = attributes
    }

    /// The top-level attribute with this name, compared without regard to letter case.
    public func attribute(named name: String) -> SCIMAttribute? {
        let lowered = name.lowercased()
        return attributes.first { $0.name.lowercased() == lowered }
    }
}

/// A resource type (RFC 7643 §6): its endpoint, core schema and extensions.
public struct SCIMResourceType: Sendable, Hashable {
    /// A schema extension of a resource type and whether resources must carry it.
    public struct Extension: Sendable, Hashable {
        public var schema: SCIMSchema
        public var required: Bool

        public init(schema: SCIMSchema, required: Bool = false) {
            self.schema = schema
            self.required = required
        }
    }

    /// `User` or `Group`.
    public var name: String
    /// `/Users` or `/Groups`.
    public var endpoint: String
    public var description: String
    public var schema: SCIMSchema
    public var extensions: [Extension]

    public init(name: String, endpoint: String, description: String, schema: SCIMSchema, extensions: [Extension]) {
        self.name = name
        self.endpoint = endpoint
        self.description = description
        self.schema = schema
        self.extensions = extensions
    }

    /// The extension schema with this URI, compared without regard to letter case.
    public func extensionSchema(_ uri: String) -> SCIMSchema? {
        let lowered = uri.lowercased()
        return extensions.first { $0.schema.id.lowercased() == lowered }?.schema
    }
}
