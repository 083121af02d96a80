import Testing

@testable import SCIM

@Suite struct DiscoveryTests {
    @Test func serviceProviderConfig() throws {
        let features = ServiceProviderFeatures(changePassword: false, documentationUri: "https://docs.example.org/scim")
        let document = DiscoveryDocuments.serviceProviderConfig(
            features,
            location: "http://h/scim/v2/ServiceProviderConfig"
        )
        #expect(document["schemas"] == .array([.string(SCIMSchemaURI.serviceProviderConfig)]))
        #expect(document["documentationUri"] == .string("https://docs.example.org/scim"))
        for key in ["patch", "bulk", "filter", "changePassword", "sort", "etag", "authenticationSchemes", "meta"] {
            #expect(document[key] != nil, "missing \(key)")
        }
        #expect(document["patch"] == .object(["supported": .bool(true)]))
        #expect(document["changePassword"] == .object(["supported": .bool(false)]))
        #expect(
            document["bulk"]
                == .object([
                    "supported": .bool(true), "maxOperations": .integer(1000), "maxPayloadSize": .integer(4_194_304),
                ])
        )
        #expect(document["filter"] == .object(["supported": .bool(true), "maxResults": .integer(1000)]))
        let scheme = try #require(document["authenticationSchemes"]?.arrayValue?.first?.objectValue)
        #expect(scheme["type"] == .string("oauthbearertoken"))
        for key in ["name", "description", "specUri", "primary"] {
            #expect(scheme[key] != nil, "scheme lacks \(key)")
        }
        #expect(
            document["meta"]
                == .object([
                    "resourceType": .string("ServiceProviderConfig"),
                    "location": .string("http://h/scim/v2/ServiceProviderConfig"),
                ])
        )
    }

    @Test func serviceProviderConfigWithoutDocumentation() {
        let document = DiscoveryDocuments.serviceProviderConfig(ServiceProviderFeatures(), location: "x")
        #expect(document["documentationUri"] == nil)
    }

    @Test func userResourceType() {
        let document = DiscoveryDocuments.resourceType(.user, location: "http://h/scim/v2/ResourceTypes/User")
        #expect(document["schemas"] == .array([.string(SCIMSchemaURI.resourceType)]))
        #expect(document["id"] == .string("User"))
        #expect(document["name"] == .string("User"))
        #expect(document["endpoint"] == .string("/Users"))
        #expect(document["schema"] == .string(SCIMSchemaURI.user))
        #expect(
            document["schemaExtensions"]
                == .array([.object(["schema": .string(SCIMSchemaURI.enterpriseUser), "required": .bool(false)])])
        )
        #expect(document["meta"]?.objectValue?["resourceType"] == .string("ResourceType"))
        #expect(document["meta"]?.objectValue?["location"] == .string("http://h/scim/v2/ResourceTypes/User"))
    }

    @Test func groupResourceTypeHasNoExtensions() {
        let document = DiscoveryDocuments.resourceType(.group, location: "x")
        #expect(document["schemaExtensions"] == nil)
        #expect(document["endpoint"] == .string("/Groups"))
    }

    @Test func userSchemaDocument() throws {
        let document = DiscoveryDocuments.schema(.user, location: "http://h/Schemas/\(SCIMSchemaURI.user)")
        #expect(document["id"] == .string(SCIMSchemaURI.user))
        #expect(document["name"] == .string("User"))
        #expect(document["meta"]?.objectValue?["resourceType"] == .string("Schema"))
        let attributes = try #require(document["attributes"]?.arrayValue?.compactMap { $0.objectValue })
        #expect(attributes.count == SCIMSchema.user.attributes.count)
        for attribute in attributes {
            for key in [
                "name", "type", "multiValued", "description", "required", "caseExact", "mutability", "returned",
                "uniqueness",
            ] {
                #expect(attribute[key] != nil, "\(attribute["name"]?.stringValue ?? "?") lacks \(key)")
            }
        }
        let userName = try #require(attributes.first { $0["name"] == .string("userName") })
        #expect(userName["required"] == .bool(true))
        #expect(userName["uniqueness"] == .string("server"))
        let password = try #require(attributes.first { $0["name"] == .string("password") })
        #expect(password["returned"] == .string("never"))
        #expect(password["mutability"] == .string("writeOnly"))
        let emails = try #require(attributes.first { $0["name"] == .string("emails") })
        #expect(emails["multiValued"] == .bool(true))
        #expect(emails["type"] == .string("complex"))
        let subAttributes = try #require(emails["subAttributes"]?.arrayValue?.compactMap { $0.objectValue })
        let type = try #require(subAttributes.first { $0["name"] == .string("type") })
        #expect(type["canonicalValues"] == .array([.string("work"), .string("home"), .string("other")]))
        let groups = try #require(attributes.first { $0["name"] == .string("groups") })
        let reference = try #require(
            groups["subAttributes"]?.arrayValue?.compactMap(\.objectValue).first { $0["name"] == .string("$ref") }
        )
        #expect(reference["referenceTypes"] == .array([.string("User"), .string("Group")]))
        #expect(reference["type"] == .string("reference"))
        let profileUrl = try #require(attributes.first { $0["name"] == .string("profileUrl") })
        #expect(profileUrl["referenceTypes"] == .array([.string("external")]))
        let displayName = try #require(attributes.first { $0["name"] == .string("displayName") })
        #expect(displayName["subAttributes"] == nil)
        #expect(displayName["canonicalValues"] == nil)
    }

    @Test func restrictedSchema() {
        let stored: Set<String> = [
            "userName", "Name.GivenName", "name.familyName", "emails", "active", "bogus", "phoneNumbers.bogus",
        ]
        let restricted = SCIMSchema.user.restricted(to: stored)
        #expect(restricted.id == SCIMSchema.user.id)
        #expect(restricted.attributes.map(\.name) == ["userName", "name", "active", "emails"])
        #expect(restricted.attribute(named: "name")?.subAttributes.map(\.name) == ["familyName", "givenName"])
        #expect(
            restricted.attribute(named: "emails")?.subAttributes
                == SCIMSchema.user.attribute(named: "emails")?.subAttributes
        )
    }

    @Test func restrictedExtensionSchemaAcceptsQualifiedPaths() {
        let restricted = SCIMSchema.enterpriseUser.restricted(to: [
            "\(SCIMSchemaURI.enterpriseUser):department", "\(SCIMSchemaURI.enterpriseUser):manager.value",
            "employeeNumber",
        ])
        #expect(restricted.attributes.map(\.name) == ["employeeNumber", "department", "manager"])
        #expect(restricted.attribute(named: "manager")?.subAttributes.map(\.name) == ["value"])
    }

    @Test func restrictedToNothing() {
        #expect(SCIMSchema.group.restricted(to: []).attributes.isEmpty)
    }
}
