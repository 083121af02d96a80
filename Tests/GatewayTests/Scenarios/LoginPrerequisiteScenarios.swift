import Backends
import Foundation
import HTTPTypes
import HummingbirdBcrypt
import SCIM
import SQLDrivers
import Testing

/// What Chamilo 1.11's login needs, read back with SQL after a SCIM create.
@Suite struct LoginPrerequisiteScenarios {
    static let columns = [
        "id", "user_id", "username", "username_canonical", "email", "email_canonical", "status", "active", "enabled",
        "registration_date", "roles", "salt", "auth_source", "locked", "expired", "credentials_expired",
        "expiration_date", "password", "official_code", "firstname", "lastname",
    ]

    @Test(arguments: ScenarioEngine.supporting([.users, .sqlRows, .passwords]))
    func createdUserCanLogIn(engine: ScenarioEngine) async throws {
        try await ScenarioGateway.run(engine) { gateway, client in
            let id = try await client.createUser(
                ScenarioUsers.json(
                    "Ada.Lovelace",
                    email: "Ada@Example.ORG",
                    externalId: "ext-ada-42",
                    employeeNumber: "E-1815",
                    password: "Analytical-Engine-1843"
                )
            )
            let quoted = Self.columns.map { "\"\($0)\"" }.joined(separator: ", ")
            let rows = try await gateway.sql(
                "SELECT \(quoted) FROM \"user\" WHERE \"username\" = ?",
                [.text("Ada.Lovelace")]
            )
            #expect(rows.count == 1)
            let values = try #require(rows.first)
            let row = Dictionary(uniqueKeysWithValues: zip(Self.columns, values))
            func text(_ name: String) -> String? { row[name]?.scenarioText }
            func number(_ name: String) -> Int64? { row[name]?.scenarioInteger }

            #expect(text("id") == id)
            #expect(number("user_id") == number("id"))
            #expect(text("username_canonical") == "ada.lovelace")
            #expect(text("email") == "Ada@Example.ORG")
            #expect(text("email_canonical") == "ada@example.org")
            #expect(number("status") == 5)
            #expect(number("active") == 1)
            #expect(number("enabled") == 1)
            #expect(number("locked") == 0)
            #expect(number("expired") == 0)
            #expect(number("credentials_expired") == 0)
            #expect(row["expiration_date"] == .null)
            #expect(text("registration_date")?.hasPrefix("20") == true)
            #expect(text("roles") == "a:0:{}")
            #expect((text("salt") ?? "").count >= 16)
            #expect(text("auth_source") == "platform")
            #expect(text("official_code") == "E-1815")
            #expect(text("firstname") == "Ada")
            #expect(text("lastname") == "Lovelace")

            let hash = try #require(text("password"))
            #expect(hash.hasPrefix("$2y$"))
            #expect(!hash.contains("Analytical"))
            let libraryForm = "$2b$" + hash.dropFirst(4)
            #expect(Bcrypt.verify("Analytical-Engine-1843", hash: libraryForm))
            #expect(!Bcrypt.verify("analytical-engine-1843", hash: libraryForm))

            let key = SQLValue.integer(number("id") ?? -1)
            let links = try await gateway.sql(
                #"SELECT "access_url_id" FROM "access_url_rel_user" WHERE "user_id" = ?"#,
                [key]
            )
            #expect(links.map { $0.first?.scenarioInteger } == [1])
            let external = try await gateway.sql(
                #"""
                SELECT v."value" FROM "extra_field_values" v JOIN "extra_field" f ON f."id" = v."field_id"
                WHERE f."variable" = ? AND f."extra_field_type" = 1 AND v."item_id" = ?
                """#,
                [.text("scim_external_id"), key]
            )
            #expect(external.map { $0.first?.scenarioText } == ["ext-ada-42"])

            // Deactivation follows into enabled; a password change is hashed again.
            let patched = try await client.patch(
                "/Users/\(id)",
                operations: #"[{"op":"replace","value":{"active":false,"password":"Difference-Engine-1822"}}]"#
            )
            #expect(patched.status == .ok, "\(patched.text)")
            let after = try await gateway.sql(
                #"SELECT "active", "enabled", "password" FROM "user" WHERE "id" = ?"#,
                [key]
            )
            let changed = try #require(after.first)
            #expect(changed.first?.scenarioInteger == 0)
            #expect(changed.dropFirst().first?.scenarioInteger == 0)
            let newHash = try #require(changed.last?.scenarioText)
            #expect(Bcrypt.verify("Difference-Engine-1822", hash: "$2b$" + newHash.dropFirst(4)))
        }
    }
}
