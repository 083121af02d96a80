import Testing

@testable import SCIM

private func normalize(
    _ body: String,
    type: SCIMResourceType = .user,
    schemas: [SCIMSchema]? = nil
) throws
    -> (attributes: JSONObject, dropped: [String])
{
    try ResourceNormalizer(resourceType: type, schemas: schemas).normalizeReportingDropped(fixtureJSONValue(body))
}

@Suite struct NormalizerTests {
    @Test func bodyMustBeAnObject() {
        for body in ["[]", "\"x\"", "null", "3"] {
            let error = capturedSCIMError {
                _ = try ResourceNormalizer(resourceType: .user).normalize(fixtureJSONValue(body))
            }
            #expect(error?.scimType == .invalidSyntax)
        }
    }

    @Test func canonicalNamesAndExtensionKeys() throws {
        let (attributes, dropped) = try normalize(
            #"""
            {"schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"], "UserName": "ann", "NAME": {"GivenName": "Ann"},
             "Emails": [{"VALUE": "a@x", "Type": "work", "Primary": "True"}], "Active": "False",
             "URN:ietf:params:scim:schemas:extension:enterprise:2.0:user": {"EmployeeNumber": "7", "manager": "m1"},
             "password": "s3cret!"}
            """#
        )
        #expect(dropped.isEmpty)
        #expect(
            attributes
                == fixtureObject(
                    #"""
                    {"userName": "ann", "name": {"givenName": "Ann"}, "emails": [{"value": "a@x", "type": "work", "primary": true}],
                     "active": false,
                     "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User": {"employeeNumber": "7", "manager": {"value": "m1"}},
                     "password": "s3cret!"}
                    """#
                )
        )
        #expect(attributes.keys == ["userName", "name", "emails", "active", SCIMSchemaURI.enterpriseUser, "password"])
    }

    @Test func qualifiedAndDottedKeys() throws {
        let (attributes, _) = try normalize(
            #"""
            {"urn:ietf:params:scim:schemas:core:2.0:User:userName": "ann", "name.familyName": "Lee", "name": {"givenName": "Ann"},
             "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department": "Math"}
            """#
        )
        #expect(
            attributes
                == fixtureObject(
                    #"""
                    {"userName": "ann", "name": {"familyName": "Lee", "givenName": "Ann"},
                     "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User": {"department": "Math"}}
                    """#
                )
        )
    }

    /// `manager.displayName` is read-only in RFC 7643 but identity providers send it (Okta), so it is kept.
    @Test func readOnlyAttributesAreIgnored() throws {
        let (attributes, dropped) = try normalize(
            #"""
            {"id": "x", "meta": {"version": "1"}, "userName": "ann", "groups": [{"value": "g"}],
             "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User": {"manager": {"value": "m", "displayName": "Boss"}}}
            """#
        )
        #expect(dropped.isEmpty)
        #expect(
            attributes
                == fixtureObject(
                    #"{"userName": "ann", "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User": {"manager": {"value": "m", "displayName": "Boss"}}}"#
                )
        )
        let group = try normalize(
            #"{"displayName": "G", "members": [{"value": "u1", "display": "Ann", "$ref": null}]}"#,
            type: .group
        )
        #expect(group.attributes == fixtureObject(#"{"displayName": "G", "members": [{"value": "u1"}]}"#))
    }

    @Test func unknownAttributesAreDroppedAndReported() throws {
        let (attributes, dropped) = try normalize(
            #"""
            {"userName": "ann", "badge": 3, "emails": [{"value": "a@x", "label": "L"}],
             "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User": {"shoeSize": 44},
             "http://schemas.microsoft.com/2006/11/ResourceManagement/ADSCIM/2.0/Group": {"x": 1}, "bad key": 1}
            """#
        )
        #expect(attributes == fixtureObject(#"{"userName": "ann", "emails": [{"value": "a@x"}]}"#))
        #expect(
            dropped == [
                "badge", "emails.label", "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:shoeSize",
                "http://schemas.microsoft.com/2006/11/ResourceManagement/ADSCIM/2.0/Group", "bad key",
            ]
        )
    }

    @Test func attributesTheTenantDoesNotStoreAreDropped() throws {
        let stored = [
            SCIMSchema(
                id: SCIMSchemaURI.user,
                name: "User",
                description: "",
                attributes: [SCIMSchema.user.attributes[0]]
            )
        ]
        let (attributes, dropped) = try normalize(
            #"{"userName": "a", "title": "x", "externalId": "e1", "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User": {"division": "d"}}"#,
            schemas: stored
        )
        #expect(attributes == fixtureObject(#"{"userName": "a", "externalId": "e1"}"#))
        #expect(dropped == ["title", "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"])
    }

    @Test func unassignedValuesAreLeftOut() throws {
        let (attributes, _) = try normalize(
            #"{"userName": "a", "title": null, "emails": [], "name": {}, "phoneNumbers": [null]}"#
        )
        #expect(attributes == fixtureObject(#"{"userName": "a"}"#))
    }

    @Test(arguments: [
        (#"{"userName": 5}"#, "'userName' must be a string"),
        (#"{"userName": "a", "active": "yes"}"#, "'active' must be a boolean"),
        (#"{"userName": "a", "name": "Ann"}"#, "'name' must be a JSON object"),
        (#"{"userName": "a", "emails": [5]}"#, "'emails' must be a JSON object"),
        (#"{"userName": "a", "emails": [{"primary": 1}]}"#, "'emails.primary' must be a boolean"),
        (
            #"{"userName": "a", "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User": "x"}"#,
            "must be a JSON object of its attributes"
        ),
        (#"{"displayName": "a"}"#, "required attribute 'userName' is missing"),
        (#"{"userName": null}"#, "required attribute 'userName' is missing"),
    ])
    func invalidValues(body: String, fragment: String) {
        let error = capturedSCIMError { _ = try normalize(body) }
        #expect(error?.scimType == .invalidValue)
        #expect(error?.detail.contains(fragment) == true, "\(error?.detail ?? "no error")")
    }

    @Test func groupsRequireDisplayName() {
        let error = capturedSCIMError { _ = try normalize(#"{"members": []}"#, type: .group) }
        #expect(error?.detail.contains("required attribute 'displayName'") == true)
    }

    @Test func coercionOfEveryType() throws {
        let normalizer = ResourceNormalizer(resourceType: .user)
        #expect(try normalizer.coerce(.integer(3), for: SCIMAttribute("n", type: .integer), path: "n") == .integer(3))
        #expect(try normalizer.coerce(.decimal(3), for: SCIMAttribute("n", type: .integer), path: "n") == .integer(3))
        #expect(
            capturedSCIMError {
                _ = try normalizer.coerce(.decimal(3.5), for: SCIMAttribute("n", type: .integer), path: "n")
            }?
            .scimType == .invalidValue
        )
        #expect(try normalizer.coerce(.integer(3), for: SCIMAttribute("d", type: .decimal), path: "d") == .decimal(3))
        #expect(
            capturedSCIMError {
                _ = try normalizer.coerce(.string("3"), for: SCIMAttribute("d", type: .decimal), path: "d")
            }?
            .detail.contains("'d' must be a number") == true
        )
        #expect(
            try normalizer.coerce(.string("2024-01-31T12:00:00Z"), for: SCIMAttribute("t", type: .dateTime), path: "t")
                == .string("2024-01-31T12:00:00Z")
        )
        #expect(
            capturedSCIMError {
                _ = try normalizer.coerce(.string("31/01/2024"), for: SCIMAttribute("t", type: .dateTime), path: "t")
            }?.detail.contains("'t' must be a dateTime") == true
        )
        #expect(
            try normalizer.coerce(.string("aGk="), for: SCIMAttribute("b", type: .binary), path: "b") == .string("aGk=")
        )
        #expect(
            try normalizer.coerce(.string("x"), for: SCIMAttribute("tags", multiValued: true), path: "tags")
                == .array([.string("x")])
        )
        #expect(try normalizer.coerce(.null, for: SCIMAttribute("b", type: .boolean), path: "b") == .null)
        let roles = SCIMSchema.user.attribute(named: "roles")
        #expect(roles != nil)
        if let roles {
            #expect(
                try normalizer.coerce(.string(#"[{"value":"A"},{"value":"B"}]"#), for: roles, path: "roles")
                    == .array([.object(["value": .string("A")]), .object(["value": .string("B")])])
            )
            #expect(
                try normalizer.coerce(.string("{not json"), for: roles, path: "roles")
                    == .array([.object(["value": .string("{not json")])])
            )
        }
    }
}
