import Testing

@testable import SCIM

func applyPatch(
    _ operations: String,
    on resource: String,
    type: SCIMResourceType = .user,
    schemas: [SCIMSchema]? = nil
) throws -> JSONObject {
    let body = #"{"schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"], "Operations": "# + operations + "}"
    let request = try PatchRequest.decode(try FixtureJSON.parse(body))
    return try PatchEngine(resourceType: type, schemas: schemas).apply(request, to: try FixtureJSON.object(resource))
}

func expectPatch(
    _ operations: String,
    on resource: String,
    gives expected: String,
    type: SCIMResourceType = .user,
    sourceLocation: SourceLocation = #_sourceLocation
) {
    do {
        let result = try applyPatch(operations, on: resource, type: type)
        #expect(result == fixtureObject(expected), sourceLocation: sourceLocation)
    } catch {
        Issue.record("unexpected error \(error)", sourceLocation: sourceLocation)
    }
}

func expectError(
    _ operations: String,
    on resource: String,
    _ type: SCIMError.SCIMType,
    _ fragment: String,
    schemas: [SCIMSchema]? = nil,
    resourceType: SCIMResourceType = .user,
    sourceLocation: SourceLocation = #_sourceLocation
) {
    let error = capturedSCIMError { _ = try applyPatch(operations, on: resource, type: resourceType, schemas: schemas) }
    #expect(error?.status == 400, sourceLocation: sourceLocation)
    #expect(error?.scimType == type, "\(error?.detail ?? "no error")", sourceLocation: sourceLocation)
    #expect(error?.detail.contains(fragment) == true, "\(error?.detail ?? "no error")", sourceLocation: sourceLocation)
}

let patchTestUser = #"{"id": "u1", "userName": "ann", "name": {"givenName": "Ann", "familyName": "Lee"}}"#

@Suite struct PatchEngineSimpleAttributeTests {
    @Test func addReplaceRemove() {
        expectPatch(
            #"[{"op": "add", "path": "title", "value": "Dean"}]"#,
            on: patchTestUser,
            gives:
                #"{"id": "u1", "userName": "ann", "name": {"givenName": "Ann", "familyName": "Lee"}, "title": "Dean"}"#
        )
        expectPatch(
            #"[{"op": "replace", "path": "userName", "value": "anna"}]"#,
            on: patchTestUser,
            gives: #"{"id": "u1", "userName": "anna", "name": {"givenName": "Ann", "familyName": "Lee"}}"#
        )
        expectPatch(
            #"[{"op": "remove", "path": "name"}]"#,
            on: patchTestUser,
            gives: #"{"id": "u1", "userName": "ann"}"#
        )
        expectPatch(
            #"[{"op": "replace", "path": "name", "value": null}]"#,
            on: patchTestUser,
            gives: #"{"id": "u1", "userName": "ann"}"#
        )
        expectPatch(#"[{"op": "remove", "path": "nickName"}]"#, on: patchTestUser, gives: patchTestUser)
    }

    @Test func namesAreCaseInsensitiveAndOutputIsCanonical() {
        expectPatch(
            #"[{"op": "replace", "path": "NAME.GIVENNAME", "value": "Anna"}, {"op": "add", "path": "TITLE", "value": "x"}]"#,
            on: #"{"userName": "ann", "name": {"givenname": "Ann"}}"#,
            gives: #"{"userName": "ann", "name": {"givenName": "Anna"}, "title": "x"}"#
        )
        expectPatch(
            #"[{"op": "replace", "path": "urn:ietf:params:scim:schemas:core:2.0:User:userName", "value": "b"}]"#,
            on: patchTestUser,
            gives: #"{"id": "u1", "userName": "b", "name": {"givenName": "Ann", "familyName": "Lee"}}"#
        )
    }

    @Test func typesAreCoerced() {
        expectPatch(
            #"[{"op": "replace", "path": "active", "value": "FALSE"}]"#,
            on: patchTestUser,
            gives:
                #"{"id": "u1", "userName": "ann", "name": {"givenName": "Ann", "familyName": "Lee"}, "active": false}"#
        )
        expectPatch(
            #"[{"op": "replace", "value": {"active": "true"}}]"#,
            on: patchTestUser,
            gives:
                #"{"id": "u1", "userName": "ann", "name": {"givenName": "Ann", "familyName": "Lee"}, "active": true}"#
        )
        expectPatch(
            #"[{"op": "replace", "value": {"emails": [{"value": "a@x", "primary": "True"}]}}]"#,
            on: #"{"userName": "a"}"#,
            gives: #"{"userName": "a", "emails": [{"value": "a@x", "primary": true}]}"#
        )
        expectError(
            #"[{"op": "replace", "path": "active", "value": "maybe"}]"#,
            on: patchTestUser,
            .invalidValue,
            "'active' must be a boolean"
        )
        expectError(
            #"[{"op": "replace", "path": "userName", "value": 7}]"#,
            on: patchTestUser,
            .invalidValue,
            "'userName' must be a string"
        )
        expectError(
            #"[{"op": "add", "path": "name", "value": 7}]"#,
            on: patchTestUser,
            .invalidValue,
            "'name' must be a JSON object"
        )
    }
}

@Suite struct PatchEngineComplexTests {
    @Test func subAttributes() {
        expectPatch(
            #"[{"op": "add", "path": "name.middleName", "value": "J"}]"#,
            on: patchTestUser,
            gives:
                #"{"id": "u1", "userName": "ann", "name": {"givenName": "Ann", "familyName": "Lee", "middleName": "J"}}"#
        )
        expectPatch(
            #"[{"op": "remove", "path": "name.givenName"}]"#,
            on: patchTestUser,
            gives: #"{"id": "u1", "userName": "ann", "name": {"familyName": "Lee"}}"#
        )
        expectPatch(
            #"[{"op": "remove", "path": "name.givenName"}, {"op": "remove", "path": "name.familyName"}]"#,
            on: patchTestUser,
            gives: #"{"id": "u1", "userName": "ann"}"#
        )
        expectPatch(
            #"[{"op": "add", "path": "name.givenName", "value": "Zed"}]"#,
            on: #"{"userName": "z"}"#,
            gives: #"{"userName": "z", "name": {"givenName": "Zed"}}"#
        )
    }

    @Test func replacingAComplexAttributeKeepsUnnamedSubAttributes() {
        expectPatch(
            #"[{"op": "replace", "path": "name", "value": {"givenName": "Anna"}}]"#,
            on: patchTestUser,
            gives: #"{"id": "u1", "userName": "ann", "name": {"givenName": "Anna", "familyName": "Lee"}}"#
        )
        expectPatch(
            #"[{"op": "add", "path": "name", "value": {"formatted": "Ann Lee"}}]"#,
            on: patchTestUser,
            gives:
                #"{"id": "u1", "userName": "ann", "name": {"givenName": "Ann", "familyName": "Lee", "formatted": "Ann Lee"}}"#
        )
    }

    @Test func unknownSubAttributesInValuesAreDropped() throws {
        let body = try FixtureJSON.parse(
            #"{"schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"], "Operations": [{"op": "replace", "value": {"nickName": "A", "badge": 1, "name": {"givenName": "B", "nick": "C"}}}]}"#
        )
        let (result, dropped) = try PatchEngine(resourceType: .user).applyReportingDropped(
            try PatchRequest.decode(body),
            to: fixtureObject(patchTestUser)
        )
        #expect(
            result
                == fixtureObject(
                    #"{"id": "u1", "userName": "ann", "name": {"givenName": "B", "familyName": "Lee"}, "nickName": "A"}"#
                )
        )
        #expect(dropped == ["badge", "name.nick"])
    }
}

@Suite struct PatchEngineMultiValuedTests {
    private let emails =
        #"{"userName": "a", "emails": [{"type": "work", "value": "a@work", "primary": true}, {"type": "home", "value": "a@home"}]}"#

    @Test func addAppendsWithoutDuplicates() {
        expectPatch(
            #"[{"op": "add", "path": "emails", "value": [{"type": "other", "value": "a@other"}, {"type": "home", "value": "A@HOME"}]}]"#,
            on: emails,
            gives:
                #"{"userName": "a", "emails": [{"type": "work", "value": "a@work", "primary": true}, {"type": "home", "value": "A@HOME"}, {"type": "other", "value": "a@other"}]}"#
        )
        expectPatch(
            #"[{"op": "add", "path": "emails", "value": {"type": "other", "value": "x@y", "primary": true}}]"#,
            on: emails,
            gives:
                #"{"userName": "a", "emails": [{"type": "work", "value": "a@work", "primary": false}, {"type": "home", "value": "a@home"}, {"type": "other", "value": "x@y", "primary": true}]}"#
        )
    }

    @Test func replaceWithoutFilterReplacesAllValues() {
        expectPatch(
            #"[{"op": "replace", "path": "emails", "value": [{"value": "only@x"}]}]"#,
            on: emails,
            gives: #"{"userName": "a", "emails": [{"value": "only@x"}]}"#
        )
        expectPatch(#"[{"op": "replace", "path": "emails", "value": []}]"#, on: emails, gives: #"{"userName": "a"}"#)
    }

    @Test func filteredOperations() {
        expectPatch(
            #"[{"op": "replace", "path": "emails[type eq \"home\"]", "value": {"value": "new@home", "primary": true}}]"#,
            on: emails,
            gives:
                #"{"userName": "a", "emails": [{"type": "work", "value": "a@work", "primary": false}, {"type": "home", "value": "new@home", "primary": true}]}"#
        )
        expectPatch(
            #"[{"op": "remove", "path": "emails[type eq \"work\"]"}]"#,
            on: emails,
            gives: #"{"userName": "a", "emails": [{"type": "home", "value": "a@home"}]}"#
        )
        expectPatch(
            #"[{"op": "remove", "path": "emails[type eq \"work\"].primary"}]"#,
            on: emails,
            gives:
                #"{"userName": "a", "emails": [{"type": "work", "value": "a@work"}, {"type": "home", "value": "a@home"}]}"#
        )
        expectPatch(#"[{"op": "remove", "path": "emails[type eq \"fax\"]"}]"#, on: emails, gives: emails)
        expectPatch(#"[{"op": "remove", "path": "emails[value co \"@\"]"}]"#, on: emails, gives: #"{"userName": "a"}"#)
        expectPatch(
            #"[{"op": "add", "path": "emails[type eq \"other\"]", "value": {"value": "o@x"}}]"#,
            on: emails,
            gives:
                #"{"userName": "a", "emails": [{"type": "work", "value": "a@work", "primary": true}, {"type": "home", "value": "a@home"}, {"type": "other", "value": "o@x"}]}"#
        )
        expectPatch(
            #"[{"op": "replace", "path": "addresses[type eq \"work\"].locality", "value": "Ghent"}]"#,
            on: #"{"userName": "a"}"#,
            gives: #"{"userName": "a", "addresses": [{"type": "work", "locality": "Ghent"}]}"#
        )
    }

    @Test func filteredReplaceWithoutMatchIsNoTarget() {
        expectError(
            #"[{"op": "replace", "path": "emails[type eq \"fax\"]", "value": {"value": "f@x"}}]"#,
            on: emails,
            .noTarget,
            "No value of 'emails' matches"
        )
        expectError(
            #"[{"op": "replace", "path": "emails[value co \"zz\"].type", "value": "work"}]"#,
            on: emails,
            .noTarget,
            "does not describe one to create"
        )
    }

    @Test func subAttributeWithoutFilterAppliesToEveryValue() {
        expectPatch(
            #"[{"op": "replace", "path": "emails.type", "value": "other"}]"#,
            on: emails,
            gives:
                #"{"userName": "a", "emails": [{"type": "other", "value": "a@work", "primary": true}, {"type": "other", "value": "a@home"}]}"#
        )
    }

    @Test func groupMembers() {
        let group = #"{"displayName": "G", "members": [{"value": "a", "type": "User"}, {"value": "b"}]}"#
        expectPatch(
            #"[{"op": "remove", "path": "members[value eq \"a\"]"}]"#,
            on: group,
            gives: #"{"displayName": "G", "members": [{"value": "b"}]}"#,
            type: .group
        )
        expectPatch(#"[{"op": "remove", "path": "members"}]"#, on: group, gives: #"{"displayName": "G"}"#, type: .group)
        expectPatch(
            #"[{"op": "add", "path": "members", "value": [{"value": "b", "$ref": null}, {"value": "c", "type": "Group"}]}]"#,
            on: group,
            gives:
                #"{"displayName": "G", "members": [{"value": "a", "type": "User"}, {"value": "b"}, {"value": "c", "type": "Group"}]}"#,
            type: .group
        )
        expectPatch(
            #"[{"op": "remove", "path": "members", "value": [{"value": "zz"}]}]"#,
            on: group,
            gives: group,
            type: .group
        )
    }
}
