import Foundation
import SCIM
import SQLDrivers
import Testing

@testable import Backends

/// The mapping rules Chamilo 2.0 needs, below the wire: the PHP array form of `user.roles`, role merging,
/// created rows, per-tenant defaults, allowed hashes, and what validation says about bad rules.
@Suite struct PortalRowsTests {
    static let statusRoles = RoleColumn(
        column: "roles",
        from: "userType",
        values: ["1": "ROLE_TEACHER", "5": "ROLE_STUDENT", "4": "ROLE_HR"]
    )

    @Test func phpArraysRoundTripWithByteLengths() throws {
        let text = PHPSerializedArray.encode(["ROLE_ADMIN", "RÔLE_É"])
        #expect(text == #"a:2:{i:0;s:10:"ROLE_ADMIN";i:1;s:8:"RÔLE_É";}"#)
        #expect(PHPSerializedArray.decode(text) == ["ROLE_ADMIN", "RÔLE_É"])
        #expect(PHPSerializedArray.decode("a:0:{}") == [])
        #expect(PHPSerializedArray.decode("") == [])
        #expect(PHPSerializedArray.decode(#"a:1:{s:1:"x";s:4:"ROLE";}"#) == ["ROLE"])
        for broken in [
            "ROLE_ADMIN", #"a:1:{i:0;s:11:"ROLE_ADMIN";}"#, #"a:2:{i:0;s:10:"ROLE_ADMIN";}"#, #"a:1:{i:0;i:5;}"#,
            #"a:1:{i:0;s:10:"ROLE_ADMIN";}x"#, "a:99999999999999999999:{}", #"["ROLE_ADMIN"]"#,
        ] {
            #expect(PHPSerializedArray.decode(broken) == nil, "\(broken)")
        }
    }

    @Test func mergingKeepsAdministratorAndChamiloRolesAndSwapsTheStatusRole() {
        let rules = Self.statusRoles
        #expect(rules.merged(existing: [], stored: "1") == ["ROLE_TEACHER"])
        #expect(
            rules.merged(existing: ["ROLE_ADMIN", "ROLE_GLOBAL_ADMIN", "ROLE_STUDENT"], stored: "1")
                == ["ROLE_ADMIN", "ROLE_GLOBAL_ADMIN", "ROLE_TEACHER"]
        )
        #expect(
            rules.merged(existing: ["role_question_manager", "ROLE_TEACHER"], stored: "5")
                == ["ROLE_QUESTION_MANAGER", "ROLE_STUDENT"]
        )
        // A status without a role (Chamilo's ROLE_USER default is never stored) only drops the managed ones.
        #expect(rules.merged(existing: ["ROLE_ADMIN", "ROLE_HR"], stored: "20") == ["ROLE_ADMIN"])
        #expect(rules.merged(existing: ["ROLE_ADMIN", "ROLE_ADMIN"], stored: nil) == ["ROLE_ADMIN"])
    }

    @Test func slugsAndTemplatesFollowGedmo() {
        #expect(WriteContext.slug("Ada.Lovelace") == "ada-lovelace")
        #expect(WriteContext.slug("..José  Núñez__") == "jose-nunez")
        #expect(WriteContext.slug("@@@") == "")
        #expect(CreatedRow.templateNames("{title}-{key}/") == ["title", "key"])
        #expect(CreatedRow.fill("{title}-{key}/", key: 42, values: ["title": "ada"]) == "ada-42/")
        var mapping = chamilo2Mapping()
        mapping.users.createdRows = [
            CreatedRow(table: "resource_node", keyTo: "resource_node_id", afterInsert: ["path": "{name}-{key}/"])
        ]
        let error = #expect(throws: BackendConfigurationError.self) { try mapping.validate() }
        #expect(error?.message.contains("afterInsert path: {name} is neither {key} nor one of its columns") == true)
    }

    @Test func settingsDefaultsApplyOnlyWhenTheTenantSetsNothing() {
        let text = "${settings.authSource:-platform}"
        #expect(SettingsTemplate.references(in: text).isEmpty)
        #expect(SettingsTemplate.substitute(text, settings: [:]) == "platform")
        #expect(SettingsTemplate.substitute(text, settings: ["authSource": "azure"]) == "azure")
        #expect(SettingsTemplate.substitute("${settings.url}/${settings.x:-}", settings: ["url": "u"]) == "u/")
        #expect(SettingsTemplate.substitute("${settings.url}", settings: [:]) == nil)
    }

    @Test func onlyAllowedHashesAreAccepted() throws {
        let hashing = PasswordHashing(defaultAlgorithm: .bcrypt, saltColumn: "salt", bcryptCost: 4)
        var strict = hashing
        strict.allowed = [.bcrypt]
        strict.costSetting = "bcryptCost"
        for algorithm in ["md5", "sha1", "none"] {
            let error = #expect(throws: BackendConfigurationError.self) {
                _ = try SQLBackend.passwordRule(
                    strict,
                    mapping: "chamilo-2",
                    tenant: "acme",
                    settings: ["passwordEncryption": algorithm]
                )
            }
            #expect(error?.message.contains("'\(algorithm)' cannot be used with mapping chamilo-2") == true)
        }
        let chosen = try SQLBackend.passwordRule(
            strict,
            mapping: "chamilo-2",
            tenant: "acme",
            settings: ["passwordEncryption": "bcrypt", "bcryptCost": "10"]
        )
        #expect(chosen == (.bcrypt, 10))
        #expect(throws: BackendConfigurationError.self) {
            _ = try SQLBackend.passwordRule(strict, mapping: "m", tenant: "acme", settings: ["bcryptCost": "3"])
        }
        let lax = try SQLBackend.passwordRule(
            hashing,
            mapping: "m",
            tenant: "acme",
            settings: ["passwordEncryption": "md5"]
        )
        #expect(lax == (.md5, 4))
    }

    @Test func badRulesAreNamedAtLoad() throws {
        var mapping = chamilo2Mapping()
        mapping.users.onCreate["roles"] = nil
        mapping.users.roles = RoleColumn(column: "roles;", from: "nickName", values: ["1": #"ROLE"X"#])
        mapping.users.createdRows = [
            CreatedRow(
                table: "resource_node",
                keyTo: "resource_node_id",
                columns: ["title": .attribute("displayName"), "uuid": .now],
                uuid: ["uuid"],
                lookups: ["resource_type_id": .init(table: "resource_type", column: "id", where: [:])]
            )
        ]
        mapping.users.refuseDeleteWhileReferenced = [RowReference(table: "resource node", column: "creator_id")]
        let error = #expect(throws: BackendConfigurationError.self) { try mapping.validate() }
        let message = error?.message ?? ""
        for part in [
            "users, roles: 'roles;' is not a valid column name",
            "users, roles: 'from' must name an attribute stored in a column (nickName is not)",
            "the role for 1 must be a non-empty name without quotes",
            "createdRows resource_node column title: references displayName, which is not mapped",
            "createdRows resource_node lookup resource_type_id: 'where' must name the row",
            "createdRows resource_node: a column is listed twice",
            "refuseDeleteWhileReferenced table: 'resource node' is not a valid table or column name",
        ] {
            #expect(message.contains(part), "\(part) missing from \(message)")
        }
        var twice = chamilo2Mapping()
        twice.users.roles = Self.statusRoles
        let written = #expect(throws: BackendConfigurationError.self) { try twice.validate() }
        #expect(written?.message.contains("column roles is also written elsewhere") == true)
    }

    /// The shipped rules on a plain database: an administrator's roles survive a userType change, a user
    /// made before the rule gets its resource node on its next write, a hard delete takes the node along.
    @Test(arguments: Engine.available)
    func rolesAndNodesOnEveryEngine(engine: Engine) async throws {
        var mapping = chamilo2Mapping()
        mapping.users.onCreate["roles"] = nil
        mapping.users.roles = Self.statusRoles
        mapping.users.createdRows = [
            CreatedRow(
                table: "resource_node",
                keyTo: "resource_node_id",
                columns: [
                    "title": .attribute("userName"), "slug": .lowercased("userName"),
                    "creator_id": .constant(.string("${settings.resourceCreatorId:-1}")),
                    "public": .constant(.integer(0)), "created_at": .now, "updated_at": .now,
                ],
                uuid: ["uuid"],
                lookups: [
                    "resource_type_id": .init(table: "resource_type", column: "id", where: ["title": .string("users")])
                ]
            )
        ]
        let fixture = try await ChamiloFixture.make(engine, schema: "chamilo-2", mapping: mapping)
        defer { Task { await fixture.close() } }
        let made = try await fixture.backend.create(.user, attributes: userAttributes("grace"))
        let key = try #require(
            try await fixture.execute("SELECT id FROM \"user\" WHERE username = ?", [.text("grace")]).first?.first?
                .integerValue
        )
        let first = try #require(try await fixture.userRow(String(key))["resource_node_id"]?.integerValue)
        #expect(try await fixture.userRow(String(key))["roles"] == .text(#"a:1:{i:0;s:12:"ROLE_STUDENT";}"#))
        // As if made before the rule existed: no node; and made an administrator in Chamilo.
        _ = try await fixture.execute(
            "UPDATE \"user\" SET resource_node_id = NULL, roles = ? WHERE id = ?",
            [.text(PHPSerializedArray.encode(["ROLE_ADMIN", "ROLE_GLOBAL_ADMIN", "ROLE_STUDENT"])), .integer(key)]
        )
        _ = try await fixture.execute("DELETE FROM resource_node WHERE id = ?", [.integer(first)])
        var attributes = userAttributes("grace")
        attributes["userType"] = .string("Teacher")
        _ = try await fixture.backend.replace(.user, id: made.id, attributes: attributes, ifMatch: nil)
        let row = try await fixture.userRow(String(key))
        #expect(
            row["roles"]?.textValue.flatMap(PHPSerializedArray.decode)
                == ["ROLE_ADMIN", "ROLE_GLOBAL_ADMIN", "ROLE_TEACHER"]
        )
        let node = try #require(row["resource_node_id"]?.integerValue, "the next write gives the user its node")
        #expect(
            try await fixture.count(
                "SELECT COUNT(*) FROM resource_node WHERE id = ? AND title = ?",
                [.integer(node), .text("grace")]
            ) == 1
        )
        // A roles text that is not a PHP array is never overwritten.
        _ = try await fixture.execute(
            "UPDATE \"user\" SET roles = ? WHERE id = ?",
            [.text("[\"ROLE_ADMIN\"]"), .integer(key)]
        )
        let refused = await #expect(throws: SCIMError.self) {
            _ = try await fixture.backend.replace(.user, id: made.id, attributes: attributes, ifMatch: nil)
        }
        #expect(refused?.status == 409)
        #expect(try await fixture.userRow(String(key))["roles"] == .text("[\"ROLE_ADMIN\"]"))

        try await fixture.backend.delete(.user, id: made.id, mode: .delete, ifMatch: nil)
        #expect(try await fixture.count("SELECT COUNT(*) FROM resource_node WHERE id = ?", [.integer(node)]) == 0)
        #expect(try await fixture.count("SELECT COUNT(*) FROM \"user\" WHERE id = ?", [.integer(key)]) == 0)
    }
}
