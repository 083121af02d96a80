import Testing

@testable import SCIM

@Suite struct ProjectionTests {
    private let user: JSONObject

    init() throws {
        user = try testJSONObject(
            """
            {"schemas": ["urn:ietf:params:scim:schemas:core:2.0:User",
                         "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"],
             "id": "1", "externalId": "e1", "userName": "ann", "name": {"givenName": "Ann", "familyName": "Lee"},
             "emails": [{"value": "a@x.org", "type": "work"}, {"value": "b@x.org", "type": "home"}],
             "password": "secret",
             "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User": {"department": "Math", "costCenter": "9"},
             "meta": {"resourceType": "User", "location": "http://h/Users/1", "version": "W/\\"1\\""}}
            """
        )
    }

    private func project(_ attributes: [String] = [], excluded: [String] = []) throws -> JSONObject {
        try AttributeProjection(attributes: attributes, excludedAttributes: excluded, resourceType: .user).apply(
            to: user
        )
    }

    @Test func defaultSetDropsOnlyNever() throws {
        let result = try project()
        #expect(result["password"] == nil)
        var expected = user
        expected["password"] = nil
        #expect(result == expected)
        #expect(result.keys == expected.keys)
    }

    @Test func attributesKeepsOnlyNamedAndAlways() throws {
        let result = try project(["userName"])
        #expect(result.keys == ["schemas", "id", "userName"])
        #expect(result["schemas"] == .array([.string(SCIMSchemaURI.user)]))
    }

    @Test func namesAreCaseInsensitive() throws {
        #expect(try project(["USERNAME", "Name.GivenName"]).keys == ["schemas", "id", "userName", "name"])
        #expect(try project(["USERNAME", "Name.GivenName"])["name"] == .object(["givenName": .string("Ann")]))
    }

    @Test func subAttributesOfMultiValuedAttributes() throws {
        let result = try project(["emails.value"])
        #expect(
            result["emails"]
                == .array([.object(["value": .string("a@x.org")]), .object(["value": .string("b@x.org")])])
        )
    }

    @Test func subAttributeAndWholeMerge() throws {
        #expect(try project(["name.givenName", "name"])["name"] == user["name"])
    }

    @Test func urnQualifiedNames() throws {
        let core = try project(["urn:ietf:params:scim:schemas:core:2.0:User:name.familyName"])
        #expect(core["name"] == .object(["familyName": .string("Lee")]))
        let enterprise = try project(["urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department"])
        #expect(enterprise[SCIMSchemaURI.enterpriseUser] == .object(["department": .string("Math")]))
        #expect(enterprise["schemas"]?.arrayValue?.count == 2)
        let whole = try project([SCIMSchemaURI.enterpriseUser.uppercased()])
        #expect(whole[SCIMSchemaURI.enterpriseUser] == user[SCIMSchemaURI.enterpriseUser])
    }

    @Test func unqualifiedExtensionAttribute() throws {
        #expect(try project(["costCenter"])[SCIMSchemaURI.enterpriseUser] == .object(["costCenter": .string("9")]))
    }

    @Test func excludedAttributes() throws {
        let result = try project(excluded: ["emails", "name.givenName", "meta", "id", "schemas"])
        #expect(result["emails"] == nil)
        #expect(result["meta"] == nil)
        #expect(result["name"] == .object(["familyName": .string("Lee")]))
        #expect(result["id"] == .string("1"))
        #expect(result["schemas"] != nil)
        #expect(result["userName"] == .string("ann"))
    }

    @Test func excludingAWholeExtensionDropsItsSchema() throws {
        let result = try project(excluded: [SCIMSchemaURI.enterpriseUser])
        #expect(result[SCIMSchemaURI.enterpriseUser] == nil)
        #expect(result["schemas"] == .array([.string(SCIMSchemaURI.user)]))
    }

    @Test func excludingEveryExtensionAttributeDropsTheExtension() throws {
        let result = try project(excluded: ["\(SCIMSchemaURI.enterpriseUser):department", "costCenter"])
        #expect(result[SCIMSchemaURI.enterpriseUser] == nil)
    }

    @Test func metaSubAttributes() throws {
        #expect(try project(["meta.location"])["meta"] == .object(["location": .string("http://h/Users/1")]))
        #expect(try project(excluded: ["meta.version"])["meta"]?.objectValue?.keys == ["resourceType", "location"])
    }

    @Test func neverIsNeverReturnedEvenWhenAsked() throws {
        #expect(try project(["password"])["password"] == nil)
        #expect(try project(["password"]).keys == ["schemas", "id"])
    }

    @Test func requestOnlyWhenAsked() throws {
        var type = SCIMResourceType.user
        type.schema.attributes.append(SCIMAttribute("secretQuestion", returned: .request))
        var resource = user
        resource["secretQuestion"] = .string("pet")
        let plain = try AttributeProjection(attributes: [], excludedAttributes: [], resourceType: type)
        #expect(plain.apply(to: resource)["secretQuestion"] == nil)
        let asked = try AttributeProjection(attributes: ["secretquestion"], excludedAttributes: [], resourceType: type)
        #expect(asked.apply(to: resource)["secretQuestion"] == .string("pet"))
    }

    @Test func alwaysSurvivesAttributesAndExclusion() throws {
        var type = SCIMResourceType.user
        if let index = type.schema.attributes.firstIndex(where: { $0.name == "userName" }) {
            type.schema.attributes[index].returned = .always
        }
        let projection = try AttributeProjection(
            attributes: ["displayName"],
            excludedAttributes: ["userName"],
            resourceType: type
        )
        #expect(projection.apply(to: user).keys == ["schemas", "id", "userName"])
    }

    @Test func unknownNamesAreIgnored() throws {
        #expect(try project(excluded: ["bogus", "name.bogus", "urn:example:unknown:attr"]) == project())
        #expect(try project(["bogus"]).keys == ["schemas", "id"])
    }

    @Test(arguments: ["emails[type eq \"work\"]", "a b", "name.givenName.x", "name..x", "\"userName\""])
    func malformedNamesAreRejected(name: String) {
        let error = thrownSCIMError {
            _ = try AttributeProjection(attributes: [name], excludedAttributes: [], resourceType: .user)
        }
        #expect(error?.scimType == .invalidValue)
    }

    @Test func groupsExcludingMembers() throws {
        let group = try testJSONObject(
            #"{"schemas": ["urn:ietf:params:scim:schemas:core:2.0:Group"], "id": "g", "displayName": "G", "members": [{"value": "1"}]}"#
        )
        let projection = try AttributeProjection(attributes: [], excludedAttributes: ["members"], resourceType: .group)
        #expect(projection.apply(to: group).keys == ["schemas", "id", "displayName"])
    }

    @Test func parseList() {
        #expect(
            AttributeProjection.parseList(" userName , name.givenName,,emails ") == [
                "userName", "name.givenName", "emails",
            ]
        )
        #expect(AttributeProjection.parseList("") == [])
        #expect(AttributeProjection.parseList(" , ") == [])
    }
}
