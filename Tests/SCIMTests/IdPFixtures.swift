import SCIM

/// A PATCH body a real identity provider sends (see the IdP client notes), the resource it is
/// applied to and the resource expected afterwards.
struct IdPPatchFixture: Sendable, CustomStringConvertible {
    var name: String
    var kind: ResourceKind
    var before: String
    var operations: String
    var after: String

    var description: String { name }

    /// The complete PATCH body.
    var body: String {
        #"{"schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"], "Operations": "# + operations + "}"
    }
}

enum IdPFixtures {
    static let user = #"""
        {"id": "u1", "userName": "ann@example.org", "active": true, "name": {"givenName": "Ann", "familyName": "Lee"}}
        """#
    static let group = #"""
        {"id": "g1", "displayName": "Staff",
         "members": [{"value": "u1", "type": "User"}, {"value": "u2", "type": "User"}, {"value": "u3"}]}
        """#

    static let patches: [IdPPatchFixture] = [
        IdPPatchFixture(
            name: "Entra deactivation with a capitalised op and a string boolean",
            kind: .user,
            before: user,
            operations: #"[{"op": "Replace", "path": "active", "value": "False"}]"#,
            after: #"{"id": "u1", "userName": "ann@example.org", "active": false, "name": {"givenName": "Ann", "familyName": "Lee"}}"#
        ),
        IdPPatchFixture(
            name: "Entra reactivation with \"True\"",
            kind: .user,
            before: #"{"id": "u1", "userName": "ann", "active": false}"#,
            operations: #"[{"op": "Replace", "path": "active", "value": "True"}]"#,
            after: #"{"id": "u1", "userName": "ann", "active": true}"#
        ),
        IdPPatchFixture(
            name: "Entra path-less replace with dotted keys (aadOptscim062020)",
            kind: .user,
            before: user,
            operations: #"[{"op": "replace", "value": {"name.givenName": "Anna", "active": false}}]"#,
            after: #"{"id": "u1", "userName": "ann@example.org", "active": false, "name": {"givenName": "Anna", "familyName": "Lee"}}"#
        ),
        IdPPatchFixture(
            name: "Entra user update with PascalCase names and a URN-qualified extension key",
            kind: .user,
            before: user,
            operations: #"""
                [{"op": "Replace", "path": "UserName", "value": "ann.lee@example.org"},
                 {"op": "Add", "value": {"DisplayName": "Ann Lee",
                   "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber": "42",
                   "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:Department": "Math"}}]
                """#,
            after: #"""
                {"id": "u1", "userName": "ann.lee@example.org", "active": true,
                 "name": {"givenName": "Ann", "familyName": "Lee"}, "displayName": "Ann Lee",
                 "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User": {"employeeNumber": "42", "department": "Math"}}
                """#
        ),
        IdPPatchFixture(
            name: "Entra enterprise manager as a plain string",
            kind: .user,
            before: user,
            operations: #"""
                [{"op": "Add", "path": "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager", "value": "m-7"}]
                """#,
            after: #"""
                {"id": "u1", "userName": "ann@example.org", "active": true, "name": {"givenName": "Ann", "familyName": "Lee"},
                 "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User": {"manager": {"value": "m-7"}}}
                """#
        ),
        IdPPatchFixture(
            name: "Entra roles as a JSON-encoded string",
            kind: .user,
            before: user,
            operations: #"""
                [{"op": "Add", "path": "roles",
                  "value": "[{\"primary\":true,\"type\":\"WindowsAzureActiveDirectoryRole\",\"value\":\"Teacher\"}]"},
                 {"op": "Add", "path": "roles", "value": ["{\"value\":\"Tutor\"}", "Mentor"]}]
                """#,
            after: #"""
                {"id": "u1", "userName": "ann@example.org", "active": true, "name": {"givenName": "Ann", "familyName": "Lee"},
                 "roles": [{"primary": true, "type": "WindowsAzureActiveDirectoryRole", "value": "Teacher"},
                           {"value": "Tutor"}, {"value": "Mentor"}]}
                """#
        ),
        IdPPatchFixture(
            name: "Entra filtered replace on a work email that does not exist yet",
            kind: .user,
            before: user,
            operations: #"[{"op": "Replace", "path": "emails[type eq \"work\"].value", "value": "ann@work.example"}]"#,
            after: #"""
                {"id": "u1", "userName": "ann@example.org", "active": true, "name": {"givenName": "Ann", "familyName": "Lee"},
                 "emails": [{"type": "work", "value": "ann@work.example"}]}
                """#
        ),
        IdPPatchFixture(
            name: "Entra filtered replace on an existing work email",
            kind: .user,
            before: #"{"id": "u1", "userName": "ann", "emails": [{"type": "home", "value": "a@home"}, {"type": "work", "value": "a@old", "primary": true}]}"#,
            operations: #"[{"op": "Replace", "path": "emails[type eq \"work\"].value", "value": "a@new"}]"#,
            after: #"{"id": "u1", "userName": "ann", "emails": [{"type": "home", "value": "a@home"}, {"type": "work", "value": "a@new", "primary": true}]}"#
        ),
        IdPPatchFixture(
            name: "Entra member add with \"$ref\": null",
            kind: .group,
            before: group,
            operations: #"[{"op": "Add", "path": "members", "value": [{"$ref": null, "value": "u4"}]}]"#,
            after: #"""
                {"id": "g1", "displayName": "Staff",
                 "members": [{"value": "u1", "type": "User"}, {"value": "u2", "type": "User"}, {"value": "u3"}, {"value": "u4"}]}
                """#
        ),
        IdPPatchFixture(
            name: "Entra member removal by value list removes only those members",
            kind: .group,
            before: group,
            operations: #"[{"op": "Remove", "path": "members", "value": [{"value": "u2"}]}]"#,
            after: #"{"id": "g1", "displayName": "Staff", "members": [{"value": "u1", "type": "User"}, {"value": "u3"}]}"#
        ),
        IdPPatchFixture(
            name: "JumpCloud member removal, Entra style, of every member",
            kind: .group,
            before: group,
            operations: #"[{"op": "remove", "path": "members", "value": [{"value": "u1"}, {"value": "u2"}, {"value": "U3"}]}]"#,
            after: #"{"id": "g1", "displayName": "Staff"}"#
        ),
        IdPPatchFixture(
            name: "Okta deactivation",
            kind: .user,
            before: user,
            operations: #"[{"op": "replace", "value": {"active": false}}]"#,
            after: #"{"id": "u1", "userName": "ann@example.org", "active": false, "name": {"givenName": "Ann", "familyName": "Lee"}}"#
        ),
        IdPPatchFixture(
            name: "Okta group rename carrying the group's id",
            kind: .group,
            before: group,
            operations: #"[{"op": "replace", "value": {"id": "g1", "displayName": "Teachers"}}]"#,
            after: #"""
                {"id": "g1", "displayName": "Teachers",
                 "members": [{"value": "u1", "type": "User"}, {"value": "u2", "type": "User"}, {"value": "u3"}]}
                """#
        ),
        IdPPatchFixture(
            name: "Okta member removal by filter",
            kind: .group,
            before: group,
            operations: #"[{"op": "remove", "path": "members[value eq \"u1\"]"}]"#,
            after: #"{"id": "g1", "displayName": "Staff", "members": [{"value": "u2", "type": "User"}, {"value": "u3"}]}"#
        ),
        IdPPatchFixture(
            name: "Okta member add without type, one already a member",
            kind: .group,
            before: group,
            operations: #"[{"op": "add", "path": "members", "value": [{"value": "u5", "display": "Eve"}, {"value": "u1"}]}]"#,
            after: #"""
                {"id": "g1", "displayName": "Staff",
                 "members": [{"value": "u1", "type": "User"}, {"value": "u2", "type": "User"}, {"value": "u3"}, {"value": "u5"}]}
                """#
        ),
        IdPPatchFixture(
            name: "Okta empty group push",
            kind: .group,
            before: group,
            operations: #"[{"op": "replace", "path": "members", "value": []}]"#,
            after: #"{"id": "g1", "displayName": "Staff"}"#
        ),
        IdPPatchFixture(
            name: "OneLogin membership change on a group",
            kind: .group,
            before: #"{"id": "g1", "displayName": "Staff"}"#,
            operations: #"[{"op": "add", "path": "members", "value": [{"value": "u9", "type": "User"}]}]"#,
            after: #"{"id": "g1", "displayName": "Staff", "members": [{"value": "u9", "type": "User"}]}"#
        ),
    ]
}
