import Backends
import Foundation
import SCIM
import SQLDrivers
import Testing

/// The attributes Entra ID and Okta send by default, through the real executable with raw bodies, on
/// both shipped mappings and every SQL engine (DESIGN.md "Attributes IdPs send by default round-trip").
@Suite(.serialized) struct WireDefaultAttributeTests {
    static let cases: [(ScenarioEngine, String)] = ScenarioEngine.supporting([.users, .sqlRows]).flatMap { engine in
        ["chamilo-1.11", "chamilo-2"].map { (engine, $0) }
    }

    static func patchBody(_ operations: String) -> String {
        #"{"schemas":["\#(Wire.patchSchema)"],"Operations":\#(operations)}"#
    }

    @Test(arguments: cases)
    func everyDefaultAttributeRoundTrips(engine: ScenarioEngine, mapping: String) async throws {
        try await WireGateway.run([WireTenant("acme", engine: engine, mapping: mapping)]) { gateway in
            let boss = try await Wire.createUser(
                gateway,
                "acme",
                "boss@example.org",
                extra: #""displayName":"Zed Boss""#
            )
            let body = DefaultAttributeBodies.everything(userName: "ann.lee@example.org", managerID: boss, variant: 1)
            let created = try await gateway.request("POST", "/scim/v2/Users", tenant: "acme", body: body)
            #expect(created.status == 201, "\(created)")
            let id = try #require(created["id"]?.stringValue, "\(created)")
            let sent = try DefaultAttributeBodies.expected(body)
            let context = "\(engine) \(mapping)"
            DefaultAttributeBodies.expectRoundTrip(sent, created.json, "POST \(context)")
            let read = try await gateway.request("GET", "/scim/v2/Users/\(id)", tenant: "acme")
            DefaultAttributeBodies.expectRoundTrip(sent, read.json, "GET \(context)")

            // Where Chamilo has a column, the value is in it.
            let columns = try await gateway.sql(
                "acme",
                "SELECT \"phone\", \"address\", \"official_code\" FROM \"user\" WHERE \"username\" = ?",
                [.text("ann.lee@example.org")]
            )
            #expect(
                columns.first == [
                    .text("+33 1 23 45 67 81"), .text("1 Rue de la Paix, 75002 Paris"), .text("1001"),
                ],
                "\(columns)"
            )

            // The time zone goes where the portal keeps it: 2.0's column, 1.11's own `timezone` extra field.
            let timezone =
                mapping == "chamilo-2"
                ? try await gateway.sql(
                    "acme",
                    "SELECT \"timezone\" FROM \"user\" WHERE \"username\" = ?",
                    [.text("ann.lee@example.org")]
                )
                : try await gateway.sql(
                    "acme",
                    "SELECT v.\"value\" FROM \"extra_field_values\" v JOIN \"extra_field\" f ON f.\"id\" = v.\"field_id\" "
                        + "WHERE f.\"variable\" = ? AND f.\"extra_field_type\" = 1",
                    [.text("timezone")]
                )
            #expect(timezone.first == [.text("Europe/Madrid")], "\(timezone)")

            let patched = try await gateway.request(
                "PATCH",
                "/scim/v2/Users/\(id)",
                tenant: "acme",
                body: Self.patchBody(DefaultAttributeBodies.entraPatch(boss))
            )
            #expect(patched.status == 200, "\(patched)")
            let afterPatch = try DefaultAttributeBodies.applyingEntraPatch(to: sent, managerID: boss)
            DefaultAttributeBodies.expectRoundTrip(afterPatch, patched.json, "PATCH \(context)")
            let reread = try await gateway.request("GET", "/scim/v2/Users/\(id)", tenant: "acme")
            DefaultAttributeBodies.expectRoundTrip(afterPatch, reread.json, "GET after PATCH \(context)")

            let replacement = DefaultAttributeBodies.everything(
                userName: "ann.lee@example.org",
                managerID: boss,
                variant: 2
            )
            let replaced = try await gateway.request("PUT", "/scim/v2/Users/\(id)", tenant: "acme", body: replacement)
            #expect(replaced.status == 200, "\(replaced)")
            let afterPut = try DefaultAttributeBodies.expected(replacement)
            DefaultAttributeBodies.expectRoundTrip(afterPut, replaced.json, "PUT \(context)")
            let last = try await gateway.request("GET", "/scim/v2/Users/\(id)", tenant: "acme")
            DefaultAttributeBodies.expectRoundTrip(afterPut, last.json, "GET after PUT \(context)")

            // Filters reach the new attributes (form-encoded, as clients send them), one element at a time.
            let found: [(String, Int64)] = [
                ("phoneNumbers%5Btype+eq+%22mobile%22+and+value+eq+%22%2B33+6+12+34+56+72%22%5D", 1),
                ("phoneNumbers%5Btype+eq+%22fax%22+and+value+eq+%22%2B33+6+12+34+56+72%22%5D", 0),
                ("addresses.locality+eq+%22paris2%22", 1),
                (
                    "urn%3Aietf%3Aparams%3Ascim%3Aschemas%3Aextension%3Aenterprise%3A2.0%3AUser%3Adepartment+eq+%22Math+2%22",
                    1
                ),
                ("title+sw+%22Teacher%22", 1),
                (
                    "urn%3Aietf%3Aparams%3Ascim%3Aschemas%3Aextension%3Aenterprise%3A2.0%3AUser%3Amanager.value+eq+%22\(boss)%22",
                    1
                ),
            ]
            for (filter, total) in found {
                let response = try await gateway.request("GET", "/scim/v2/Users?filter=\(filter)", tenant: "acme")
                #expect(response.status == 200 && Wire.total(response) == total, "\(filter): \(response)")
            }
            let sorted = try await gateway.request(
                "GET",
                "/scim/v2/Users?filter=userName+co+%22example%22&sortBy=displayName&sortOrder=ascending",
                tenant: "acme"
            )
            #expect(
                Wire.resources(sorted).compactMap { $0["userName"]?.stringValue } == [
                    "ann.lee@example.org", "boss@example.org",
                ],
                "\(sorted)"
            )
            let unstored = try await gateway.request(
                "GET",
                "/scim/v2/Users?filter=phoneNumbers.display+eq+%22x%22",
                tenant: "acme"
            )
            #expect(unstored.status == 400 && unstored["scimType"]?.stringValue == "invalidFilter", "\(unstored)")
        }
    }

    @Test(arguments: ["chamilo-1.11", "chamilo-2"])
    func schemasListWhatIsStored(mapping: String) async throws {
        try await WireGateway.run([WireTenant("acme", mapping: mapping)]) { gateway in
            let user = try await gateway.request("GET", "/scim/v2/Schemas/\(Wire.userSchema)", tenant: "acme")
            #expect(user.status == 200, "\(user)")
            let attributes = user["attributes"]?.arrayValue?.compactMap(\.objectValue) ?? []
            func subAttributes(_ name: String) -> Set<String> {
                let attribute = attributes.first { $0["name"]?.stringValue == name }
                return Set(
                    attribute?["subAttributes"]?.arrayValue?.compactMap { $0.objectValue?["name"]?.stringValue } ?? []
                )
            }
            let names = Set(attributes.compactMap { $0["name"]?.stringValue })
            #expect(
                names.isSuperset(of: [
                    "displayName", "nickName", "title", "preferredLanguage", "locale", "timezone", "phoneNumbers",
                    "addresses",
                ]),
                "\(names)"
            )
            #expect(!names.contains("ims") && !names.contains("photos") && !names.contains("profileUrl"), "\(names)")
            #expect(
                subAttributes("name") == [
                    "formatted", "familyName", "givenName", "middleName", "honorificPrefix", "honorificSuffix",
                ]
            )
            #expect(subAttributes("phoneNumbers") == ["value", "type"])
            #expect(
                subAttributes("addresses") == [
                    "formatted", "streetAddress", "locality", "region", "postalCode", "country", "type",
                ]
            )
            let enterprise = try await gateway.request("GET", "/scim/v2/Schemas/\(Wire.enterprise)", tenant: "acme")
            let enterpriseAttributes = enterprise["attributes"]?.arrayValue?.compactMap(\.objectValue) ?? []
            #expect(
                Set(enterpriseAttributes.compactMap { $0["name"]?.stringValue }) == [
                    "employeeNumber", "costCenter", "organization", "division", "department", "manager",
                ]
            )
            let manager = enterpriseAttributes.first { $0["name"]?.stringValue == "manager" }
            let managerSubs = manager?["subAttributes"]?.arrayValue?.compactMap { $0.objectValue?["name"]?.stringValue }
            #expect(Set(managerSubs ?? []) == ["value", "displayName"])
        }
    }

    /// Two tenants on one brand-new database stand for two gateway nodes (each keeps its own memory of
    /// the fields it made sure of): concurrent first creates leave one extra_field row per variable.
    @Test(arguments: ScenarioEngine.supporting([.users, .sqlRows]))
    func concurrentFirstCreatesLeaveOneExtraFieldPerVariable(engine: ScenarioEngine) async throws {
        let tenants = [WireTenant("node-a", engine: engine), WireTenant("node-b", engine: engine)]
        try await WireGateway.run(tenants) { gateway in
            try await withThrowingTaskGroup(of: Int.self) { group in
                for index in 0..<10 {
                    let tenant = index.isMultiple(of: 2) ? "node-a" : "node-b"
                    let body = DefaultAttributeBodies.everything(
                        userName: "racer\(index)",
                        managerID: "m-1",
                        variant: 1
                    )
                    group.addTask {
                        try await gateway.request("POST", "/scim/v2/Users", tenant: tenant, body: body).status
                    }
                }
                for try await status in group { #expect(status == 201) }
            }
            let duplicated = try await gateway.sql(
                "node-a",
                "SELECT \"variable\", COUNT(*) FROM \"extra_field\" GROUP BY \"variable\" HAVING COUNT(*) > 1"
            )
            #expect(duplicated.isEmpty, "\(duplicated)")
            let titles = try await gateway.sql(
                "node-a",
                "SELECT COUNT(*) FROM \"extra_field\" WHERE \"variable\" = ?",
                [.text("scim_title")]
            )
            #expect(titles.first?.first == .integer(1), "\(titles)")
        }
    }
}
