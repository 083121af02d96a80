import Foundation
import SCIM
import SQLDrivers
import Testing

@testable import Backends

@Suite struct SQLBackendGroupTests {
    @Test(arguments: Engine.available)
    func groupsKeepOneRowPerMember(engine: Engine) async throws {
        let fixture = try await ChamiloFixture.make(engine)
        defer { Task { await fixture.close() } }
        let backend = fixture.backend
        let first = try await backend.create(.user, attributes: userAttributes("m1"))
        let second = try await backend.create(.user, attributes: userAttributes("m2"))
        let group = try await backend.create(
            .group,
            attributes: [
                "displayName": .string("Class 1A"),
                "members": .array([.object(["value": .string(first.id)]), .object(["value": .string(second.id)])]),
            ]
        )
        #expect(group.attributes["displayName"] == .string("Class 1A"))
        let members = group.attributes["members"]?.arrayValue ?? []
        #expect(members.compactMap { $0.objectValue?["value"]?.stringValue } == [first.id, second.id])
        #expect(members.first?.objectValue?["display"] == nil)
        #expect(members.first?.objectValue?["type"] == .string("User"))
        let key = SQLValue.integer(Int64(group.id) ?? 0)
        #expect(try await fixture.count("SELECT COUNT(*) FROM usergroup_rel_user WHERE usergroup_id = ?", [key]) == 2)
        #expect(
            try await fixture.count("SELECT COUNT(*) FROM access_url_rel_usergroup WHERE usergroup_id = ?", [key]) == 1
        )
        let row = try await fixture.execute("SELECT group_type, visibility FROM usergroup WHERE id = ?", [key])
        #expect(row.first == [.integer(0), .text("1")])

        let patched = try await backend.modify(.group, id: group.id, ifMatch: nil) { current in
            var attributes = current.attributes
            attributes["members"] = .array([.object(["value": .string(second.id)])])
            return attributes
        }
        #expect(patched.attributes["members"]?.arrayValue?.count == 1)
        #expect(patched.version != group.version)
        #expect(try await fixture.count("SELECT COUNT(*) FROM usergroup_rel_user WHERE usergroup_id = ?", [key]) == 1)

        let found = try await backend.search(
            .group,
            query: SearchQuery(
                filter: .comparison(AttributePath(name: "members", subAttribute: "value"), .eq, .string(second.id))
            )
        )
        #expect(found.resources.map(\.id) == [group.id])
        let byName = try await backend.search(
            .group,
            query: SearchQuery(filter: .comparison(AttributePath(name: "displayName"), .eq, .string("class 1a")))
        )
        #expect(byName.totalResults == 1)

        try await backend.delete(.group, id: group.id, mode: .delete, ifMatch: nil)
        #expect(try await fixture.count("SELECT COUNT(*) FROM usergroup_rel_user") == 0)
        #expect(try await fixture.count("SELECT COUNT(*) FROM usergroup") == 0)
    }

    @Test(arguments: Engine.available)
    func unknownMemberIsInvalidValue(engine: Engine) async throws {
        let fixture = try await ChamiloFixture.make(engine)
        defer { Task { await fixture.close() } }
        for member in ["999", "2819c223-7f76-453a-919d-413861904646"] {
            let error = await #expect(throws: SCIMError.self) {
                _ = try await fixture.backend.create(
                    .group,
                    attributes: ["displayName": .string("G"), "members": .array([.object(["value": .string(member)])])]
                )
            }
            #expect(error?.status == 400)
            #expect(error?.scimType == .invalidValue)
        }
        #expect(try await fixture.count("SELECT COUNT(*) FROM usergroup") == 0)
    }
}

@Suite struct SQLBackendConfigurationTests {
    @Test func verifyReportsMissingTablesAndColumns() async throws {
        let fixture = try await ChamiloFixture.make()
        defer { Task { await fixture.close() } }
        let healthy = await fixture.backend.verify(connect: true)
        #expect(healthy.allSatisfy { $0.hasPrefix("note:") })
        #expect(healthy.contains { $0.contains("scim_external_id") })

        _ = try await fixture.database.execute("DROP TABLE access_url_rel_user", [])
        _ = try await fixture.database.execute("ALTER TABLE \"user\" DROP COLUMN official_code", [])
        let problems = await fixture.backend.verify(connect: true)
        #expect(problems.contains("tenant acme: table access_url_rel_user does not exist"))
        #expect(problems.contains("tenant acme: table user has no column official_code"))
    }

    @Test func registryBuildsSQLite() async throws {
        #expect(BackendRegistry.standard.kinds == ["chamilo-rest", "mysql", "postgres", "sqlite"])
        let fixture = try await ChamiloFixture.make()
        defer { Task { await fixture.close() } }
        let backend = try BackendRegistry.standard.makeBackend(
            BackendConfiguration(
                tenantID: "acme",
                kind: "sqlite",
                path: fixture.path,
                settings: ["accessUrlId": "1"],
                mapping: chamiloMapping()
            )
        )
        #expect(backend.capabilities.resourceKinds == [.user, .group])
        #expect(try await backend.search(.user, query: SearchQuery()).totalResults == 0)
        await backend.shutdown()
    }

    @Test func schemasListOnlyMappedAttributes() async throws {
        let fixture = try await ChamiloFixture.make()
        defer { Task { await fixture.close() } }
        let schemas = fixture.backend.schemas(for: .user)
        let core = try #require(schemas.first)
        let names = core.attributes.map(\.name)
        #expect(names.contains("userName"))
        #expect(!names.contains("nickName"))
        #expect(core.attribute(named: "name")?.subAttributes.map(\.name).sorted() == ["familyName", "givenName"])
        #expect(core.attribute(named: "emails")?.subAttributes.map(\.name) == ["value", "type", "primary"])
        #expect(schemas.last?.id == SCIMSchemaURI.enterpriseUser)
        #expect(schemas.last?.attributes.map(\.name) == ["employeeNumber"])
    }

    @Test func sqliteDatabaseCreatesFoldersAndRunsTransactions() async throws {
        let fixture = try await ChamiloFixture.make()
        defer { Task { await fixture.close() } }
        let database = try SQLDatabase.sqlite(
            SQLiteConfiguration(path: fixture.directory.appendingPathComponent("logs/deep/log.sqlite").path),
            maxConnections: 4,
            creatingFolder: true
        )
        try await database.execute("CREATE TABLE entries (id INTEGER PRIMARY KEY, note TEXT)", [])
        let count = try await database.transaction { execute in
            _ = try execute("INSERT INTO entries (note) VALUES (?)", [.text("a")])
            return try execute("SELECT COUNT(*) FROM entries", []).first?.first
        }
        #expect(count == .integer(1))
        await #expect(throws: (any Error).self) {
            try await database.transaction { execute in
                _ = try execute("INSERT INTO entries (note) VALUES (?)", [.text("b")])
                _ = try execute("INSERT INTO nowhere VALUES (1)", [])
            }
        }
        #expect(try await database.execute("SELECT COUNT(*) FROM entries", []).first?.first == .integer(1))
        await database.close()
    }
}

@Suite struct SQLBackendUserGroupsTests {
    /// Three users; class A holds the first two, class B the first only.
    struct Classes {
        var fixture: ChamiloFixture
        var users: [ResourceRecord]
        var classA: ResourceRecord
        var classB: ResourceRecord

        static func make(mapping: Mapping = chamiloMapping()) async throws -> Classes {
            let fixture = try await ChamiloFixture.make(mapping: mapping)
            var users: [ResourceRecord] = []
            for name in ["g1", "g2", "g3"] {
                users.append(try await fixture.backend.create(.user, attributes: userAttributes(name)))
            }
            func member(_ user: ResourceRecord) -> JSONValue { .object(["value": .string(user.id)]) }
            let classA = try await fixture.backend.create(
                .group,
                attributes: [
                    "displayName": .string("Class A"), "members": .array([member(users[0]), member(users[1])]),
                ]
            )
            let classB = try await fixture.backend.create(
                .group,
                attributes: ["displayName": .string("Class B"), "members": .array([member(users[0])])]
            )
            return Classes(fixture: fixture, users: users, classA: classA, classB: classB)
        }

        func ids(_ filter: String) async throws -> [String] {
            let result = try await fixture.backend.search(
                .user,
                query: SearchQuery(filter: try FilterParser.parse(filter))
            )
            #expect(result.totalResults == result.resources.count)
            return result.resources.map(\.id)
        }
    }

    static func element(_ group: ResourceRecord, _ display: String) -> JSONValue {
        .object(["value": .string(group.id), "display": .string(display), "type": .string("direct")])
    }

    @Test func everyReadListsTheUsersGroups() async throws {
        let classes = try await Classes.make()
        defer { Task { await classes.fixture.close() } }
        let backend = classes.fixture.backend
        let expected = JSONValue.array([
            Self.element(classes.classA, "Class A"), Self.element(classes.classB, "Class B"),
        ])

        let first = try await backend.get(.user, id: classes.users[0].id)
        #expect(first.attributes["groups"] == expected)
        let second = try await backend.get(.user, id: classes.users[1].id)
        #expect(second.attributes["groups"] == .array([Self.element(classes.classA, "Class A")]))
        let third = try await backend.get(.user, id: classes.users[2].id)
        #expect(third.attributes["groups"] == nil)

        let page = try await backend.search(.user, query: SearchQuery(sortBy: AttributePath(name: "userName")))
        #expect(page.resources.map { $0.attributes["groups"]?.arrayValue?.count ?? 0 } == [2, 1, 0])

        let patched = try await backend.modify(.user, id: classes.users[0].id, ifMatch: nil) { current in
            var attributes = current.attributes
            attributes["name"] = .object(["givenName": .string("Grace"), "familyName": .string("Hopper")])
            return attributes
        }
        #expect(patched.attributes["groups"] == expected)
        let replaced = try await backend.replace(
            .user,
            id: classes.users[0].id,
            attributes: userAttributes("g1"),
            ifMatch: nil
        )
        #expect(replaced.attributes["groups"] == expected)
    }

    @Test func membershipChangesShowAndChangeTheVersion() async throws {
        let classes = try await Classes.make()
        defer { Task { await classes.fixture.close() } }
        let backend = classes.fixture.backend
        let before = try await backend.get(.user, id: classes.users[2].id)
        _ = try await backend.modify(.group, id: classes.classB.id, ifMatch: nil) { current in
            var attributes = current.attributes
            attributes["displayName"] = .string("Class B2")
            attributes["members"] = .array([.object(["value": .string(classes.users[2].id)])])
            return attributes
        }
        let after = try await backend.get(.user, id: classes.users[2].id)
        #expect(after.attributes["groups"] == .array([Self.element(classes.classB, "Class B2")]))
        #expect(after.version != before.version)
        let formerMember = try await backend.get(.user, id: classes.users[0].id)
        #expect(formerMember.attributes["groups"] == .array([Self.element(classes.classA, "Class A")]))

        try await backend.delete(.group, id: classes.classA.id, mode: .delete, ifMatch: nil)
        let none = try await backend.get(.user, id: classes.users[0].id)
        #expect(none.attributes["groups"] == nil)
        #expect(none.version == String(Int(none.version) ?? -1))
    }

    @Test func groupsOfAnotherPortalAreNotListed() async throws {
        let classes = try await Classes.make()
        defer { Task { await classes.fixture.close() } }
        let database = classes.fixture.database
        _ = try await database.execute(
            "INSERT INTO access_url (id, url, description, active, created_by, tms) "
                + "VALUES (2, 'http://other.example/', ' ', 1, 1, '2024-01-01 00:00:00')",
            []
        )
        _ = try await database.execute(
            "INSERT INTO usergroup (id, name, description, group_type, visibility, allow_members_leave_group, created_at, "
                + "updated_at) VALUES (500, 'Elsewhere', '', 0, '1', 1, '2024-01-01 00:00:00', '2024-01-01 00:00:00')",
            []
        )
        _ = try await database.execute(
            "INSERT INTO access_url_rel_usergroup (access_url_id, usergroup_id) VALUES (2, 500)",
            []
        )
        _ = try await database.execute(
            "INSERT INTO usergroup_rel_user (usergroup_id, user_id, relation_type) VALUES (500, ?, 0)",
            [.integer(Int64(classes.users[2].id) ?? 0)]
        )
        let user = try await classes.fixture.backend.get(.user, id: classes.users[2].id)
        #expect(user.attributes["groups"] == nil)
        #expect(try await classes.ids(#"groups.value eq "500""#).isEmpty)
        #expect(try await classes.ids("groups pr") == [classes.users[0].id, classes.users[1].id])
    }

    @Test func filtersOnGroupsBecomeOneExistsOverTheMemberships() async throws {
        let classes = try await Classes.make()
        defer { Task { await classes.fixture.close() } }
        let (a, b) = (classes.classA.id, classes.classB.id)
        let users = classes.users.map(\.id)
        #expect(try await classes.ids(#"groups.value eq "\#(a)""#) == [users[0], users[1]])
        #expect(try await classes.ids(#"groups.value eq "\#(b)""#) == [users[0]])
        #expect(try await classes.ids(#"groups eq "\#(b)""#) == [users[0]])
        #expect(try await classes.ids(#"groups.display eq "class b""#) == [users[0]])
        #expect(try await classes.ids(#"groups.display sw "Class""#) == [users[0], users[1]])
        #expect(try await classes.ids(#"groups[value eq "\#(a)" and display eq "Class B"]"#).isEmpty)
        #expect(try await classes.ids(#"groups[value eq "\#(b)" and display eq "Class B"]"#) == [users[0]])
        #expect(try await classes.ids(#"groups.type eq "direct""#) == [users[0], users[1]])
        #expect(try await classes.ids(#"groups.type eq "indirect""#).isEmpty)
        #expect(try await classes.ids("not (groups pr)") == [users[2]])
        #expect(try await classes.ids("groups eq null") == [users[2]])
        #expect(try await classes.ids(#"groups.value eq "2819c223-7f76-453a-919d-413861904646""#).isEmpty)
        #expect(
            try await classes.ids(#"userName eq "g2" and groups.value eq "\#(a)""#) == [users[1]]
        )

        let statements = try classes.fixture.backend.searchStatements(
            .user,
            query: SearchQuery(filter: try FilterParser.parse(#"groups.display eq "x'); DROP TABLE user; --""#))
        )
        #expect(!statements.count.sql.contains("DROP"))
        #expect(statements.count.binds.contains(.text("x'); DROP TABLE user; --")))

        let error = await #expect(throws: SCIMError.self) {
            _ = try await classes.ids(#"groups.$ref eq "x""#)
        }
        #expect(error?.status == 400)
        #expect(error?.scimType == .invalidFilter)
    }

    @Test func schemasListGroupsReadOnly() async throws {
        let classes = try await Classes.make()
        defer { Task { await classes.fixture.close() } }
        let core = try #require(classes.fixture.backend.schemas(for: .user).first)
        let groups = try #require(core.attribute(named: "groups"))
        #expect(groups.mutability == .readOnly)
        #expect(groups.multiValued)
        #expect(groups.subAttributes.map(\.name) == ["value", "$ref", "display", "type"])
    }

    @Test func writesThatSendGroupsIgnoreThem() async throws {
        let classes = try await Classes.make()
        defer { Task { await classes.fixture.close() } }
        let backend = classes.fixture.backend
        let schemas = backend.schemas(for: .user)
        let user = classes.users[2]
        let body = try JSONValue.parse(
            #"""
            {"schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"], "userName": "g3",
             "groups": [{"value": "\#(classes.classA.id)", "display": "Class A", "type": "direct"}]}
            """#
        )
        let normalized = try ResourceNormalizer(resourceType: .user, schemas: schemas).normalize(body)
        #expect(normalized["groups"] == nil)
        let replaced = try await backend.replace(.user, id: user.id, attributes: normalized, ifMatch: nil)
        #expect(replaced.attributes["groups"] == nil)

        // A PATCH echoing the groups a user has changes nothing; one changing them is a mutability error.
        let engine = PatchEngine(resourceType: .user, schemas: schemas)
        let member = classes.users[1]
        let echo = try PatchRequest.decode(
            try JSONValue.parse(
                #"""
                {"schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"], "Operations": [
                 {"op": "replace", "value": {"active": false,
                  "groups": [{"value": "\#(classes.classA.id)", "display": "Class A", "type": "direct"}]}}]}
                """#
            )
        )
        let patched = try await backend.modify(.user, id: member.id, ifMatch: nil) { current in
            try engine.apply(echo, to: current.attributes)
        }
        #expect(patched.attributes["active"] == .bool(false))
        #expect(patched.attributes["groups"] == .array([Self.element(classes.classA, "Class A")]))
        let change = try PatchRequest.decode(
            try JSONValue.parse(
                #"""
                {"schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"], "Operations": [
                 {"op": "add", "path": "groups", "value": [{"value": "\#(classes.classB.id)"}]}]}
                """#
            )
        )
        let error = await #expect(throws: SCIMError.self) {
            _ = try await backend.modify(.user, id: member.id, ifMatch: nil) { current in
                try engine.apply(change, to: current.attributes)
            }
        }
        #expect(error?.scimType == .mutability)
        #expect(try await classes.ids(#"groups.value eq "\#(classes.classB.id)""#) == [classes.users[0].id])
    }

    @Test func tenantsWithoutGroupsKeepGroupsUnknown() async throws {
        var mapping = chamiloMapping()
        mapping.groups = nil
        let fixture = try await ChamiloFixture.make(mapping: mapping)
        defer { Task { await fixture.close() } }
        let user = try await fixture.backend.create(.user, attributes: userAttributes("solo"))
        #expect(user.attributes["groups"] == nil)
        #expect(fixture.backend.schemas(for: .user).first?.attribute(named: "groups") == nil)
        let error = await #expect(throws: SCIMError.self) {
            _ = try await fixture.backend.search(
                .user,
                query: SearchQuery(filter: try FilterParser.parse(#"groups.value eq "1""#))
            )
        }
        #expect(error?.scimType == .invalidFilter)
    }
}
