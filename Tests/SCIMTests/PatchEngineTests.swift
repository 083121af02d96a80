import Testing

@testable import SCIM

private func patch(
    _ operations: String,
    on resource: String,
    type: SCIMResourceType = .user,
    schemas: [SCIMSchema]? = nil
) throws -> JSONObject {
    let body = #"{"schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"], "Operations": "# + operations + "}"
    let request = try PatchRequest.decode(try TestJSON.parse(body))
    return try PatchEngine(resourceType: type, schemas: schemas).apply(request, to: try TestJSON.object(resource))
}

private func expectPatch(
    _ operations: String,
    on resource: String,
    gives expected: String,
    type: SCIMResourceType = .user,
    sourceLocation: SourceLocation = #_sourceLocation
) {
    do {
        let result = try patch(operations, on: resource, type: type)
        #expect(result == fixture(expected), sourceLocation: sourceLocation)
    } catch {
        Issue.record("unexpected error \(error)", sourceLocation: sourceLocation)
    }
}

private func expectError(
    _ operations: String,
    on resource: String,
    _ type: SCIMError.SCIMType,
    _ fragment: String,
    schemas: [SCIMSchema]? = nil,
    resourceType: SCIMResourceType = .user,
    sourceLocation: SourceLocation = #_sourceLocation
) {
    let error = scimError { _ = try patch(operations, on: resource, type: resourceType, schemas: schemas) }
    #expect(error?.status == 400, sourceLocation: sourceLocation)
    #expect(error?.scimType == type, "\(error?.detail ?? "no error")", sourceLocation: sourceLocation)
    #expect(error?.detail.contains(fragment) == true, "\(error?.detail ?? "no error")", sourceLocation: sourceLocation)
}

private let ann = #"{"id": "u1", "userName": "ann", "name": {"givenName": "Ann", "familyName": "Lee"}}"#

@Suite struct PatchEngineSimpleAttributeTests {
    @Test func addReplaceRemove() {
        expectPatch(#"[{"op": "add", "path": "title", "value": "Dean"}]"#, on: ann, gives: #"{"id": "u1", "userName": "ann", "name": {"givenName": "Ann", "familyName": "Lee"}, "title": "Dean"}"#)
        expectPatch(#"[{"op": "replace", "path": "userName", "value": "anna"}]"#, on: ann, gives: #"{"id": "u1", "userName": "anna", "name": {"givenName": "Ann", "familyName": "Lee"}}"#)
        expectPatch(#"[{"op": "remove", "path": "name"}]"#, on: ann, gives: #"{"id": "u1", "userName": "ann"}"#)
        expectPatch(#"[{"op": "replace", "path": "name", "value": null}]"#, on: ann, gives: #"{"id": "u1", "userName": "ann"}"#)
        expectPatch(#"[{"op": "remove", "path": "nickName"}]"#, on: ann, gives: ann)
    }

    @Test func namesAreCaseInsensitiveAndOutputIsCanonical() {
        expectPatch(
            #"[{"op": "replace", "path": "NAME.GIVENNAME", "value": "Anna"}, {"op": "add", "path": "TITLE", "value": "x"}]"#,
            on: #"{"userName": "ann", "name": {"givenname": "Ann"}}"#,
            gives: #"{"userName": "ann", "name": {"givenName": "Anna"}, "title": "x"}"#
        )
        expectPatch(
            #"[{"op": "replace", "path": "urn:ietf:params:scim:schemas:core:2.0:User:userName", "value": "b"}]"#,
            on: ann,
            gives: #"{"id": "u1", "userName": "b", "name": {"givenName": "Ann", "familyName": "Lee"}}"#
        )
    }

    @Test func typesAreCoerced() {
        expectPatch(#"[{"op": "replace", "path": "active", "value": "FALSE"}]"#, on: ann, gives: #"{"id": "u1", "userName": "ann", "name": {"givenName": "Ann", "familyName": "Lee"}, "active": false}"#)
        expectPatch(#"[{"op": "replace", "value": {"active": "true"}}]"#, on: ann, gives: #"{"id": "u1", "userName": "ann", "name": {"givenName": "Ann", "familyName": "Lee"}, "active": true}"#)
        expectPatch(#"[{"op": "replace", "value": {"emails": [{"value": "a@x", "primary": "True"}]}}]"#, on: #"{"userName": "a"}"#, gives: #"{"userName": "a", "emails": [{"value": "a@x", "primary": true}]}"#)
        expectError(#"[{"op": "replace", "path": "active", "value": "maybe"}]"#, on: ann, .invalidValue, "'active' must be a boolean")
        expectError(#"[{"op": "replace", "path": "userName", "value": 7}]"#, on: ann, .invalidValue, "'userName' must be a string")
        expectError(#"[{"op": "add", "path": "name", "value": 7}]"#, on: ann, .invalidValue, "'name' must be a JSON object")
    }
}

@Suite struct PatchEngineComplexTests {
    @Test func subAttributes() {
        expectPatch(#"[{"op": "add", "path": "name.middleName", "value": "J"}]"#, on: ann, gives: #"{"id": "u1", "userName": "ann", "name": {"givenName": "Ann", "familyName": "Lee", "middleName": "J"}}"#)
        expectPatch(#"[{"op": "remove", "path": "name.givenName"}]"#, on: ann, gives: #"{"id": "u1", "userName": "ann", "name": {"familyName": "Lee"}}"#)
        expectPatch(
            #"[{"op": "remove", "path": "name.givenName"}, {"op": "remove", "path": "name.familyName"}]"#,
            on: ann,
            gives: #"{"id": "u1", "userName": "ann"}"#
        )
        expectPatch(#"[{"op": "add", "path": "name.givenName", "value": "Zed"}]"#, on: #"{"userName": "z"}"#, gives: #"{"userName": "z", "name": {"givenName": "Zed"}}"#)
    }

    @Test func replacingAComplexAttributeKeepsUnnamedSubAttributes() {
        expectPatch(#"[{"op": "replace", "path": "name", "value": {"givenName": "Anna"}}]"#, on: ann, gives: #"{"id": "u1", "userName": "ann", "name": {"givenName": "Anna", "familyName": "Lee"}}"#)
        expectPatch(#"[{"op": "add", "path": "name", "value": {"formatted": "Ann Lee"}}]"#, on: ann, gives: #"{"id": "u1", "userName": "ann", "name": {"givenName": "Ann", "familyName": "Lee", "formatted": "Ann Lee"}}"#)
    }

    @Test func unknownSubAttributesInValuesAreDropped() throws {
        let body = try TestJSON.parse(#"{"schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"], "Operations": [{"op": "replace", "value": {"nickName": "A", "badge": 1, "name": {"givenName": "B", "nick": "C"}}}]}"#)
        let (result, dropped) = try PatchEngine(resourceType: .user).applyReportingDropped(try PatchRequest.decode(body), to: fixture(ann))
        #expect(result == fixture(#"{"id": "u1", "userName": "ann", "name": {"givenName": "B", "familyName": "Lee"}, "nickName": "A"}"#))
        #expect(dropped == ["badge", "name.nick"])
    }
}

@Suite struct PatchEngineMultiValuedTests {
    private let emails = #"{"userName": "a", "emails": [{"type": "work", "value": "a@work", "primary": true}, {"type": "home", "value": "a@home"}]}"#

    @Test func addAppendsWithoutDuplicates() {
        expectPatch(
            #"[{"op": "add", "path": "emails", "value": [{"type": "other", "value": "a@other"}, {"type": "home", "value": "A@HOME"}]}]"#,
            on: emails,
            gives: #"{"userName": "a", "emails": [{"type": "work", "value": "a@work", "primary": true}, {"type": "home", "value": "A@HOME"}, {"type": "other", "value": "a@other"}]}"#
        )
        expectPatch(
            #"[{"op": "add", "path": "emails", "value": {"type": "other", "value": "x@y", "primary": true}}]"#,
            on: emails,
            gives: #"{"userName": "a", "emails": [{"type": "work", "value": "a@work", "primary": false}, {"type": "home", "value": "a@home"}, {"type": "other", "value": "x@y", "primary": true}]}"#
        )
    }

    @Test func replaceWithoutFilterReplacesAllValues() {
        expectPatch(#"[{"op": "replace", "path": "emails", "value": [{"value": "only@x"}]}]"#, on: emails, gives: #"{"userName": "a", "emails": [{"value": "only@x"}]}"#)
        expectPatch(#"[{"op": "replace", "path": "emails", "value": []}]"#, on: emails, gives: #"{"userName": "a"}"#)
    }

    @Test func filteredOperations() {
        expectPatch(
            #"[{"op": "replace", "path": "emails[type eq \"home\"]", "value": {"value": "new@home", "primary": true}}]"#,
            on: emails,
            gives: #"{"userName": "a", "emails": [{"type": "work", "value": "a@work", "primary": false}, {"type": "home", "value": "new@home", "primary": true}]}"#
        )
        expectPatch(#"[{"op": "remove", "path": "emails[type eq \"work\"]"}]"#, on: emails, gives: #"{"userName": "a", "emails": [{"type": "home", "value": "a@home"}]}"#)
        expectPatch(#"[{"op": "remove", "path": "emails[type eq \"work\"].primary"}]"#, on: emails, gives: #"{"userName": "a", "emails": [{"type": "work", "value": "a@work"}, {"type": "home", "value": "a@home"}]}"#)
        expectPatch(#"[{"op": "remove", "path": "emails[type eq \"fax\"]"}]"#, on: emails, gives: emails)
        expectPatch(#"[{"op": "remove", "path": "emails[value co \"@\"]"}]"#, on: emails, gives: #"{"userName": "a"}"#)
        expectPatch(
            #"[{"op": "add", "path": "emails[type eq \"other\"]", "value": {"value": "o@x"}}]"#,
            on: emails,
            gives: #"{"userName": "a", "emails": [{"type": "work", "value": "a@work", "primary": true}, {"type": "home", "value": "a@home"}, {"type": "other", "value": "o@x"}]}"#
        )
        expectPatch(
            #"[{"op": "replace", "path": "addresses[type eq \"work\"].locality", "value": "Ghent"}]"#,
            on: #"{"userName": "a"}"#,
            gives: #"{"userName": "a", "addresses": [{"type": "work", "locality": "Ghent"}]}"#
        )
    }

    @Test func filteredReplaceWithoutMatchIsNoTarget() {
        expectError(#"[{"op": "replace", "path": "emails[type eq \"fax\"]", "value": {"value": "f@x"}}]"#, on: emails, .noTarget, "No value of 'emails' matches")
        expectError(#"[{"op": "replace", "path": "emails[value co \"zz\"].type", "value": "work"}]"#, on: emails, .noTarget, "does not describe one to create")
    }

    @Test func subAttributeWithoutFilterAppliesToEveryValue() {
        expectPatch(
            #"[{"op": "replace", "path": "emails.type", "value": "other"}]"#,
            on: emails,
            gives: #"{"userName": "a", "emails": [{"type": "other", "value": "a@work", "primary": true}, {"type": "other", "value": "a@home"}]}"#
        )
    }

    @Test func groupMembers() {
        let group = #"{"displayName": "G", "members": [{"value": "a", "type": "User"}, {"value": "b"}]}"#
        expectPatch(#"[{"op": "remove", "path": "members[value eq \"a\"]"}]"#, on: group, gives: #"{"displayName": "G", "members": [{"value": "b"}]}"#, type: .group)
        expectPatch(#"[{"op": "remove", "path": "members"}]"#, on: group, gives: #"{"displayName": "G"}"#, type: .group)
        expectPatch(#"[{"op": "add", "path": "members", "value": [{"value": "b", "$ref": null}, {"value": "c", "type": "Group"}]}]"#, on: group, gives: #"{"displayName": "G", "members": [{"value": "a", "type": "User"}, {"value": "b"}, {"value": "c", "type": "Group"}]}"#, type: .group)
        expectPatch(#"[{"op": "remove", "path": "members", "value": [{"value": "zz"}]}]"#, on: group, gives: group, type: .group)
    }
}

@Suite struct PatchEngineExtensionTests {
    private let enterprise = SCIMSchemaURI.enterpriseUser

    @Test func extensionAttributes() {
        expectPatch(
            #"[{"op": "add", "path": "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber", "value": "7"}]"#,
            on: #"{"userName": "a"}"#,
            gives: #"{"userName": "a", "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User": {"employeeNumber": "7"}}"#
        )
        expectPatch(
            #"[{"op": "replace", "path": "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value", "value": "m2"}]"#,
            on: #"{"userName": "a", "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User": {"manager": {"value": "m1"}}}"#,
            gives: #"{"userName": "a", "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User": {"manager": {"value": "m2"}}}"#
        )
        expectPatch(
            #"[{"op": "remove", "path": "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager"}]"#,
            on: #"{"userName": "a", "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User": {"manager": {"value": "m1"}}}"#,
            gives: #"{"userName": "a"}"#
        )
    }

    @Test func wholeExtensionAndNestedPathlessValues() {
        expectPatch(
            #"[{"op": "replace", "path": "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User", "value": {"Division": "North", "costCenter": "4"}}]"#,
            on: #"{"userName": "a", "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User": {"division": "South", "department": "X"}}"#,
            gives: #"{"userName": "a", "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User": {"division": "North", "department": "X", "costCenter": "4"}}"#
        )
        expectPatch(
            #"[{"op": "remove", "path": "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"}]"#,
            on: #"{"userName": "a", "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User": {"division": "South"}}"#,
            gives: #"{"userName": "a"}"#
        )
        expectPatch(
            #"[{"op": "add", "value": {"URN:IETF:PARAMS:SCIM:SCHEMAS:EXTENSION:ENTERPRISE:2.0:USER": {"manager": "m9", "organization": "Uni"}}}]"#,
            on: #"{"userName": "a"}"#,
            gives: #"{"userName": "a", "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User": {"manager": {"value": "m9"}, "organization": "Uni"}}"#
        )
        expectPatch(
            #"[{"op": "replace", "value": {"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value": "m3"}}]"#,
            on: #"{"userName": "a"}"#,
            gives: #"{"userName": "a", "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User": {"manager": {"value": "m3"}}}"#
        )
    }
}

@Suite struct PatchEngineMutabilityTests {
    @Test func readOnlyAttributes() {
        expectError(#"[{"op": "replace", "path": "id", "value": "u2"}]"#, on: ann, .mutability, "'id' is read-only")
        expectError(#"[{"op": "replace", "value": {"id": "u2"}}]"#, on: ann, .mutability, "'id' is read-only")
        expectError(#"[{"op": "remove", "path": "id"}]"#, on: ann, .mutability, "read-only")
        expectError(#"[{"op": "replace", "path": "meta.lastModified", "value": "2020-01-01T00:00:00Z"}]"#, on: #"{"userName": "a", "meta": {"lastModified": "2019-01-01T00:00:00Z"}}"#, .mutability, "'meta.lastModified' is read-only")
        expectError(#"[{"op": "add", "path": "groups", "value": [{"value": "g1"}]}]"#, on: ann, .mutability, "'groups' is read-only")
        expectPatch(#"[{"op": "replace", "value": {"id": "u1", "title": "x"}}]"#, on: ann, gives: #"{"id": "u1", "userName": "ann", "name": {"givenName": "Ann", "familyName": "Lee"}, "title": "x"}"#)
        expectPatch(#"[{"op": "replace", "value": {"id": "whatever", "title": "x"}}]"#, on: #"{"userName": "a"}"#, gives: #"{"userName": "a", "title": "x"}"#)
    }

    @Test func requiredAttributesCannotBeRemoved() {
        expectError(#"[{"op": "remove", "path": "userName"}]"#, on: ann, .mutability, "required attribute 'userName'")
        expectError(#"[{"op": "replace", "path": "userName", "value": null}]"#, on: ann, .mutability, "required")
        expectError(#"[{"op": "remove", "path": "displayName"}]"#, on: #"{"displayName": "G"}"#, .mutability, "required", resourceType: .group)
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
        let added = try patch(#"[{"op": "add", "path": "\#(path)", "value": "B1"}]"#, on: #"{"userName": "a"}"#, schemas: schemas)
        #expect(added == fixture(#"{"userName": "a", "urn:example:params:scim:schemas:extension:school:2.0:User": {"badge": "B1"}}"#))
        let body = #"{"userName": "a", "urn:example:params:scim:schemas:extension:school:2.0:User": {"badge": "B1"}}"#
        expectError(#"[{"op": "replace", "path": "\#(path)", "value": "B2"}]"#, on: body, .mutability, "immutable", schemas: schemas)
        expectError(#"[{"op": "remove", "path": "\#(path)"}]"#, on: body, .mutability, "immutable", schemas: schemas)
        #expect(try patch(#"[{"op": "replace", "path": "\#(path)", "value": "B1"}]"#, on: body, schemas: schemas) == fixture(body))
        expectError(
            #"[{"op": "replace", "path": "members[value eq \"a\"].value", "value": "b"}]"#,
            on: #"{"displayName": "G", "members": [{"value": "a"}]}"#,
            .mutability,
            #"'members[value eq "a"].value' is immutable"#,
            resourceType: .group
        )
        expectError(#"[{"op": "add", "path": "urn:example:params:scim:schemas:extension:school:2.0:User:level", "value": "high"}]"#, on: body, .invalidValue, "must be an integer", schemas: schemas)
    }
}

@Suite struct PatchEnginePathErrorTests {
    @Test func unknownAttributesAreInvalidPath() {
        expectError(#"[{"op": "add", "path": "badge", "value": "x"}]"#, on: ann, .invalidPath, "unknown attribute 'badge'")
        expectError(#"[{"op": "add", "path": "name.nick", "value": "x"}]"#, on: ann, .invalidPath, "unknown attribute 'name.nick'")
        expectError(#"[{"op": "add", "path": "urn:example:x:1.0:User:y", "value": "x"}]"#, on: ann, .invalidPath, "unknown attribute")
        expectError(#"[{"op": "remove", "path": "emails[kind eq \"x\"]"}]"#, on: ann, .invalidPath, "'emails.kind'")
        expectError(#"[{"op": "remove", "path": "emails[type eq \"x\"].nope"}]"#, on: ann, .invalidPath, "'emails.nope'")
        expectError(#"[{"op": "remove", "path": "name[givenName eq \"x\"]"}]"#, on: ann, .invalidPath, "single-valued")
        expectError(#"[{"op": "replace", "path": "title", "value": "x"}]"#, on: ann, .invalidPath, "unknown attribute 'title'", schemas: [SCIMSchema(id: SCIMSchemaURI.user, name: "User", description: "", attributes: [SCIMSchema.user.attributes[0]])])
    }

    @Test func detailsNameTheOperation() {
        expectError(#"[{"op": "add", "path": "title", "value": "x"}, {"op": "Add", "path": "badge", "value": "x"}]"#, on: ann, .invalidPath, "Operation 2 (add badge)")
    }

    @Test func aFailingOperationLeavesNothingHalfApplied() throws {
        let engine = PatchEngine(resourceType: .user)
        let request = PatchRequest(operations: [
            PatchOperation(op: .replace, path: try PatchPath.parse("title"), value: .string("x")),
            PatchOperation(op: .remove, path: try PatchPath.parse("userName")),
        ])
        let original = fixture(ann)
        #expect(scimError { _ = try engine.apply(request, to: original) }?.scimType == .mutability)
        #expect(original == fixture(ann))
    }
}
