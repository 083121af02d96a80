import Foundation
import SCIM
import TestSupport
import Testing

/// A `chamilo-rest` tenant, through the real executable: Okta's create with a password reaches
/// `save_user`, a later change is refused, and the password shows up nowhere else.
@Suite(.serialized) struct WireRESTPasswordTests {
    @Test func aPasswordOnCreateReachesThePortalAndALaterChangeIsRefused() async throws {
        let portal = FakeChamiloServer()
        try await portal.start()
        let url = await portal.url
        let adminPassword = await portal.state.adminPassword
        let secrets = FileManager.default.temporaryDirectory.appendingPathComponent("wire-rest-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: secrets, withIntermediateDirectories: true)
        let passwordFile = secrets.appendingPathComponent("chamilo-admin").path
        try adminPassword.write(toFile: passwordFile, atomically: true, encoding: .utf8)
        do {
            try await WireGateway.run([WireTenant("acme")]) { gateway in
                let tenantFile = """
                    id: rest
                    name: REST portal
                    backend:
                      kind: chamilo-rest
                      url: \(url)
                      username: admin
                      passwordFile: \(passwordFile)
                      statementTimeout: \(TestTiming.seconds(10))
                    mapping: chamilo-1.11
                    deprovision: deactivate
                    """
                try tenantFile.write(toFile: gateway.configDirectory + "/rest.yaml", atomically: true, encoding: .utf8)
                let created = try await gateway.cli(["tokens", "create", "--tenant", "rest", "--name", "okta"])
                try #require(created.status == 0, "\(created.stderr)")
                let token = try #require(created.stdout.split(separator: "\n").first.map(String.init))
                let authorization = [("Authorization", "Bearer \(token)")]
                let loaded = try await Wire.eventually {
                    try await gateway.request(
                        "GET",
                        "/scim/v2/ServiceProviderConfig",
                        tenant: nil,
                        headers: authorization
                    )
                    .status == 200
                }
                try #require(loaded, "the rest tenant never loaded: \(gateway.serverOutput())")

                let secret = "Okta-Pa55word-\(UUID().uuidString.prefix(8))"
                let body = Wire.user(
                    "okta.user@example.org",
                    externalId: "00u1abcd",
                    extra: #""password":"\#(secret)""#
                )
                let response = try await gateway.request(
                    "POST",
                    "/scim/v2/Users",
                    tenant: nil,
                    body: body,
                    headers: authorization
                )
                #expect(response.status == 201, "\(response)")
                #expect(response["password"] == nil)
                let stored = await portal.state.user(named: "okta.user@example.org")
                #expect(stored?.password == secret)
                let id = try #require(response["id"]?.stringValue)

                let change = try await gateway.request(
                    "PATCH",
                    "/scim/v2/Users/\(id)",
                    tenant: nil,
                    body:
                        #"{"schemas":["\#(Wire.patchSchema)"],"Operations":[{"op":"replace","path":"password","value":"Other-Pa55word"}]}"#,
                    headers: authorization
                )
                #expect(change.status == 400 && change["scimType"]?.stringValue == "invalidValue", "\(change)")
                #expect(change["detail"]?.stringValue?.contains("cannot set or change passwords") == true, "\(change)")
                let config = try await gateway.request(
                    "GET",
                    "/scim/v2/ServiceProviderConfig",
                    tenant: nil,
                    headers: authorization
                )
                #expect(config["changePassword"]?.objectValue?["supported"] == .bool(false), "\(config)")

                let logged = try await Wire.eventually {
                    try await gateway.cli(["logs", "--tenant", "rest", "--json"]).stdout.contains(
                        "okta.user@example.org"
                    )
                }
                #expect(logged)
                await #expect(!(try gateway.cli(["logs", "--tenant", "rest", "--json"]).stdout.contains(secret)))
                #expect(!gateway.serverOutput().contains(secret))
            }
        } catch {
            await portal.stop()
            try? FileManager.default.removeItem(at: secrets)
            throw error
        }
        await portal.stop()
        try? FileManager.default.removeItem(at: secrets)
    }
}
