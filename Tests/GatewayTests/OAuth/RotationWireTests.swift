import Foundation
import SCIM
import TestSupport
import Testing

@testable import Tenants

/// Rotation with a grace period, for OAuth client secrets and static tokens, through the real CLI
/// and server; and the expiring-soon report.
@Suite struct RotationWireTests {
    @Test func aClientHasTwoActiveSecretsDuringARotationThenOnlyTheNewOne() async throws {
        try await WireGateway.run([WireTenant("acme")]) { gateway in
            let old = try await gateway.createClient("acme", name: "entra")
            let grace = Int(TestTiming.seconds(6))
            let rotatedAt = ContinuousClock.now
            let rotated = try await gateway.cli([
                "clients", "rotate", "--tenant", "acme", "--name", "entra", "--grace", "\(grace)s",
            ])
            #expect(rotated.status == 0)
            let lines = rotated.stdout.split(separator: "\n").map(String.init)
            #expect(lines.count == 2)
            #expect(lines.first == old.id)
            let newSecret = try #require(lines.last)
            #expect(newSecret != old.secret)
            try await gateway.reloadNow()

            let list = try await gateway.cli(["clients", "list", "--tenant", "acme"])
            #expect(list.stdout.contains(old.id))
            #expect(!list.stdout.contains(old.secret) && !list.stdout.contains(newSecret))
            // Inside the grace the old secret still gets tokens; a loaded machine may already be past it
            // when it asks, and then the secret must be refused.
            let asked = ContinuousClock.now
            let oldGrant = try await gateway.tokenRequest(
                "grant_type=client_credentials",
                authorization: WireGateway.basic(old.id, old.secret)
            )
            if asked - rotatedAt < .seconds(grace - 2) {
                #expect(oldGrant.status == 200)
            } else {
                #expect(oldGrant.status == 200 || oldGrant.status == 401)
            }
            _ = try await gateway.accessToken(id: old.id, secret: newSecret)
            // A token the old secret obtained ends with its secret's grace; then the secret is refused.
            if oldGrant.status == 200, let oldToken = oldGrant.json?.objectValue?["access_token"]?.stringValue {
                #expect(
                    try await gateway.waitUntil(seconds: TestTiming.seconds(12)) {
                        try await gateway.usersStatus(bearer: oldToken) == 401
                    } != nil
                )
            }
            #expect(
                try await gateway.waitUntil(seconds: TestTiming.seconds(12)) {
                    try await gateway.tokenRequest(
                        "grant_type=client_credentials",
                        authorization: WireGateway.basic(old.id, old.secret)
                    ).status == 401
                } != nil
            )
            let refused = try await gateway.tokenRequest(
                "grant_type=client_credentials",
                authorization: WireGateway.basic(old.id, old.secret)
            )
            #expect(refused.status == 401)
            #expect(refused.json?.objectValue?["error"]?.stringValue == "invalid_client")
            await #expect(try gateway.accessToken(id: old.id, secret: newSecret).isEmpty == false)
        }
    }

    @Test func tokensRotateWithAOneSecondGrace() async throws {
        try await WireGateway.run([WireTenant("acme")]) { gateway in
            let created = try await gateway.cli(["tokens", "create", "--tenant", "acme", "--name", "okta"])
            let old = try #require(created.stdout.split(separator: "\n").first.map(String.init))
            let rotatedAt = Date()
            let rotated = try await gateway.cli([
                "tokens", "rotate", "--tenant", "acme", "--name", "okta", "--grace", "1s",
            ])
            #expect(rotated.status == 0)
            let lines = rotated.stdout.split(separator: "\n").map(String.init)
            #expect(lines.count == 1)
            let new = try #require(lines.first)
            #expect(new.hasPrefix("sgw_") && new != old)
            try await gateway.reloadNow()
            // Inside the grace both work; a loaded machine may already be past it when it asks (the
            // grace is rounded up to whole seconds), and then the old one must be refused.
            let asked = Date()
            let oldStatus = try await gateway.usersStatus(bearer: old)
            if asked.timeIntervalSince(rotatedAt) < 0.9 {
                #expect(oldStatus == 200)
            } else {
                #expect(oldStatus == 200 || oldStatus == 401)
            }
            await #expect(try gateway.usersStatus(bearer: new) == 200)
            #expect(
                try await gateway.waitUntil(seconds: 4) { try await gateway.usersStatus(bearer: old) == 401 } != nil
            )
            await #expect(try gateway.usersStatus(bearer: new) == 200)
            let list = try await gateway.cli(["tokens", "list", "--tenant", "acme"])
            #expect(list.stdout.contains("LAST USED"))
            #expect(list.stdout.split(separator: "\n").filter { $0.contains("okta") }.count == 2)
        }
    }

    @Test func tokensSignedByTheRotatedKeyVerifyDuringItsGrace() async throws {
        try await WireGateway.run([WireTenant("acme")]) { gateway in
            let client = try await gateway.createClient("acme", name: "entra")
            try await gateway.reloadNow()
            let before = try await gateway.accessToken(id: client.id, secret: client.secret)
            let grace = Int(TestTiming.seconds(4))
            let rotatedAt = ContinuousClock.now
            let rotation = try await gateway.cli(["clients", "rotate-signing-key", "--grace", "\(grace)s"])
            #expect(rotation.status == 0)
            #expect(rotation.stdout.isEmpty)
            try await gateway.reloadNow()
            let after = try await gateway.accessToken(id: client.id, secret: client.secret)
            #expect(before.split(separator: ".").first != after.split(separator: ".").first)
            // Inside the grace the old key's token works; a loaded machine may already be past it when it
            // asks, and then it must be refused.
            let asked = ContinuousClock.now
            let beforeStatus = try await gateway.usersStatus(bearer: before)
            if asked - rotatedAt < .seconds(grace - 1) {
                #expect(beforeStatus == 200)
            } else {
                #expect(beforeStatus == 200 || beforeStatus == 401)
            }
            await #expect(try gateway.usersStatus(bearer: after) == 200)
            #expect(
                try await gateway.waitUntil(seconds: TestTiming.seconds(10)) {
                    try await gateway.usersStatus(bearer: before) == 401
                } != nil
            )
            await #expect(try gateway.usersStatus(bearer: after) == 200)
            let keys = try SigningKeyStore(configDirectory: gateway.configDirectory).keys()
            #expect(keys.count == 2)
            #expect(keys.allSatisfy { !gateway.serverOutput().contains($0.secret) })
        }
    }

    @Test func expiringCredentialsShowInReadyzForOperatorsAndInMetrics() async throws {
        try await WireGateway.run([WireTenant("acme")]) { gateway in
            _ = try await gateway.cli(["tokens", "create", "--tenant", "acme", "--name", "soon", "--expires", "3d"])
            _ = try await gateway.createClient("acme", name: "entra", extra: ["--expires", "10d"])
            try await gateway.reloadNow()
            let forOperator = try await gateway.request(
                "GET",
                "/readyz",
                tenant: nil,
                headers: [("Authorization", "Bearer \(gateway.operatorToken)")]
            )
            #expect(forOperator.body.contains("expiring soon: tenant acme token"))
            #expect(forOperator.body.contains("expiring soon: tenant acme client"))
            let anonymous = try await gateway.request("GET", "/readyz", tenant: nil)
            #expect(!anonymous.body.contains("expiring"))
            let metrics = try await gateway.request("GET", "/metrics", tenant: nil)
            #expect(metrics.body.contains(#"scim_gateway_credentials_expiring_soon{tenant="acme",kind="token"} 1"#))
            #expect(metrics.body.contains(#"scim_gateway_credentials_expiring_soon{tenant="acme",kind="client"} 1"#))
        }
    }
}
