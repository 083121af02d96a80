import Testing

@testable import SCIM

@Suite struct PatchPathTests {
    @Test func everyPathForm() throws {
        #expect(try PatchPath.parse("displayName") == PatchPath(attribute: AttributePath(name: "displayName")))
        #expect(
            try PatchPath.parse("name.givenName")
                == PatchPath(attribute: AttributePath(name: "name", subAttribute: "givenName"))
        )
        #expect(
            try PatchPath.parse(#"members[value eq "2819c223"]"#)
                == PatchPath(
                    attribute: AttributePath(name: "members"),
                    valueFilter: .comparison(AttributePath(name: "value"), .eq, .string("2819c223"))
                )
        )
        #expect(
            try PatchPath.parse(#"emails[type eq "work"].value"#)
                == PatchPath(
                    attribute: AttributePath(name: "emails"),
                    valueFilter: .comparison(AttributePath(name: "type"), .eq, .string("work")),
                    subAttribute: "value"
                )
        )
        #expect(
            try PatchPath.parse(#"addresses[type eq "work" and primary eq true].streetAddress"#).subAttribute
                == "streetAddress"
        )
        #expect(
            try PatchPath.parse("urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager")
                == PatchPath(attribute: AttributePath(schema: SCIMSchemaURI.enterpriseUser, name: "manager"))
        )
        #expect(
            try PatchPath.parse("urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value").attribute
                == AttributePath(schema: SCIMSchemaURI.enterpriseUser, name: "manager", subAttribute: "value")
        )
        #expect(
            try PatchPath.parse(#"members[value eq "a]b"]"#).valueFilter
                == .comparison(AttributePath(name: "value"), .eq, .string("a]b"))
        )
    }

    @Test func canonicalTextReparses() throws {
        for text in [
            "displayName", "name.givenName", #"members[value eq "x"]"#, #"emails[type eq "work"].value"#,
            #"emails[type eq "work" or not (primary eq true)].display"#,
        ] {
            let path = try PatchPath.parse(text)
            #expect(try PatchPath.parse(path.description) == path, "\(text)")
        }
        #expect(try PatchPath.parse(#"EMAILS[TYPE EQ "work"].VALUE"#).description == #"EMAILS[TYPE eq "work"].VALUE"#)
    }

    @Test(arguments: [
        ("", "offset 0"),
        ("1abc", "offset 0"),
        (#"emails[type eq "work""#, "no ']' closes the '[' at offset 6"),
        (#"emails[type eq "work"]x"#, "offset 22: expected '.'"),
        (#"emails[type eq "work"].a.b"#, "offset 23: expected a sub-attribute name"),
        (#"emails[type eq "work"]."#, "offset 23"),
        ("emails[]", "expected an attribute path"),
        (#"emails[type eq]"#, "expected a value"),
        (#"name.givenName[value pr]"#, "a value filter applies to an attribute"),
    ])
    func invalidPaths(text: String, fragment: String) {
        let error = capturedSCIMError { _ = try PatchPath.parse(text) }
        #expect(error?.scimType == .invalidPath)
        #expect(error?.detail.contains(fragment) == true, "\(text): \(error?.detail ?? "no error")")
    }
}

@Suite struct PatchRequestTests {
    private func decode(_ text: String) throws -> PatchRequest {
        try PatchRequest.decode(fixtureJSONValue(text))
    }

    @Test func decodesEveryOperation() throws {
        let request = try decode(
            """
            {"schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
             "Operations": [
               {"op": "Add", "path": "members", "value": [{"value": "1"}]},
               {"op": "REPLACE", "value": {"active": false}},
               {"op": "remove", "path": "members[value eq \\"1\\"]"},
               {"op": "replace", "path": "", "value": {"title": "x"}}]}
            """
        )
        #expect(request.operations.map(\.op) == [.add, .replace, .remove, .replace])
        #expect(request.operations[0].path == PatchPath(attribute: AttributePath(name: "members")))
        #expect(request.operations[1].path == nil)
        #expect(request.operations[2].path?.valueFilter != nil)
        #expect(request.operations[3].path == nil)
    }

    @Test func keysAreCaseInsensitive() throws {
        let request = try decode(
            """
            {"SCHEMAS": ["URN:ietf:params:scim:api:messages:2.0:patchop"],
             "operations": [{"OP": "Replace", "PATH": "title", "VALUE": "Boss"}]}
            """
        )
        #expect(
            request.operations == [
                PatchOperation(op: .replace, path: try PatchPath.parse("title"), value: .string("Boss"))
            ]
        )
    }

    @Test(arguments: [
        ("[]", SCIMError.SCIMType.invalidSyntax, "must be a JSON object"),
        (#"{"Operations": []}"#, .invalidSyntax, "'schemas' must list"),
        (
            #"{"schemas": ["urn:ietf:params:scim:api:messages:2.0:ListResponse"], "Operations": []}"#, .invalidSyntax,
            "'schemas' must list"
        ),
        (#"{"schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"]}"#, .invalidSyntax, "no 'Operations'"),
        (
            #"{"schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"], "Operations": {}}"#, .invalidSyntax,
            "must be an array"
        ),
        (
            #"{"schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"], "Operations": []}"#, .invalidValue,
            "is empty"
        ),
        (
            #"{"schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"], "Operations": [1]}"#, .invalidSyntax,
            "Operation 1 must be"
        ),
        (
            #"{"schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"], "Operations": [{"path": "a"}]}"#,
            .invalidSyntax, "no 'op'"
        ),
        (
            #"{"schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"], "Operations": [{"op": 1}]}"#,
            .invalidSyntax, "'op' must be a string"
        ),
        (
            #"{"schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"], "Operations": [{"op": "move", "path": "a"}]}"#,
            .invalidValue, "'op' is 'move'"
        ),
        (
            #"{"schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"], "Operations": [{"op": "add", "path": 3, "value": 1}]}"#,
            .invalidSyntax, "'path' must be a string"
        ),
        (
            #"{"schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"], "Operations": [{"op": "add", "path": "a..b", "value": 1}]}"#,
            .invalidPath, "Operation 1: Invalid path 'a..b'"
        ),
        (
            #"{"schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"], "Operations": [{"op": "remove"}]}"#,
            .noTarget, "needs a 'path'"
        ),
        (
            #"{"schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"], "Operations": [{"op": "add", "path": "title"}]}"#,
            .invalidValue, "needs a 'value'"
        ),
        (
            #"{"schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"], "Operations": [{"op": "replace", "value": "x"}]}"#,
            .invalidValue, "JSON object of attributes"
        ),
    ])
    func malformedBodies(text: String, type: SCIMError.SCIMType, fragment: String) {
        let error = capturedSCIMError { _ = try decode(text) }
        #expect(error?.status == 400)
        #expect(error?.scimType == type, "\(text)")
        #expect(error?.detail.contains(fragment) == true, "\(text): \(error?.detail ?? "no error")")
    }
}
