import Foundation
import HTTPTypes
import SCIM
import TestSupport
import Testing

/// Every attribute of Entra ID's default mapping for a custom SCIM app and of Okta's default profile
/// reads back as sent after a POST, after Entra's PATCH sequence and after a PUT, on every engine.
@Suite struct DefaultAttributeScenarios {
    @Test(arguments: ScenarioEngine.supporting(.users))
    func everyDefaultAttributeRoundTrips(engine: ScenarioEngine) async throws {
        try await ScenarioGateway.run(engine) { _, client in
            let manager = try await client.post(
                "/Users",
                DefaultAttributeBodies.user("boss.one", ["displayName": "The Boss"])
            )
            #expect(manager.status == .created, "\(manager.text)")
            let managerID = try #require(manager["id"]?.stringValue)

            let body = DefaultAttributeBodies.everything(
                userName: "ann.lee@example.org",
                managerID: managerID,
                variant: 1
            )
            let created = try await client.post("/Users", body)
            #expect(created.status == .created, "\(created.text)")
            let id = try #require(created["id"]?.stringValue)
            let sent = try DefaultAttributeBodies.expected(body)
            DefaultAttributeBodies.expectRoundTrip(sent, created.body, "POST on \(engine)")
            DefaultAttributeBodies.expectRoundTrip(sent, try await client.get("/Users/\(id)").body, "GET on \(engine)")

            let patched = try await client.patch(
                "/Users/\(id)",
                operations: DefaultAttributeBodies.entraPatch(managerID)
            )
            #expect(patched.status == .ok, "\(patched.text)")
            let afterPatch = try DefaultAttributeBodies.applyingEntraPatch(to: sent, managerID: managerID)
            DefaultAttributeBodies.expectRoundTrip(afterPatch, patched.body, "PATCH on \(engine)")
            DefaultAttributeBodies.expectRoundTrip(
                afterPatch,
                try await client.get("/Users/\(id)").body,
                "GET after PATCH on \(engine)"
            )

            let replacement = DefaultAttributeBodies.everything(
                userName: "ann.lee@example.org",
                managerID: managerID,
                variant: 2
            )
            let replaced = try await client.put("/Users/\(id)", replacement)
            #expect(replaced.status == .ok, "\(replaced.text)")
            let afterPut = try DefaultAttributeBodies.expected(replacement)
            DefaultAttributeBodies.expectRoundTrip(afterPut, replaced.body, "PUT on \(engine)")
            DefaultAttributeBodies.expectRoundTrip(
                afterPut,
                try await client.get("/Users/\(id)").body,
                "GET after PUT on \(engine)"
            )

            // Entra's manager forms: a plain string, a one-element list, an object; Remove clears it.
            let forms = [
                (#""\#(id)""#, id), (#"[{"$ref":null,"value":"\#(managerID)"}]"#, managerID),
                (#"{"value":"\#(id)"}"#, id),
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

/// A `chamilo-rest` tenant takes a password on create (Okta sends one), hands it to `save_user`, and
/// still refuses to change it later: the API cannot.
@Suite struct RESTPasswordScenarios {
    @Test func aPasswordOnCreateReachesSaveUserAndALaterChangeIsRefused() async throws {
        try await ScenarioGateway.run(.chamiloREST) { gateway, client in
            let body = #"""
                {"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"okta.user@example.org",
                 "name":{"givenName":"Okta","familyName":"User"},"emails":[{"primary":true,"value":"okta.user@example.org","type":"work"}],
                 "password":"Okta-Pa55word","active":true}
                """#
            let created = try await client.post("/Users", body)
            #expect(created.status == .created, "\(created.text)")
            #expect(created["password"] == nil)
            let portal = try #require(gateway.portal)
            let stored = try #require(await portal.state.user(named: "okta.user@example.org"))
            #expect(stored.password == "Okta-Pa55word")
            let id = try #require(created["id"]?.stringValue)

            let patched = try await client.patch(
                "/Users/\(id)",
                operations: #"[{"op":"replace","path":"password","value":"Changed-Pa55word"}]"#
            )
            expectSCIMError(
                patched,
                .badRequest,
                scimType: "invalidValue",
                detailContains: ["cannot set or change passwords"]
            )
            let put = try await client.put("/Users/\(id)", body)
            expectSCIMError(
                put,
                .badRequest,
                scimType: "invalidValue",
                detailContains: ["cannot set or change passwords"]
            )
            #expect(try #require(await portal.state.user(named: "okta.user@example.org")).password == "Okta-Pa55word")
            let config = try await client.get("/ServiceProviderConfig")
            #expect(config["changePassword.supported"] == .bool(false))
        }
    }
}
