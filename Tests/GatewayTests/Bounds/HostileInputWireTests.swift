import Foundation
import Testing

/// Through the real executable: numbers an operator, a tenant file or a client sends that used to
/// stop the process, and floods that used to fill the log. After each, the process still runs and
/// answers the next request.
@Suite(.serialized) struct HostileInputWireTests {
    static let user =
        #"{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"NAME","name":{"givenName":"A","familyName":"B"},"emails":[{"value":"NAME@example.org","primary":true}]}"#

    static func user(_ name: String) -> String {
        user.replacingOccurrences(of: "NAME", with: name)
    }

    @Test func adminLogQueryWithAHugeSinceIs400() async throws {
        try await BoundsGateway.run([BoundsTenant(id: "acme")]) { gateway in
            for target in [
                "/admin/v1/logs?since=10000000000000000s", "/admin/v1/logs?since=99999999999999999999999d",
                "/admin/v1/logs?limit=99999999999999999999", "/admin/v1/logs?limit=-1", "/admin/v1/logs?failed=perhaps",
            ] {
                let response = try gateway.request("GET", target, token: gateway.operatorToken)
                #expect(response.status == 400, "\(target): \(response.body)")
                #expect(response.json?["scimType"] as? String == "invalidValue", "\(target)")
                #expect(gateway.isAlive, "the process stopped on \(target)")
            }
            let fine = try gateway.request("GET", "/admin/v1/logs?since=36600d&limit=5", token: gateway.operatorToken)
            #expect(fine.status == 200)
            #expect(try gateway.scim("GET", "/Users", tenant: "acme").status == 200)
        }
    }

    @Test func aTinyRateIsRefusedAtLoadAndTheOtherTenantsServe() async throws {
        let tiny = BoundsTenant(id: "tiny", extraYAML: "rateLimit: { perSecond: 1e-300, burst: 1 }")
        try await BoundsGateway.run([BoundsTenant(id: "acme"), tiny]) { gateway in
            #expect(try gateway.scim("GET", "/Users", tenant: "tiny").status == 401)
            #expect(gateway.serverOutput().contains("rateLimit.perSecond"))
            #expect(try gateway.scim("GET", "/Users", tenant: "acme").status == 200)
            let check = try BoundsGateway.cli(["check", "--config-dir", gateway.configDirectory])
            #expect(check.status != 0)
            #expect(check.stdout.contains("expected a number from 0.01 to 1000000, got '1e-300'"))
            #expect(gateway.isAlive)
        }
    }

    @Test func aSlowTenantIsAnswered429WithARetryAfterThatFits() async throws {
        let slow = BoundsTenant(id: "slow", extraYAML: "rateLimit: { perSecond: 0.01, burst: 1 }")
        try await BoundsGateway.run([slow]) { gateway in
            #expect(try gateway.scim("GET", "/Users", tenant: "slow").status == 200)
            let refused = try gateway.scim("GET", "/Users", tenant: "slow")
            #expect(refused.status == 429)
            #expect(refused.header("Retry-After") == "100")
            #expect(gateway.isAlive)
        }
    }

    @Test func bulkBeyondTheBucketIs429AndCreatesNothing() async throws {
        let limited = BoundsTenant(id: "limited", extraYAML: "rateLimit: { perSecond: 5, burst: 5 }")
        try await BoundsGateway.run([limited]) { gateway in
            let operations = (1...50).map { number in
                #"{"method":"POST","path":"/Users","bulkId":"b"# + "\(number)" + #"","data":"#
                    + Self.user("bulk\(number)") + "}"
            }
            let body =
                #"{"schemas":["urn:ietf:params:scim:api:messages:2.0:BulkRequest"],"Operations":["#
                + operations.joined(separator: ",") + "]}"
            let response = try gateway.scim("POST", "/Bulk", tenant: "limited", body: body)
            #expect(response.status == 429, "\(response.body)")
            #expect(Int(response.header("Retry-After") ?? "") ?? 0 >= 1)
            #expect(response.body.contains("50 operations"))
            let users = try gateway.scim("GET", "/Users?count=0", tenant: "limited")
            #expect(users.json?["totalResults"] as? Int == 0)
            // Within the bucket, a small Bulk runs every operation.
            try await Task.sleep(for: .seconds(1.2))
            let small =
                #"{"schemas":["urn:ietf:params:scim:api:messages:2.0:BulkRequest"],"Operations":["#
                + operations.prefix(3).joined(separator: ",") + "]}"
            let ran = try gateway.scim("POST", "/Bulk", tenant: "limited", body: small)
            #expect(ran.status == 200, "\(ran.body)")
            #expect(gateway.isAlive)
        }
    }

    @Test func aFloodOf429sLeavesNoLogEntries() async throws {
        let limited = BoundsTenant(id: "limited", extraYAML: "rateLimit: { perSecond: 2, burst: 2 }")
        try await BoundsGateway.run([limited]) { gateway in
            var statuses: [Int] = []
            for _ in 1...60 {
                statuses.append(try gateway.scim("GET", "/Users", tenant: "limited").status)
            }
            #expect(statuses.filter { $0 == 429 }.count >= 50)
            let logged = try gateway.request(
                "GET",
                "/admin/v1/logs?tenant=limited&limit=10000",
                token: gateway.operatorToken
            )
            #expect(logged.status == 200)
            let entries = (try? JSONSerialization.jsonObject(with: Data(logged.body.utf8))) as? [[String: Any]] ?? []
            #expect(entries.count == statuses.filter { $0 != 429 }.count)
            #expect(!entries.contains { $0["status"] as? Int == 429 })
            let metrics = try gateway.request("GET", "/metrics", token: nil)
            #expect(metrics.body.contains(#"status="429""#))
        }
    }

    @Test func aHugeBearerTokenIsOnly401() async throws {
        try await BoundsGateway.run([BoundsTenant(id: "acme")]) { gateway in
            let token = String(repeating: "A", count: 60_000)
            let response = try gateway.request("GET", "/scim/v2/Users", token: token)
            #expect(response.status == 401)
            #expect(gateway.isAlive)
            #expect(try gateway.scim("GET", "/Users", tenant: "acme").status == 200)
        }
    }

    @Test func forwardedForIsLoggedOnlyFromATrustedProxy() async throws {
        for trusted in [false, true] {
            try await BoundsGateway.run(
                [BoundsTenant(id: "acme")],
                serveArguments: trusted ? ["--trusted-proxy", "127.0.0.1"] : []
            ) { gateway in
                let response = try gateway.request(
                    "GET",
                    "/scim/v2/Users",
                    token: gateway.tokens["acme"],
                    headers: [("X-Forwarded-For", "203.0.113.7")]
                )
                #expect(response.status == 200)
                let logged = try gateway.request("GET", "/admin/v1/logs?tenant=acme", token: gateway.operatorToken)
                let entries = (try? JSONSerialization.jsonObject(with: Data(logged.body.utf8))) as? [[String: Any]]
                #expect(entries?.last?["client"] as? String == (trusted ? "203.0.113.7" : "127.0.0.1"))
            }
        }
    }

    @Test func serveRefusesOutOfRangeLimitsOnOneLine() throws {
        for arguments in [
            ["--header-timeout", "0"], ["--idle-timeout", "1e300"], ["--max-connections", "0"],
            ["--trusted-proxy", "not-an-address"], ["--body-timeout", "nan"],
        ] {
            let result = try BoundsGateway.cli(["serve", "--port", "1"] + arguments)
            #expect(result.status != 0, "\(arguments)")
            #expect(result.stderr.contains(arguments[0]), "\(arguments): \(result.stderr)")
        }
    }
}
