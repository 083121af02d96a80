import Foundation
import SCIM
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
        let database = try await SQLiteDatabase(
            path: fixture.directory.appendingPathComponent("logs/deep/log.sqlite").path
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
