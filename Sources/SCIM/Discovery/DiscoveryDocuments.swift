/// The discovery resources of RFC 7644 §4: /ServiceProviderConfig, /ResourceTypes and /Schemas.
public enum DiscoveryDocuments {
    /// The ServiceProviderConfig resource (RFC 7643 §5), with the tenant's authentication schemes
    /// (static bearer tokens, OAuth 2.0 client credentials).
    public static func serviceProviderConfig(_ features: ServiceProviderFeatures, location: String) -> JSONObject {
        var document: JSONObject = ["schemas": .array([.string(SCIMSchemaURI.serviceProviderConfig)])]
        if let documentationUri = features.documentationUri {
            document["documentationUri"] = .string(documentationUri)
        }
        document["patch"] = .object(["supported": .bool(features.patch)])
        document["bulk"] = .object([
            "supported": .bool(features.bulk.supported),
            "maxOperations": .integer(Int64(features.bulk.maxOperations)),
            "maxPayloadSize": .integer(Int64(features.bulk.maxPayloadSize)),
        ])
        document["filter"] = .object([
            "supported": .bool(features.filter.supported),
            "maxResults": .integer(Int64(features.filter.maxResults)),
        ])
        document["pagination"] = .object([
            "cursor": .bool(features.pagination.cursor),
            "index": .bool(features.pagination.index),
            "defaultPaginationMethod": .string(features.pagination.index ? "index" : "cursor"),
            "defaultPageSize": .integer(Int64(features.pagination.defaultPageSize)),
            "maxPageSize": .integer(Int64(features.pagination.maxPageSize)),
            "cursorTimeout": .integer(Int64(features.pagination.cursorTimeout)),
        ])
        document["changePassword"] = .object(["supported": .bool(features.changePassword)])
        document["sort"] = .object(["supported": .bool(features.sort)])
        document["etag"] = .object(["supported": .bool(features.etag)])
        let schemes = features.authenticationSchemes.isEmpty ? [.bearerToken] : features.authenticationSchemes
        document["authenticationSchemes"] = .array(
            schemes.enumerated().map { index, declared in
                var scheme: JSONObject = [
                    "type": .string(declared.type),
                    "name": .string(declared.name),
                    "description": .string(declared.description),
                    "specUri": .string(declared.specUri),
                ]
                if let documentationUri = features.documentationUri {
                    scheme["documentationUri"] = .string(documentationUri)
                }
                scheme["primary"] = .bool(index == 0)
                return .object(scheme)
            }
        )
        document["meta"] = .object(meta(resourceType: "ServiceProviderConfig", location: location))
        return document
    }

    /// A ResourceType resource (RFC 7643 §6).
    public static func resourceType(_ type: SCIMResourceType, location: String) -> JSONObject {
        var document: JSONObject = [
            "schemas": .array([.string(SCIMSchemaURI.resourceType)]),
            "id": .string(type.name),
            "name": .string(type.name),
            "endpoint": .string(type.endpoint),
            "description": .string(type.description),
            "schema": .string(type.schema.id),
        ]
        if !type.extensions.isEmpty {
            document["schemaExtensions"] = .array(
                type.extensions.map { declared in
                    .object(["schema": .string(declared.schema.id), "required": .bool(declared.required)])
                }
            )
        }
        document["meta"] = .object(meta(resourceType: "ResourceType", location: location))
        return document
    }

    /// A Schema resource (RFC 7643 §7) with every attribute characteristic.
    public static func schema(_ schema: SCIMSchema, location: String) -> JSONObject {
        [
            "schemas": .array([.string(SCIMSchemaURI.schema)]),
            "id": .string(schema.id),
            "name": .string(schema.name),
            "description": .string(schema.description),
            "attributes": .array(schema.attributes.map { .object(definition(of: $0)) }),
            "meta": .object(meta(resourceType: "Schema", location: location)),
        ]
    }

    /// One attribute definition: all characteristics of RFC 7643 §7, `canonicalValues` when the
    /// attribute has some, `referenceTypes` for references, `subAttributes` for complex ones.
    static func definition(of attribute: SCIMAttribute) -> JSONObject {
        var definition: JSONObject = [
            "name": .string(attribute.name),
            "type": .string(attribute.type.rawValue),
            "multiValued": .bool(attribute.multiValued),
            "description": .string(attribute.description),
            "required": .bool(attribute.required),
        ]
        if !attribute.canonicalValues.isEmpty {
            definition["canonicalValues"] = .array(attribute.canonicalValues.map(JSONValue.string))
        }
        definition["caseExact"] = .bool(attribute.caseExact)
        definition["mutability"] = .string(attribute.mutability.rawValue)
        definition["returned"] = .string(attribute.returned.rawValue)
        definition["uniqueness"] = .string(attribute.uniqueness.rawValue)
        if attribute.type == .reference || !attribute.referenceTypes.isEmpty {
            definition["referenceTypes"] = .array(attribute.referenceTypes.map(JSONValue.string))
        }
        if attribute.type == .complex || !attribute.subAttributes.isEmpty {
            definition["subAttributes"] = .array(attribute.subAttributes.map { .object(Self.definition(of: $0)) })
        }
        return definition
    }

    private static func meta(resourceType: String, location: String) -> JSONObject {
        ["resourceType": .string(resourceType), "location": .string(location)]
    }
}
