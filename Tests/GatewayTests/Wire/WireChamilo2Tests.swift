import Foundation
import SCIM
import SQLDrivers
import Testing

@testable import Backends

/// Chamilo 2.0 as its current entities shape it, through the real executable on a real socket with the
/// shipped `chamilo-2` mapping and DDL: roles from the status, a resource node and an auth source per
/// user, bcrypt, ll_CC locales, extra fields in `field_value`, the installer's accounts invisible or
/// read-only, hard delete as `UserRepository::deleteUser` does it, and `check` / `check --connect`.
@Suite(.serialized) struct WireChamilo2Tests {
    static let anonymousID = "0193c0a0-0000-7000-8000-000000000012"
    static let fallbackID = "0193c0a0-0000-7000-8000-000000000013"
    static let administratorID = "0193c0a0-0000-7000-8000-000000000011"

    static func tenants(_ engine: ScenarioEngine) -> [WireTenant] {
        [
            WireTenant("t", engine: engine, mapping: "chamilo-2", settings: ["authSource": "azure"]),
            WireTenant("d", engine: engine, mapping: "chamilo-2", deprovision: .delete),
        ]
    }

    @Test(arguments: [ScenarioEngine.mysql, .sqlite, .postgres])
    func aTeacherIsWrittenAsChamiloWritesOne(engine: ScenarioEngine) async throws {
        try await WireGateway.run(Self.tenants(engine)) { gateway in
            let portal = Chamilo2Portal(gateway: gateway)
            let id = try await portal.create("ada.teacher", userType: "Teacher", locale: "ca", externalId: "entra-ada")
            let key = try await portal.key(of: "ada.teacher")
            let row = try await portal.row(
                key,
                ["roles", "password", "locale", "status", "resource_node_id", "creator_id"]
            )
            #expect(row[5].wireKey == 1)
            #expect(row[0] == .text(#"a:1:{i:0;s:12:"ROLE_TEACHER";}"#))
            let hash = row[1].textValue ?? ""
            #expect(hash.hasPrefix("$2y$04$"), "\(hash)")
            #expect(PasswordHasher.verifyBcrypt("Initial-Pw-1", hash: hash))
            #expect(row[2] == .text("ca_ES"))
            #expect(row[3].wireKey == 1)
            let node = try #require(row[4].wireKey, "user.resource_node_id is not set")
            let nodes = try await gateway.sql(
                "t",
                #"SELECT "title", "slug", "resource_type_id", "creator_id", "public", "path", "level" FROM "resource_node" WHERE "id" = ?"#,
                [.integer(node)]
            )
            #expect(nodes.count == 1)
            #expect(nodes.first?[0] == .text("ada.teacher"))
            #expect(nodes.first?[1] == .text("ada-teacher"))
            #expect(nodes.first?[5] == .text("ada.teacher-\(node)/"))
            #expect(nodes.first?[6].wireKey == 1)
            #expect(nodes.first?[2].wireKey == 1)
            #expect(nodes.first?[3].wireKey == 1)
            #expect(nodes.first?[4].wireKey == 0)
            let sources = try await gateway.sql(
                "t",
                #"SELECT "authentication", "url_id" FROM "user_auth_source" WHERE "user_id" = ?"#,
                [.integer(key)]
            )
            #expect(sources.map { [$0[0].textValue ?? "", String($0[1].wireKey ?? 0)] } == [["azure", "1"]])
            try await portal.expectExtraField("scim_external_id", of: key, "entra-ada")
            try await portal.expectExtraField("scim_version", of: key, "1")
            // A mobile number has its own field (element mapping keys); the work phone is the `phone` column.
            try await portal.expectExtraField("scim_phone_mobile", of: key, "+33 1 23 45 67 89")
            let fields = try await gateway.sql(
                "t",
                #"SELECT "item_type", "value_type", "auto_remove" FROM "extra_field" WHERE "variable" = ?"#,
                [.text("scim_external_id")]
            )
            #expect(fields.first?.map(\.wireKey) == [1, 1, 0])

            let read = try await gateway.request("GET", "/scim/v2/Users/\(id)", tenant: "t")
            #expect(read.status == 200)
            #expect(read.json?.objectValue?["externalId"]?.stringValue == "entra-ada")
            // Stored as Chamilo's ca_ES, read back as the client spelt it (sentValueExtraField).
            #expect(read.json?.objectValue?["locale"]?.stringValue == "ca")
            let found = try await gateway.request(
                "GET",
                "/scim/v2/Users?filter=externalId+eq+%22entra-ada%22",
                tenant: "t"
            )
            #expect(portal.total(found) == 1)
        }
    }

    @Test(arguments: [ScenarioEngine.mysql, .sqlite, .postgres])
    func aUserTypeChangeSwapsOnlyTheStatusRole(engine: ScenarioEngine) async throws {
        try await WireGateway.run(Self.tenants(engine)) { gateway in
            let portal = Chamilo2Portal(gateway: gateway)
            let id = try await portal.create(
                "bea.student",
                userType: "Student",
                locale: "pl-PL",
                externalId: "entra-bea"
            )
            let key = try await portal.key(of: "bea.student")
            #expect(
                try await portal.row(key, ["roles", "locale"]) == [
                    .text(#"a:1:{i:0;s:12:"ROLE_STUDENT";}"#), .text("pl_PL"),
                ]
            )
            // A role given in Chamilo's own screens survives every SCIM write.
            _ = try await gateway.sql(
                "t",
                #"UPDATE "user" SET "roles" = ? WHERE "id" = ?"#,
                [.text(#"a:2:{i:0;s:12:"ROLE_STUDENT";i:1;s:21:"ROLE_QUESTION_MANAGER";}"#), .integer(key)]
            )
            let patch = try await gateway.request(
                "PATCH",
                "/scim/v2/Users/\(id)",
                tenant: "t",
                body: SharedInstall.patchBody("userType", #""Teacher""#),
                headers: [("Content-Type", "application/scim+json")]
            )
            #expect(patch.status == 200, "\(patch.body)")
            #expect(
                try await portal.row(key, ["roles"])[0]
                    == .text(#"a:2:{i:0;s:21:"ROLE_QUESTION_MANAGER";i:1;s:12:"ROLE_TEACHER";}"#)
            )
            #expect(try await portal.row(key, ["status"])[0].wireKey == 1)
            let rename = try await gateway.request(
                "PATCH",
                "/scim/v2/Users/\(id)",
                tenant: "t",
                body: SharedInstall.patchBody("name.familyName", #""Renamed""#),
                headers: [("Content-Type", "application/scim+json")]
            )
            #expect(rename.status == 200, "\(rename.body)")
            #expect(
                try await portal.row(key, ["roles"])[0]
                    == .text(#"a:2:{i:0;s:21:"ROLE_QUESTION_MANAGER";i:1;s:12:"ROLE_TEACHER";}"#)
            )
        }
    }

    @Test(arguments: [ScenarioEngine.mysql, .sqlite, .postgres])
    func installerAccountsAreInvisibleOrReadOnly(engine: ScenarioEngine) async throws {
        try await WireGateway.run(Self.tenants(engine)) { gateway in
            let portal = Chamilo2Portal(gateway: gateway)
            // As a real install has them: admin, anon and the fallback user linked to URL 1.
            for key in [1, 2, 3] {
                _ = try await gateway.sql(
                    "t",
                    #"INSERT INTO "access_url_rel_user" ("access_url_id", "user_id") VALUES (1, ?)"#,
                    [.integer(Int64(key))]
                )
            }
            _ = try await portal.create("own.user", userType: "Student", locale: "en", externalId: "entra-own")
            let list = try await gateway.request("GET", "/scim/v2/Users?count=100", tenant: "t")
            #expect(portal.total(list) == 2, "\(list.body)")
            #expect(!list.body.contains("\"anon\"") && !list.body.contains("fallback_user"))
            for filter in ["userName+eq+%22anon%22", "userName+eq+%22fallback_user%22", "userName+sw+%22fall%22"] {
                let response = try await gateway.request("GET", "/scim/v2/Users?filter=\(filter)", tenant: "t")
                #expect(portal.total(response) == 0, "\(filter): \(response.body)")
            }
            for id in [Self.anonymousID, Self.fallbackID] {
                await #expect(try gateway.request("GET", "/scim/v2/Users/\(id)", tenant: "t").status == 404)
                let patch = try await gateway.request(
                    "PATCH",
                    "/scim/v2/Users/\(id)",
                    tenant: "t",
                    body: SharedInstall.patchBody("active", "false"),
                    headers: [("Content-Type", "application/scim+json")]
                )
                #expect(patch.status == 404)
            }
            let taken = try await gateway.request(
                "POST",
                "/scim/v2/Users",
                tenant: "t",
                body: SharedInstall.userBody("anon", family: "Taken", password: "Initial-Pw-1"),
                headers: [("Content-Type", "application/scim+json")]
            )
            #expect(taken.status == 409, "\(taken.body)")

            let admin = try await gateway.request("GET", "/scim/v2/Users/\(Self.administratorID)", tenant: "t")
            #expect(admin.status == 200, "\(admin.body)")
            let before = try await portal.row(1, ["roles", "lastname", "active"])
            let write = try await gateway.request(
                "PATCH",
                "/scim/v2/Users/\(Self.administratorID)",
                tenant: "t",
                body: SharedInstall.patchBody("userType", #""Student""#),
                headers: [("Content-Type", "application/scim+json")]
            )
            #expect(write.status == 403, "\(write.body)")
            #expect(write.json?.objectValue?["detail"]?.stringValue?.contains("platform administrator") == true)
            #expect(try await portal.row(1, ["roles", "lastname", "active"]) == before)
        }
    }
}
