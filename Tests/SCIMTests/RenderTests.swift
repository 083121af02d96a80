import Foundation
import Testing

@testable import SCIM

@Suite struct RenderTests {
    private let renderer = ResourceRenderer(resourceType: .user, baseURL: "https://sso.example.org/scim/v2/")

    private func record(_ attributes: String, created: Date? = nil, lastModified: Date? = nil) throws -> ResourceRecord
    {
        ResourceRecord(
            id: "42",
            version: "7",
            created: created,
            lastModified: lastModified,
            attributes: try testJSONObject(attributes)
        )
    }

    @Test func canonicalOrderAndSchemas() throws {
        let stored = try record(
            """
            {"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User": {"department": "Math", "employeeNumber": "7"},
             "active": true, "emails": [{"primary": true, "value": "a@x.org", "type": "work"}],
             "USERNAME": "ann", "externalId": "ext-1", "name": {"givenName": "Ann", "familyName": "Lee"},
             "password": "secret"}
            """
        )
        let rendered = renderer.render(stored)
        #expect(
            rendered.keys == [
                "schemas", "id", "externalId", "userName", "name", "active", "emails",
                SCIMSchemaURI.enterpriseUser, "meta",
            ]
        )
        #expect(rendered["schemas"] == .array([.string(SCIMSchemaURI.user), .string(SCIMSchemaURI.enterpriseUser)]))
        #expect(rendered["id"] == .string("42"))
        #expect(rendered["userName"] == .string("ann"))
        #expect(rendered["name"]?.objectValue?.keys == ["familyName", "givenName"])
        #expect(rendered["emails"]?.arrayValue?.first?.objectValue?.keys == ["value", "type", "primary"])
        #expect(rendered[SCIMSchemaURI.enterpriseUser]?.objectValue?.keys == ["employeeNumber", "department"])
        #expect(rendered["password"] == nil)
        #expect(!rendered.jsonString.contains("secret"))
    }

    @Test func extensionAbsentMeansCoreSchemaOnly() throws {
        let rendered = renderer.render(try record(#"{"userName": "bob", "nickName": null}"#))
        #expect(rendered["schemas"] == .array([.string(SCIMSchemaURI.user)]))
        #expect(rendered["nickName"] == nil)
        #expect(rendered["externalId"] == nil)
    }

    @Test func meta() throws {
        let created = Date(timeIntervalSince1970: 1_700_000_000)
        let modified = Date(timeIntervalSince1970: 1_700_000_000.25)
        let rendered = renderer.render(try record(#"{"userName": "c"}"#, created: created, lastModified: modified))
        let meta = try #require(rendered["meta"]?.objectValue)
        #expect(meta["resourceType"] == .string("User"))
        #expect(meta["created"] == .string("2023-11-14T22:13:20Z"))
        #expect(meta["lastModified"] == .string("2023-11-14T22:13:20.25Z"))
        #expect(meta["location"] == .string("https://sso.example.org/scim/v2/Users/42"))
        #expect(meta["version"] == .string("W/\"7\""))
    }

    @Test func locationEncodesTheId() {
        #expect(renderer.location(of: "a b/c") == "https://sso.example.org/scim/v2/Users/a%20b%2Fc")
        let groups = ResourceRenderer(resourceType: .group, baseURL: "http://h/scim/v2")
        #expect(groups.location(of: "g-1") == "http://h/scim/v2/Groups/g-1")
    }

    @Test func passwordIsDroppedEvenWhenTheSchemaDoesNotDefineIt() throws {
        var restricted = SCIMResourceType.user
        restricted.schema = SCIMSchema.user.restricted(to: ["userName"])
        let rendered = ResourceRenderer(resourceType: restricted, baseURL: "http://h").render(
            try record(#"{"userName": "d", "password": "p", "custom": 1}"#)
        )
        #expect(rendered["password"] == nil)
        #expect(rendered["custom"] == .integer(1))
    }

    @Test(arguments: [
        (0.0, "1970-01-01T00:00:00Z"),
        (951_782_400.0, "2000-02-29T00:00:00Z"),
        (1_709_251_199.5, "2024-02-29T23:59:59.5Z"),
        (-1.0, "1969-12-31T23:59:59Z"),
        (-0.000001, "1969-12-31T23:59:59.999999Z"),
        (4_102_444_800.123, "2100-01-01T00:00:00.123Z"),
        (-62_135_596_800.0, "0001-01-01T00:00:00Z"),
        (1e15, "9999-12-31T23:59:59.999999Z"),
    ])
    func dateTimeFormat(interval: Double, expected: String) {
        #expect(SCIMDateTime.format(Date(timeIntervalSince1970: interval)) == expected)
    }

    @Test func errorBody() {
        let body = SCIMError.uniqueness("userName ann is taken.").body
        #expect(body["schemas"] == .array([.string(SCIMSchemaURI.error)]))
        #expect(body["status"] == .string("409"))
        #expect(body["scimType"] == .string("uniqueness"))
        #expect(body["detail"] == .string("userName ann is taken."))
        let notFound = SCIMError.notFound("No such user.").body
        #expect(notFound["scimType"] == nil)
        #expect(notFound["status"] == .string("404"))
    }
}
