import Foundation
import HTTPTypes
import SCIM
import Testing

/// Every attribute of Entra ID's default mapping for a custom SCIM app and of Okta's default profile
/// reads back as sent after a POST, after Entra's PATCH sequence and after a PUT, on every engine.
@Suite struct DefaultAttributeScenarios {
    @Test(arguments: ScenarioEngine.supporting(.users))
    func everyDefaultAttributeRoundTrips(engine: ScenarioEngine) async throws {
        try await ScenarioGateway.run(engine) { _, client in
            let manager = try await client.post("/Users", DefaultAttributeBodies.user("boss.one", ["displayName": "The Boss"]))
            #expect(manager.status == .created, "\(manager.text)")
            let managerID = try #require(manager["id"]?.stringValue)

            let body = DefaultAttributeBodies.everything(userName: "ann.lee@example.org", managerID: managerID, variant: 1)
            let created = try await client.post("/Users", body)
            #expect(created.status == .created, "\(created.text)")
            let id = try #require(created["id"]?.stringValue)
            let sent = try DefaultAttributeBodies.expected(body)
            DefaultAttributeBodies.expectRoundTrip(sent, created.body, "POST on \(engine)")
            DefaultAttributeBodies.expectRoundTrip(sent, try await client.get("/Users/\(id)").body, "GET on \(engine)")

            let patched = try await client.patch("/Users/\(id)", operations: DefaultAttributeBodies.entraPatch(managerID))
            #expect(patched.status == .ok, "\(patched.text)")
            let afterPatch = try DefaultAttributeBodies.applyingEntraPatch(to: sent, managerID: managerID)
            DefaultAttributeBodies.expectRoundTrip(afterPatch, patched.body, "PATCH on \(engine)")
            DefaultAttributeBodies.expectRoundTrip(afterPatch, try await client.get("/Users/\(id)").body, "GET after PATCH on \(engine)")

            let replacement = DefaultAttributeBodies.everything(userName: "ann.lee@example.org", managerID: managerID, variant: 2)
            let replaced = try await client.put("/Users/\(id)", replacement)
            #expect(replaced.status == .ok, "\(replaced.text)")
            let afterPut = try DefaultAttributeBodies.expected(replacement)
            DefaultAttributeBodies.expectRoundTrip(afterPut, replaced.body, "PUT on \(engine)")
            DefaultAttributeBodies.expectRoundTrip(afterPut, try await client.get("/Users/\(id)").body, "GET after PUT on \(engine)")

            // Entra's manager forms: a plain string, a one-element list, an object; Remove clears it.
            let forms = [
                (#""\#(id)""#, id), (#"[{"$ref":null,"value":"\#(managerID)"}]"#, managerID), (#"{"value":"\#(id)"}"#, id),
            ]
            for (form, wanted) in forms {
                let response = try await client.patch(
                    "/Users/\(id)",
                    operations: #"[{"op":"Add","path":"\#(SCIMSchemaURI.enterpriseUser):manager","value":\#(form)}]"#
                )
                #expect(response.status == .ok, "\(form): \(response.text)")
                let value = response.member(SCIMSchemaURI.enterpriseUser, "manager")?.objectValue?["value"]
                #expect(value?.stringValue == wanted, "\(form)")
            }
            let removed = try await client.patch(
                "/Users/\(id)",
                operations: #"[{"op":"Remove","path":"\#(SCIMSchemaURI.enterpriseUser):manager"}]"#
            )
            #expect(removed.status == .ok, "\(removed.text)")
            #expect(removed.member(SCIMSchemaURI.enterpriseUser, "manager") == nil)
            #expect(removed.member(SCIMSchemaURI.enterpriseUser, "department") != nil)
        }
    }
}
