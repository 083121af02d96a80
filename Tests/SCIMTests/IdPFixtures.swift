import SCIM
import Testing

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
            after:
                #"{"id": "u1", "userName": "ann@example.org", "active": false, "name": {"givenName": "Ann", "familyName": "Lee"}}"#
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
            after:
                #"{"id": "u1", "userName": "ann@example.org", "active": false, "name": {"givenName": "Anna", "familyName": "Lee"}}"#
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
            operations:
                #"[{"op": "Replace", "path": "emails[type eq \"work\"].value", "value": "ann@work.example"}]"#,
            after: #"""
                {"id": "u1", "userName": "ann@example.org", "active": true, "name": {"givenName": "Ann", "familyName": "Lee"},
                 "emails": [{"type": "work", "value": "ann@work.example"}]}
                """#
        ),
        IdPPatchFixture(
            name: "Entra filtered replace on an existing work email",
            kind: .user,
            before:
                #"{"id": "u1", "userName": "ann", "emails": [{"type": "home", "value": "a@home"}, {"type": "work", "value": "a@old", "primary": true}]}"#,
            operations: #"[{"op": "Replace", "path": "emails[type eq \"work\"].value", "value": "a@new"}]"#,
            after:
                #"{"id": "u1", "userName": "ann", "emails": [{"type": "home", "value": "a@home"}, {"type": "work", "value": "a@new", "primary": true}]}"#
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
            after:
                #"{"id": "g1", "displayName": "Staff", "members": [{"value": "u1", "type": "User"}, {"value": "u3"}]}"#
        ),
        IdPPatchFixture(
            name: "JumpCloud member removal, Entra style, of every member",
            kind: .group,
            before: group,
            operations:
                #"[{"op": "remove", "path": "members", "value": [{"value": "u1"}, {"value": "u2"}, {"value": "U3"}]}]"#,
            after: #"{"id": "g1", "displayName": "Staff"}"#
        ),
        IdPPatchFixture(
            name: "Okta deactivation",
            kind: .user,
            before: user,
            operations: #"[{"op": "replace", "value": {"active": false}}]"#,
            after:
                #"{"id": "u1", "userName": "ann@example.org", "active": false, "name": {"givenName": "Ann", "familyName": "Lee"}}"#
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
            after:
                #"{"id": "g1", "displayName": "Staff", "members": [{"value": "u2", "type": "User"}, {"value": "u3"}]}"#
        ),
        IdPPatchFixture(
            name: "Okta member add without type, one already a member",
            kind: .group,
            before: group,
            operations:
                #"[{"op": "add", "path": "members", "value": [{"value": "u5", "display": "Eve"}, {"value": "u1"}]}]"#,
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

/// A small JSON reader for test fixtures only, so these tests do not depend on the codec's own tests.
enum FixtureJSON {
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    static func parse(_ text: String) throws -> JSONValue {
        var reader = Reader(scalars: Array(text.unicodeScalars))
        let value = try reader.value()
        reader.skipWhitespace()
        guard reader.index == reader.scalars.count else {
            throw Failure(description: "trailing text at \(reader.index)")
        }
        return value
    }

    static func object(_ text: String) throws -> JSONObject {
        guard let object = try parse(text).objectValue else { throw Failure(description: "not an object") }
        return object
    }

    private struct Reader {
        let scalars: [Unicode.Scalar]
        var index = 0

        mutating func skipWhitespace() {
            while index < scalars.count, [" ", "\n", "\r", "\t"].contains(scalars[index]) { index += 1 }
        }

        mutating func value() throws -> JSONValue {
            skipWhitespace()
            guard index < scalars.count else { throw Failure(description: "unexpected end") }
            switch scalars[index] {
            case "{":
                index += 1
                var members: [(String, JSONValue)] = []
                skipWhitespace()
                if scalars[index] == "}" {
                    index += 1
                    return .object(JSONObject(members))
                }
                while true {
                    skipWhitespace()
                    guard case .string(let key) = try value() else { throw Failure(description: "key at \(index)") }
                    skipWhitespace()
                    try expect(":")
                    members.append((key, try value()))
                    skipWhitespace()
                    if scalars[index] == "}" {
                        index += 1
                        return .object(JSONObject(members))
                    }
                    try expect(",")
                }
            case "[":
                index += 1
                var elements: [JSONValue] = []
                skipWhitespace()
                if scalars[index] == "]" {
                    index += 1
                    return .array(elements)
                }
                while true {
                    elements.append(try value())
                    skipWhitespace()
                    if scalars[index] == "]" {
                        index += 1
                        return .array(elements)
                    }
                    try expect(",")
                }
            case "\"":
                index += 1
                var text = String.UnicodeScalarView()
                while scalars[index] != "\"" {
                    if scalars[index] == "\\" {
                        index += 1
                        switch scalars[index] {
                        case "n": text.append("\n")
                        case "t": text.append("\t")
                        case "u":
                            let hex = String(String.UnicodeScalarView(scalars[(index + 1)...(index + 4)]))
                            text.append(Unicode.Scalar(UInt32(hex, radix: 16) ?? 63) ?? "?")
                            index += 4
                        default: text.append(scalars[index])
                        }
                    } else {
                        text.append(scalars[index])
                    }
                    index += 1
                }
                index += 1
                return .string(String(text))
            default:
                var word = ""
                while index < scalars.count, !",]} \n\r\t".unicodeScalars.contains(scalars[index]) {
                    word.unicodeScalars.append(scalars[index])
                    index += 1
                }
                switch word {
                case "true": return .bool(true)
                case "false": return .bool(false)
                case "null": return .null
                default:
                    if let integer = Int64(word) { return .integer(integer) }
                    if let decimal = Double(word) { return .decimal(decimal) }
                    throw Failure(description: "bad literal \(word)")
                }
            }
        }

        mutating func expect(_ scalar: Unicode.Scalar) throws {
            skipWhitespace()
            guard index < scalars.count, scalars[index] == scalar else {
                throw Failure(description: "expected \(scalar) at \(index)")
            }
            index += 1
        }
    }
}

/// The SCIM error a throwing expression produced, or `nil`.
func capturedSCIMError(_ body: () throws -> Void) -> SCIMError? {
    do {
        try body()
        return nil
    } catch let error as SCIMError {
        return error
    } catch {
        return SCIMError(status: 0, detail: "unexpected error \(error)")
    }
}

/// A fixture object; a malformed fixture is a bug in the test, reported as an empty object that fails every expectation.
func fixtureObject(_ text: String) -> JSONObject {
    do {
        return try FixtureJSON.object(text)
    } catch {
        Issue.record("bad fixture: \(error)")
        return JSONObject()
    }
}

/// A fixture value.
func fixtureJSONValue(_ text: String) -> JSONValue {
    do {
        return try FixtureJSON.parse(text)
    } catch {
        Issue.record("bad fixture: \(error)")
        return .null
    }
}
