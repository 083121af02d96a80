/// The schema URIs this server knows.
public enum SCIMSchemaURI {
    public static let user = "urn:ietf:params:scim:schemas:core:2.0:User"
    public static let group = "urn:ietf:params:scim:schemas:core:2.0:Group"
    public static let enterpriseUser = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"
    public static let listResponse = "urn:ietf:params:scim:api:messages:2.0:ListResponse"
    public static let searchRequest = "urn:ietf:params:scim:api:messages:2.0:SearchRequest"
    public static let patchOp = "urn:ietf:params:scim:api:messages:2.0:PatchOp"
    public static let bulkRequest = "urn:ietf:params:scim:api:messages:2.0:BulkRequest"
    public static let bulkResponse = "urn:ietf:params:scim:api:messages:2.0:BulkResponse"
    public static let error = "urn:ietf:params:scim:api:messages:2.0:Error"
    public static let serviceProviderConfig = "urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig"
    public static let resourceType = "urn:ietf:params:scim:schemas:core:2.0:ResourceType"
    public static let schema = "urn:ietf:params:scim:schemas:core:2.0:Schema"
    /// Entra ID adds this schema to groups it creates; it carries nothing we store.
    public static let entraGroupExtension = "http://schemas.microsoft.com/2006/11/ResourceManagement/ADSCIM/2.0/Group"
}

extension SCIMAttribute {
    /// `id`, `externalId` and `meta` (RFC 7643 §3.1), common to every resource.
    public static let commonAttributes: [SCIMAttribute] = [
        SCIMAttribute(
            "id",
            description: "Unique identifier of the resource, assigned by the service provider.",
            caseExact: true,
            mutability: .readOnly,
            returned: .always,
            uniqueness: .server
        ),
        SCIMAttribute(
            "externalId",
            description: "Identifier of the resource as the provisioning client knows it.",
            caseExact: true
        ),
        SCIMAttribute(
            "meta",
            type: .complex,
            description: "Resource metadata.",
            mutability: .readOnly,
            subAttributes: [
                SCIMAttribute("resourceType", caseExact: true, mutability: .readOnly),
                SCIMAttribute("created", type: .dateTime, mutability: .readOnly),
                SCIMAttribute("lastModified", type: .dateTime, mutability: .readOnly),
                SCIMAttribute(
                    "location",
                    type: .reference,
                    caseExact: true,
                    mutability: .readOnly,
                    referenceTypes: ["uri"]
                ),
                SCIMAttribute("version", caseExact: true, mutability: .readOnly),
            ]
        ),
    ]

    static func multiValuedSubAttributes(types: [String], valueType: DataType = .string) -> [SCIMAttribute] {
        [
            SCIMAttribute("value", type: valueType),
            SCIMAttribute("display"),
            SCIMAttribute("type", canonicalValues: types),
            SCIMAttribute("primary", type: .boolean),
        ]
    }
}

extension SCIMSchema {
    /// The core User schema of RFC 7643 §4.1.
    public static let user = SCIMSchema(
        id: SCIMSchemaURI.user,
        name: "User",
        description: "User Account",
        attributes: [
            SCIMAttribute(
                "userName",
                description: "Unique identifier for the User, used to sign in.",
                required: true,
                uniqueness: .server
            ),
            SCIMAttribute(
                "name",
                type: .complex,
                description: "The components of the user's real name.",
                subAttributes: [
                    SCIMAttribute("formatted"),
                    SCIMAttribute("familyName"),
                    SCIMAttribute("givenName"),
                    SCIMAttribute("middleName"),
                    SCIMAttribute("honorificPrefix"),
                    SCIMAttribute("honorificSuffix"),
                ]
            ),
            SCIMAttribute("displayName"),
            SCIMAttribute("nickName"),
            SCIMAttribute("profileUrl", type: .reference, referenceTypes: ["external"]),
            SCIMAttribute("title"),
            SCIMAttribute("userType"),
            SCIMAttribute("preferredLanguage"),
            SCIMAttribute("locale"),
            SCIMAttribute("timezone"),
            SCIMAttribute("active", type: .boolean),
            SCIMAttribute("password", caseExact: true, mutability: .writeOnly, returned: .never),
            SCIMAttribute(
                "emails",
                multiValued: true,
                subAttributes: SCIMAttribute.multiValuedSubAttributes(types: ["work", "home", "other"])
            ),
            SCIMAttribute(
                "phoneNumbers",
                multiValued: true,
                subAttributes: SCIMAttribute.multiValuedSubAttributes(
                    types: ["work", "home", "mobile", "fax", "pager", "other"]
                )
            ),
            SCIMAttribute(
                "ims",
                multiValued: true,
                subAttributes: SCIMAttribute.multiValuedSubAttributes(
                    types: ["aim", "gtalk", "icq", "xmpp", "msn", "skype", "qq", "yahoo"]
                )
            ),
            SCIMAttribute(
                "photos",
                multiValued: true,
                subAttributes: SCIMAttribute.multiValuedSubAttributes(
                    types: ["photo", "thumbnail"],
                    valueType: .reference
                )
            ),
            SCIMAttribute(
                "addresses",
                type: .complex,
                multiValued: true,
                subAttributes: [
                    SCIMAttribute("formatted"),
                    SCIMAttribute("streetAddress"),
                    SCIMAttribute("locality"),
                    SCIMAttribute("region"),
                    SCIMAttribute("postalCode"),
                    SCIMAttribute("country"),
                    SCIMAttribute("type", canonicalValues: ["work", "home", "other"]),
                    SCIMAttribute("primary", type: .boolean),
                ]
            ),
            SCIMAttribute(
                "groups",
                type: .complex,
                multiValued: true,
                mutability: .readOnly,
                subAttributes: [
                    SCIMAttribute("value", mutability: .readOnly),
                    SCIMAttribute("$ref", type: .reference, mutability: .readOnly, referenceTypes: ["User", "Group"]),
                    SCIMAttribute("display", mutability: .readOnly),
                    SCIMAttribute("type", mutability: .readOnly, canonicalValues: ["direct", "indirect"]),
                ]
            ),
            SCIMAttribute(
                "entitlements",
                type: .complex,
                multiValued: true,
                subAttributes: SCIMAttribute.multiValuedSubAttributes(types: [])
            ),
            SCIMAttribute(
                "roles",
                type: .complex,
                multiValued: true,
                subAttributes: SCIMAttribute.multiValuedSubAttributes(types: [])
            ),
            SCIMAttribute(
                "x509Certificates",
                type: .complex,
                multiValued: true,
                subAttributes: SCIMAttribute.multiValuedSubAttributes(types: [], valueType: .binary)
            ),
        ].map { attribute in
            var attribute = attribute
            if attribute.multiValued && attribute.subAttributes.isEmpty == false { attribute.type = .complex }
            return attribute
        }
    )

    /// The Enterprise User extension of RFC 7643 §4.3.
    public static let enterpriseUser = SCIMSchema(
        id: SCIMSchemaURI.enterpriseUser,
        name: "EnterpriseUser",
        description: "Enterprise User",
        attributes: [
            SCIMAttribute("employeeNumber"),
            SCIMAttribute("costCenter"),
            SCIMAttribute("organization"),
            SCIMAttribute("division"),
            SCIMAttribute("department"),
            SCIMAttribute(
                "manager",
                type: .complex,
                subAttributes: [
                    SCIMAttribute("value"),
                    SCIMAttribute("$ref", type: .reference, referenceTypes: ["User"]),
                    // RFC 7643 §4.3 makes it read-only (the server would look it up); identity providers
                    // (Okta's `manager`) send it, and the gateway stores what they send.
                    SCIMAttribute("displayName"),
                ]
            ),
        ]
    )

    /// The core Group schema of RFC 7643 §4.2.
    public static let group = SCIMSchema(
        id: SCIMSchemaURI.group,
        name: "Group",
        description: "Group",
        attributes: [
            SCIMAttribute("displayName", description: "A human-readable name for the Group.", required: true),
            SCIMAttribute(
                "members",
                type: .complex,
                multiValued: true,
                description: "A list of members of the Group.",
                subAttributes: [
                    SCIMAttribute("value", mutability: .immutable),
                    SCIMAttribute("$ref", type: .reference, mutability: .immutable, referenceTypes: ["User", "Group"]),
                    SCIMAttribute("display", mutability: .readOnly),
                    SCIMAttribute("type", mutability: .immutable, canonicalValues: ["User", "Group"]),
                ]
            ),
        ]
    )
}

extension SCIMResourceType {
    /// Users with the Enterprise User extension.
    public static let user = SCIMResourceType(
        name: "User",
        endpoint: "/Users",
        description: "User Account",
        schema: .user,
        extensions: [Extension(schema: .enterpriseUser, required: false)]
    )

    /// Groups.
    public static let group = SCIMResourceType(
        name: "Group",
        endpoint: "/Groups",
        description: "Group",
        schema: .group,
        extensions: []
    )
}
