import Backends
import Foundation
import SCIM
import SQLDrivers
import Testing

@testable import Tenants

/// The client-credentials grant through the real executable on a real socket.
@Suite struct OAuthTokenWireTests {
    @Test func tokensFromBasicAndFormReachTheirTenantOnly() async throws {
        try await WireGateway.run([
            WireTenant("acme", store: "acme"),
            WireTenant("globex", store: "globex", extraYAML: "oauth: { accessTokenLifetime: 5m }"),
        ]) { gateway in
            let acme = try await gateway.createClient("acme", name: "entra")
            let globex = try await gateway.createClient("globex", name: "entra")
            try await gateway.reloadNow()

            let basic = try await gateway.tokenRequest(
                "grant_type=client_credentials",
                authorization: WireGateway.basic(acme.id, acme.secret)
            )
            #expect(basic.status == 200)
            #expect(basic.header("Cache-Control") == "no-store")
            #expect(basic.header("Pragma") == "no-cache")
            #expect(basic.header("Content-Type")?.hasPrefix("application/json") == true)
            let granted = try #require(basic.json?.objectValue)
            #expect(granted["token_type"]?.stringValue == "Bearer")
            #expect(granted["expires_in"] == .integer(3600))
            #expect(Set(granted.keys) == ["access_token", "token_type", "expires_in"])

            let form = try await gateway.tokenRequest(
                "grant_type=client_credentials&client_id=\(acme.id)&client_secret=\(acme.secret)"
            )
            #expect(form.status == 200)
            let globexGrant = try await gateway.tokenRequest(
                "grant_type=client_credentials&client_id=\(globex.id)&client_secret=\(globex.secret)&scope=scim"
            )
            #expect(globexGrant.json?.objectValue?["expires_in"] == .integer(300))

            // A user created with acme's access token lands in acme's database only.
            let acmeToken = try #require(granted["access_token"]?.stringValue)
            let created = try await gateway.request(
                "POST",
                "/scim/v2/Users",
                tenant: nil,
                body: #"{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"ada.oauth"}"#,
                headers: [("Authorization", "Bearer \(acmeToken)"), ("Content-Type", "application/scim+json")]
            )
            #expect(created.status == 201)
            let sql = #"SELECT COUNT(*) FROM "user" WHERE "username" = ?"#
            #expect(try await gateway.sql("acme", sql, [.text("ada.oauth")]) == [[.integer(1)]])
            #expect(try await gateway.sql("globex", sql, [.text("ada.oauth")]) == [[.integer(0)]])

            // A token re-signed with the real key for another tenant is refused: the client is acme's.
            let keys = try SigningKeyStore(configDirectory: gateway.configDirectory).keys()
            let key = try #require(SigningKeyStore.signingKey(in: keys))
            let secretID = try #require(
                try OAuthClientStore(configDirectory: gateway.configDirectory).list(tenant: "acme").first?.secrets
                    .first?.id
            )
            let now = Int64(Date().timeIntervalSince1970)
            func crafted(tenant: String, exp: Int64) throws -> String {
                try AccessToken.sign(
                    AccessTokenClaims(sub: acme.id, tenant: tenant, sid: secretID, iat: now - 10, exp: exp, jti: "t"),
                    with: key
                )
            }
            await #expect(try gateway.usersStatus(bearer: crafted(tenant: "acme", exp: now + 600)) == 200)
            await #expect(try gateway.usersStatus(bearer: crafted(tenant: "globex", exp: now + 600)) == 401)
            // Expiry: a token whose signed `exp` has passed is refused, and one that expires in 2 s stops.
            await #expect(try gateway.usersStatus(bearer: crafted(tenant: "acme", exp: now - 1)) == 401)
            // (The clock is read again here: on a loaded machine the requests above may take seconds.)
            let shortLived = try crafted(tenant: "acme", exp: Int64(Date().timeIntervalSince1970) + 4)
            await #expect(try gateway.usersStatus(bearer: shortLived) == 200)
            #expect(
                try await gateway.waitUntil(seconds: 10) { try await gateway.usersStatus(bearer: shortLived) == 401 }
                    != nil
            )
            // A tampered signature is refused.
            await #expect(try gateway.usersStatus(bearer: String(acmeToken.dropLast(2)) + "AA") == 401)
            #expect(gateway.isAlive)
        }
    }

    @Test func aRevokedClientsTokensStopWithinFiveSeconds() async throws {
        try await WireGateway.run([WireTenant("acme")]) { gateway in
            let client = try await gateway.createClient("acme", name: "entra")
            try await gateway.reloadNow()
            let token = try await gateway.accessToken(id: client.id, secret: client.secret)
            await #expect(try gateway.usersStatus(bearer: token) == 200)

            let revoke = try await gateway.cli(["clients", "revoke", "--tenant", "acme", "--name", "entra"])
            #expect(revoke.status == 0)
            let elapsed = try await gateway.waitUntil(seconds: 5) {
                try await gateway.usersStatus(bearer: token) == 401
            }
            #expect(elapsed != nil, "the access token still worked 5 s after clients revoke")
            let again = try await gateway.tokenRequest(
                "grant_type=client_credentials",
                authorization: WireGateway.basic(client.id, client.secret)
            )
            #expect(again.status == 401)
            #expect(again.json?.objectValue?["error"]?.stringValue == "invalid_client")
        }
    }

    @Test func serviceProviderConfigListsWhatTheTenantHas() async throws {
        try await WireGateway.run([WireTenant("acme"), WireTenant("globex")]) { gateway in
            _ = gateway.token("acme")
            let client = try await gateway.createClient("acme", name: "entra")
            try await gateway.reloadNow()
            let token = try await gateway.accessToken(id: client.id, secret: client.secret)
            let acme = try await gateway.request(
                "GET",
                "/scim/v2/ServiceProviderConfig",
                tenant: nil,
                headers: [("Authorization", "Bearer \(token)")]
            )
            let schemes = try #require(acme.json?.objectValue?["authenticationSchemes"]?.arrayValue)
            #expect(schemes.count == 2)
            let first = try #require(schemes.first?.objectValue)
            #expect(first["type"]?.stringValue == "oauthbearertoken")
            #expect(first["primary"] == .bool(true))
            #expect(first["description"]?.stringValue?.contains("http://127.0.0.1:\(gateway.port)/oauth/token") == true)
            let globex = try await gateway.request("GET", "/scim/v2/ServiceProviderConfig", tenant: "globex")
            let globexSchemes = try #require(globex.json?.objectValue?["authenticationSchemes"]?.arrayValue)
            #expect(globexSchemes.count == 1)
            #expect(globexSchemes.first?.objectValue?["specUri"]?.stringValue?.hasSuffix("rfc6750") == true)
            #expect(!acme.body.contains("httpbasic") && !globex.body.contains("httpbasic"))
        }
    }
}
