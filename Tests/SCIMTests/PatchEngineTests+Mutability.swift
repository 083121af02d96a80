import Testing

@testable import SCIM

@Suite struct PatchEngineExtensionTests {
    private let enterprise = SCIMSchemaURI.enterpriseUser

    @Test func extensionAttributes() {
        expectPatch(
            #"[{"op": "add", "path": "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber", "value": "7"}]"#,
            on: #"{"userName": "a"}"#,
            gives:
                #"{"userName": "a", "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User": {"employeeNumber": "7"}}"#
        )
        expectPatch(
            #"[{"op": "replace", "path": "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value", "value": "m2"}]"#,
            on:
                #"{"userName": "a", "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User": {"manager": {"value": "m1"}}}"#,
            gives:
                #"{"userName": "a", "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User": {"manager": {"value": "m2"}}}"#
        )
        expectPatch(
            #"[{"op": "remove", "path": "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager"}]"#,
            on:
                #"{"userName": "a", "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User": {"manager": {"value": "m1"}}}"#,
            gives: #"{"userName": "a"}"#
        )
    }

    @Test func wholeExtensionAndNestedPathlessValues() {
        expectPatch(
            #"[{"op": "replace", "path": "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User", "value": {"Division": "North", "costCenter": "4"}}]"#,
            on:
                #"{"userName": "a", "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User": {"division": "South", "department": "X"}}"#,
            gives:
                #"{"userName": "a", "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User": {"division": "North", "department": "X", "costCenter": "4"}}"#
        )
        expectPatch(
            #"[{"op": "remove", "path": "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"}]"#,
            on:
                #"{"userName": "a", "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User": {"division": "South"}}"#,
            gives: #"{"userName": "a"}"#
        )
        expectPatch(
            #"[{"op": "add", "value": {"URN:IETF:PARAMS:SCIM:SCHEMAS:EXTENSION:ENTERPRISE:2.0:USER": {"manager": "m9", "organization": "Uni"}}}]"#,
            on: #"{"userName": "a"}"#,
            gives:
                #"{"userName": "a", "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User": {"manager": {"value": "m9"}, "organization": "Uni"}}"#
        )
        expectPatch(
            #"[{"op": "replace", "value": {"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value": "m3"}}]"#,
            on: #"{"userName": "a"}"#,
            gives:
                #"{"userName": "a", "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User": {"manager": {"value": "m3"}}}"#
        )
    }
}

@Suite struct PatchEngineMutabilityTests {
    @Test func readOnlyAttributes() {
        expectError(
            #"[{"op": "replace", "path": "id", "value": "u2"}]"#,
            on: patchTestUser,
            .mutability,
            "'id' is read-only"
        )
        expectError(#"[{"op": "replace", "value": {"id": "u2"}}]"#, on: patchTestUser, .mutability, "'id' is read-only")
        expectError(#"[{"op": "remove", "path": "id"}]"#, on: patchTestUser, .mutability, "read-only")
        expectError(
            #"[{"op": "replace", "path": "meta.lastModified", "value": "2020-01-01T00:00:00Z"}]"#,
            on: #"{"userName": "a", "meta": {"lastModified": "2019-01-01T00:00:00Z"}}"#,
            .mutability,
            "'meta.lastModified' is read-only"
        )
        expectError(
            #"[{"op": "add", "path": "groups", "value": [{"value": "g1"}]}]"#,
            on: patchTestUser,
            .mutability,
            "'groups' is read-only"
        )
        expectPatch(
            #"[{"op": "replace", "value": {"id": "u1", "title": "x"}}]"#,
            on: patchTestUser,
            gives:
                #"{"id": "u1", "userName": "ann", "name": {"givenName": "Ann", "familyName": "Lee"}, "title": "x"}"#
        )
        expectPatch(
            #"[{"op": "replace", "value": {"id": "whatever", "title": "x"}}]"#,
            on: #"{"userName": "a"}"#,
            gives: #"{"userName": "a", "title": "x"}"#
        )
    }

    @Test func requiredAttributesCannotBeRemoved() {
        expectError(
            #"[{"op": "remove", "path": "userName"}]"#,
            on: patchTestUser,
            .mutability,
            "required attribute 'userName'"
        )
        expectError(
            #"[{"op": "replace", "path": "userName", "value": null}]"#,
            on: patchTestUser,
            .mutability,
            "required"
        )
        expectError(
            #"[{"op": "remove", "path": "displayName"}]"#,
            on: #"{"displayName": "G"}"#,
            .mutability,
            "required",
            resourceType: .group
        )
    }

    @Test func immutableAttributesAreSettableOnlyWhenUnassigned() throws {
        let badge = SCIMSchema(
            id: "urn:example:params:scim:schemas:extension:school:2.0:User",
            name: "School",
            description: "",
            attributes: [SCIMAttribute("badge", mutability: .immutable), SCIMAttribute("level", type: .integer)]
        )
        let schemas = [SCIMSchema.user, badge]
        let path = "urn:example:params:scim:schemas:extension:school:2.0:User:badge"
        let added = try applyPatch(
            #"[{"op": "add", "path": "\#(path)", "value": "B1"}]"#,
            on: #"{"userName": "a"}"#,
            schemas: schemas
        )
        #expect(
            added
                == fixtureObject(
                    #"{"userName": "a", "urn:example:params:scim:schemas:extension:school:2.0:User": {"badge": "B1"}}"#
                )
        )
        let body = #"{"userName": "a", "urn:example:params:scim:schemas:extension:school:2.0:User": {"badge": "B1"}}"#
        expectError(
            #"[{"op": "replace", "path": "\#(path)", "value": "B2"}]"#,
            on: body,
            .mutability,
            "immutable",
            schemas: schemas
        )
        expectError(#"[{"op": "remove", "path": "\#(path)"}]"#, on: body, .mutability, "immutable", schemas: schemas)
        #expect(
            try applyPatch(#"[{"op": "replace", "path": "\#(path)", "value": "B1"}]"#, on: body, schemas: schemas)
                == fixtureObject(body)
        )
        expectError(
            #"[{"op": "replace", "path": "members[value eq \"a\"].value", "value": "b"}]"#,
            on: #"{"displayName": "G", "members": [{"value": "a"}]}"#,
            .mutability,
            #"'members[value eq "a"].value' is immutable"#,
            resourceType: .group
        )
        expectError(
            #"[{"op": "add", "path": "urn:example:params:scim:schemas:extension:school:2.0:User:level", "value": "high"}]"#,
            on: body,
            .invalidValue,
            "must be an integer",
            schemas: schemas
        )
    }
}

@Suite struct PatchEnginePathErrorTests {
    @Test func unknownAttributesAreInvalidPath() {
        expectError(
            #"[{"op": "add", "path": "badge", "value": "x"}]"#,
            on: patchTestUser,
            .invalidPath,
            "unknown attribute 'badge'"
        )
        expectError(
            #"[{"op": "add", "path": "name.nick", "value": "x"}]"#,
            on: patchTestUser,
            .invalidPath,
            "unknown attribute 'name.nick'"
        )
        expectError(
            #"[{"op": "add", "path": "urn:example:x:1.0:User:y", "value": "x"}]"#,
            on: patchTestUser,
            .invalidPath,
            "unknown attribute"
        )
        expectError(
            #"[{"op": "remove", "path": "emails[kind eq \"x\"]"}]"#,
            on: patchTestUser,
            .invalidPath,
            "'emails.kind'"
        )
        expectError(
            #"[{"op": "remove", "path": "emails[type eq \"x\"].nope"}]"#,
            on: patchTestUser,
            .invalidPath,
            "'emails.nope'"
        )
        expectError(
            #"[{"op": "remove", "path": "name[givenName eq \"x\"]"}]"#,
            on: patchTestUser,
            .invalidPath,
            "single-valued"
        )
        expectError(
            #"[{"op": "replace", "path": "title", "value": "x"}]"#,
            on: patchTestUser,
            .invalidPath,
            "unknown attribute 'title'",
            schemas: [
                SCIMSchema(
                    id: SCIMSchemaURI.user,
                    name: "User",
                    description: "",
                    attributes: [SCIMSchema.user.attributes[0]]
                )
            ]
        )
    }

    @Test func detailsNameTheOperation() {
        expectError(
            #"[{"op": "add", "path": "title", "value": "x"}, {"op": "Add", "path": "badge", "value": "x"}]"#,
            on: patchTestUser,
            .invalidPath,
            "Operation 2 (add badge)"
        )
    }

    @Test func aFailingOperationLeavesNothingHalfApplied() throws {
        let engine = PatchEngine(resourceType: .user)
        let request = PatchRequest(operations: [
            PatchOperation(op: .replace, path: try PatchPath.parse("title"), value: .string("x")),
            PatchOperation(op: .remove, path: try PatchPath.parse("userName")),
        ])
        let original = fixtureObject(patchTestUser)
        #expect(capturedSCIMError { _ = try engine.apply(request, to: original) }?.scimType == .mutability)
        #expect(original == fixtureObject(patchTestUser))
    }
}
