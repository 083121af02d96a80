import Foundation
import SCIM
import SQLDrivers
import Testing

@testable import Backends

extension WireChamilo2Tests {
    @Test(arguments: [ScenarioEngine.mysql, .sqlite, .postgres])
    func aHardDeleteRemovesWhatDeleteUserRemovesOrRefuses(engine: ScenarioEngine) async throws {
        try await WireGateway.run(Self.tenants(engine)) { gateway in
            let portal = Chamilo2Portal(gateway: gateway)
            let id = try await portal.create(
                "cyd.leaver",
                userType: "Student",
                locale: "ru",
                externalId: "entra-cyd",
                on: "d"
            )
            let key = try await portal.key(of: "cyd.leaver")
            let node = try #require(try await portal.row(key, ["resource_node_id"])[0].wireKey)
            await #expect(try gateway.request("DELETE", "/scim/v2/Users/\(id)", tenant: "d").status == 204)
            for (table, column, value) in [
                ("user", "id", key), ("resource_node", "id", node), ("user_auth_source", "user_id", key),
                ("access_url_rel_user", "user_id", key), ("extra_field_values", "item_id", key),
            ] {
                let rows = try await gateway.sql(
                    "d",
                    "SELECT COUNT(*) FROM \"\(table)\" WHERE \"\(column)\" = ?",
                    [.integer(value)]
                )
                #expect(rows.first?.first?.wireKey == 0, "\(table) kept rows of the deleted user")
            }

            // A user who created content in the portal: Chamilo hands it to the fallback user, the gateway refuses.
            let author = try await portal.create(
                "dan.author",
                userType: "Teacher",
                locale: "eu",
                externalId: "entra-dan",
                on: "d"
            )
            let authorKey = try await portal.key(of: "dan.author")
            _ = try await gateway.sql(
                "d",
                #"INSERT INTO "resource_node" ("resource_type_id", "creator_id", "title", "slug", "public", "uuid", "created_at", "updated_at") VALUES (1, ?, 'notes', 'notes', 0, ?, '2026-01-01 00:00:00', '2026-01-01 00:00:00')"#,
                [.integer(authorKey), portal.uuidValue(engine, "0193c0a0-0000-7000-8000-0000000000aa")]
            )
            let refused = try await gateway.request("DELETE", "/scim/v2/Users/\(author)", tenant: "d")
            #expect(refused.status == 409, "\(refused.body)")
            #expect(refused.json?.objectValue?["detail"]?.stringValue?.contains("owns content") == true)
            await #expect(try gateway.request("GET", "/scim/v2/Users/\(author)", tenant: "d").status == 200)
            // A node another user put under the user's own node counts as the user's content too.
            let holder = try await portal.create(
                "eve.holder",
                userType: "Student",
                locale: "de",
                externalId: "entra-eve",
                on: "d"
            )
            let holderKey = try await portal.key(of: "eve.holder")
            let holderNode = try #require(try await portal.row(holderKey, ["resource_node_id"])[0].wireKey)
            _ = try await gateway.sql(
                "d",
                #"INSERT INTO "resource_node" ("resource_type_id", "creator_id", "parent_id", "title", "slug", "public", "uuid", "created_at", "updated_at") VALUES (1, 1, ?, 'feedback', 'feedback', 0, ?, '2026-01-01 00:00:00', '2026-01-01 00:00:00')"#,
                [.integer(holderNode), portal.uuidValue(engine, "0193c0a0-0000-7000-8000-0000000000bb")]
            )
            await #expect(try gateway.request("DELETE", "/scim/v2/Users/\(holder)", tenant: "d").status == 409)
            // The recommended deprovisioning on 2.0 still works for such a user: active = -2.
            await #expect(try gateway.request("DELETE", "/scim/v2/Users/\(author)", tenant: "t").status == 204)
            #expect(try await portal.row(authorKey, ["active"])[0].wireKey == -2)
        }
    }

    @Test(arguments: [ScenarioEngine.mysql, .sqlite, .postgres])
    func checkNamesHashesAndColumnsChamilo2CannotUse(engine: ScenarioEngine) async throws {
        try await WireGateway.run(Self.tenants(engine)) { gateway in
            let healthy = try await gateway.cli(["check", "--connect"])
            #expect(healthy.status == 0, "\(healthy)")
            // A 2.0 tenant configured with a hash Chamilo 2.0 cannot verify is an error of `check`.
            let good = try String(contentsOfFile: gateway.configDirectory + "/t.yaml", encoding: .utf8)
            for algorithm in ["md5", "sha1", "none"] {
                let bad = good.replacingOccurrences(of: "id: t\n", with: "id: bad\n")
                    .replacingOccurrences(
                        of: #"passwordEncryption: "bcrypt""#,
                        with: #"passwordEncryption: "\#(algorithm)""#
                    )
                try bad.write(toFile: gateway.configDirectory + "/bad.yaml", atomically: true, encoding: .utf8)
                let result = try await gateway.cli(["check"])
                #expect(result.status != 0, "\(algorithm): \(result)")
                #expect(
                    result.stdout.contains("'\(algorithm)' cannot be used with mapping chamilo-2"),
                    "\(algorithm): \(result)"
                )
                try FileManager.default.removeItem(atPath: gateway.configDirectory + "/bad.yaml")
            }
            // check --connect on a database with 1.11's extra field columns and no user_auth_source.
            _ = try await gateway.sql("t", #"ALTER TABLE "extra_field_values" RENAME COLUMN "field_value" TO "value""#)
            _ = try await gateway.sql(
                "t",
                #"ALTER TABLE "extra_field" RENAME COLUMN "item_type" TO "extra_field_type""#
            )
            _ = try await gateway.sql("t", #"DROP TABLE "user_auth_source""#)
            let broken = try await gateway.cli(["check", "--connect"])
            #expect(broken.status != 0)
            for line in [
                "table extra_field_values has no column field_value", "table extra_field has no column item_type",
                "table user_auth_source does not exist",
            ] {
                #expect(broken.stdout.contains("tenant t: \(line)"), "\(line): \(broken)")
            }
        }
    }
}

/// A Chamilo 2.0 portal behind a wire gateway: SCIM calls and the SQL that checks them.
struct Chamilo2Portal {
    let gateway: WireGateway

    /// Creates a user the way Entra ID sends one; returns the SCIM id.
    func create(
        _ userName: String,
        userType: String,
        locale: String,
        externalId: String,
        on tenant: String = "t"
    ) async throws -> String {
        let body =
            #"{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"\#(userName)","#
            + #""externalId":"\#(externalId)","name":{"givenName":"Given","familyName":"Family"},"#
            + #""emails":[{"value":"\#(userName)@example.org","type":"work","primary":true}],"#
            + #""phoneNumbers":[{"value":"+33 1 23 45 67 89","type":"mobile"}],"#
            + #""userType":"\#(userType)","locale":"\#(locale)","active":true,"password":"Initial-Pw-1"}"#
        let response = try await gateway.request(
            "POST",
            "/scim/v2/Users",
            tenant: tenant,
            body: body,
            headers: [("Content-Type", "application/scim+json")]
        )
        try #require(response.status == 201, "POST \(userName): \(response.status) \(response.body)")
        return try #require(response.json?.objectValue?["id"]?.stringValue)
    }

    func key(of userName: String) async throws -> Int64 {
        let rows = try await gateway.sql("t", #"SELECT "id" FROM "user" WHERE "username" = ?"#, [.text(userName)])
        return try #require(rows.first?.first?.wireKey, "no user \(userName)")
    }

    /// Columns of one user row, in the order asked.
    func row(_ key: Int64, _ columns: [String]) async throws -> [SQLValue] {
        let list = columns.map { "\"\($0)\"" }.joined(separator: ", ")
        let rows = try await gateway.sql("t", "SELECT \(list) FROM \"user\" WHERE \"id\" = ?", [.integer(key)])
        return try #require(rows.first, "no user row \(key)")
    }

    /// The value row of a user extra field holds `value` in `field_value`.
    func expectExtraField(_ field: String, of key: Int64, _ value: String) async throws {
        let rows = try await gateway.sql(
            "t",
            #"SELECT v."field_value" FROM "extra_field_values" v JOIN "extra_field" f ON f."id" = v."field_id" "#
                + #"WHERE f."variable" = ? AND f."item_type" = 1 AND v."item_id" = ?"#,
            [.text(field), .integer(key)]
        )
        #expect(rows.map { $0.first?.textValue } == [value], "\(field): \(rows)")
    }

    func total(_ response: RawHTTPResponse) -> Int64? {
        if case .integer(let total)? = response.json?.objectValue?["totalResults"] { return total }
        return nil
    }

    /// A UUID as the engine's uuid column stores it.
    func uuidValue(_ engine: ScenarioEngine, _ text: String) -> SQLValue {
        guard engine == .mysql, let uuid = UUID(uuidString: text) else { return .text(text) }
        return .blob(withUnsafeBytes(of: uuid.uuid) { Array($0) })
    }
}
