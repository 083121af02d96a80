import Backends
import Foundation
import SCIM
import SQLDrivers
import TestSupport
import Testing

/// Through the real executable: numbers an operator, a tenant file or a client sends that used to
/// stop the process, and floods that used to fill the log. After each, the process still runs and
/// answers the next request.
@Suite struct HostileInputWireTests {
    @Test func adminLogQueryWithAHugeSinceIs400() async throws {
        try await WireGateway.run([WireTenant("acme")]) { gateway in
            for target in [
                "/admin/v1/logs?since=10000000000000000s", "/admin/v1/logs?since=99999999999999999999999d",
                "/admin/v1/logs?limit=99999999999999999999", "/admin/v1/logs?limit=-1", "/admin/v1/logs?failed=perhaps",
            ] {
                let response = try await gateway.request("GET", target, tenant: "operator")
                #expect(response.status == 400, "\(target): \(response)")
                #expect(response["scimType"]?.stringValue == "invalidValue", "\(target)")
                #expect(gateway.isAlive, "the process stopped on \(target)")
            }
            let fine = try await gateway.request("GET", "/admin/v1/logs?since=36600d&limit=5", tenant: "operator")
            #expect(fine.status == 200)
            #expect(try await gateway.request("GET", "/scim/v2/Users", tenant: "acme").status == 200)
        }
    }

    @Test func aTinyRateIsRefusedAtLoadAndTheOtherTenantsServe() async throws {
        let tiny = WireTenant("tiny", store: "tiny", extraYAML: "rateLimit: { perSecond: 1e-300, burst: 1 }")
        try await WireGateway.run([WireTenant("acme"), tiny]) { gateway in
            #expect(try await gateway.request("GET", "/scim/v2/Users", tenant: "tiny").status == 401)
            #expect(gateway.serverOutput().contains("rateLimit.perSecond"))
            #expect(try await gateway.request("GET", "/scim/v2/Users", tenant: "acme").status == 200)
            let check = try await gateway.cli(["check"])
            #expect(check.status != 0)
            #expect(check.stdout.contains("expected a number from 0.01 to 1000000, got '1e-300'"), "\(check)")
            #expect(gateway.isAlive)
        }
    }

    /// The mapping fuzzer's 1.3 kB of nested `? ` keys, which the YAML decoder took minutes over, as a
    /// mapping file a new tenant names: `check` refuses it at once, a reload leaves the others serving.
    @Test(.timeLimit(.minutes(TestTiming.minutes(1))))
    func aMappingNestedTooDeepIsRefusedAtOnce() async throws {
        try await WireGateway.run([WireTenant("acme")]) { gateway in
            let hostile = try Data(
                contentsOf: ScenarioGateway.repositoryRoot.appendingPathComponent(
                    "fuzz/corpus/mapping/nested-complex-keys-timeout"
                )
            )
            try hostile.write(to: URL(fileURLWithPath: gateway.configDirectory + "/mappings/hostile.yaml"))
            let acme = try String(contentsOfFile: gateway.configDirectory + "/acme.yaml", encoding: .utf8)
            let tenant = acme.replacingOccurrences(of: "id: acme", with: "id: hostile")
                .replacingOccurrences(of: "mapping: chamilo-1.11", with: "mapping: hostile")
            #expect(tenant.contains("mapping: hostile"), "\(acme)")
            try tenant.write(toFile: gateway.configDirectory + "/hostile.yaml", atomically: true, encoding: .utf8)

            let check = try await gateway.cli(["check"])
            #expect(check.status != 0)
            #expect(check.stdout.contains("mappings/hostile.yaml") && check.stdout.contains("levels deep"), "\(check)")
            gateway.signal(SIGHUP)
            let refused = try await Wire.eventually { gateway.serverOutput().contains("levels deep") }
            #expect(refused, "the reload did not report the mapping:\n\(gateway.serverOutput().suffix(2000))")
            #expect(gateway.isAlive)
            #expect(try await gateway.request("GET", "/scim/v2/Users", tenant: "acme").status == 200)
        }
    }

    @Test func aSlowTenantIsAnswered429WithARetryAfterThatFits() async throws {
        let slow = WireTenant("slow", extraYAML: "rateLimit: { perSecond: 0.01, burst: 1 }")
        try await WireGateway.run([slow]) { gateway in
            #expect(try await gateway.request("GET", "/scim/v2/Users", tenant: "slow").status == 200)
            let refused = try await gateway.request("GET", "/scim/v2/Users", tenant: "slow")
            #expect(refused.status == 429)
            // (1 - the few tokens refilled since) / 0.01 per second, rounded up: about 100 s, never 0.
            #expect((90...100).contains(Int(refused.header("Retry-After") ?? "") ?? 0), "\(refused.headers)")
            #expect(gateway.isAlive)
        }
    }

    static func bulk(_ count: Int) -> String {
        let operations = (1...count).map { number in
            #"{"method":"POST","path":"/Users","bulkId":"b\#(number)","data":"# + Wire.user("bulk\(number)")
                + "}"
        }
        return #"{"schemas":["urn:ietf:params:scim:api:messages:2.0:BulkRequest"],"Operations":["#
            + operations.joined(separator: ",") + "]}"
    }

    @Test func bulkBeyondTheBucketIs429AndCreatesNothing() async throws {
        let limited = WireTenant("limited", extraYAML: "rateLimit: { perSecond: 5, burst: 5 }")
        try await WireGateway.run([limited]) { gateway in
            let response = try await gateway.request("POST", "/scim/v2/Bulk", tenant: "limited", body: Self.bulk(50))
            #expect(response.status == 429, "\(response)")
            #expect(Int(response.header("Retry-After") ?? "") ?? 0 >= 1)
            #expect(response.body.contains("50 operations"))
            let users = try await gateway.sql("limited", #"SELECT COUNT(*) FROM "user" WHERE "username" LIKE 'bulk%'"#)
            #expect(users == [[.integer(0)]])
            // Within the bucket, a small Bulk runs every operation.
            try await Task.sleep(for: .seconds(1.2))
            let ran = try await gateway.request("POST", "/scim/v2/Bulk", tenant: "limited", body: Self.bulk(3))
            #expect(ran.status == 200, "\(ran)")
            let created = try await gateway.sql(
                "limited",
                #"SELECT COUNT(*) FROM "user" WHERE "username" LIKE 'bulk%'"#
            )
            #expect(created == [[.integer(3)]])
            #expect(gateway.isAlive)
        }
    }

    @Test func aFloodOf429sLeavesNoLogEntries() async throws {
        let limited = WireTenant("limited", extraYAML: "rateLimit: { perSecond: 0.1, burst: 2 }")
        try await WireGateway.run([limited]) { gateway in
            var statuses: [Int] = []
            for _ in 1...60 {
                statuses.append(try await gateway.request("GET", "/scim/v2/Users", tenant: "limited").status)
            }
            #expect(statuses.filter { $0 == 429 }.count >= 40)
            let entries = try await gateway.logEntries("tenant=limited&limit=10000")
            #expect(entries.count == statuses.filter { $0 != 429 }.count)
            #expect(!entries.contains { $0["status"] == .integer(429) })
            let metrics = try await gateway.request("GET", "/metrics", tenant: nil)
            #expect(metrics.body.contains(#"status="429""#))
        }
    }

    @Test func aHugeBearerTokenIsOnly401() async throws {
        try await WireGateway.run([WireTenant("acme")]) { gateway in
            let token = String(repeating: "A", count: 60_000)
            let response = try await gateway.request(
                "GET",
                "/scim/v2/Users",
                tenant: nil,
                headers: [("Authorization", "Bearer \(token)")]
            )
            #expect(response.status == 401)
            #expect(gateway.isAlive)
            #expect(try await gateway.request("GET", "/scim/v2/Users", tenant: "acme").status == 200)
        }
    }

    @Test(arguments: [false, true])
    func forwardedForIsLoggedOnlyFromATrustedProxy(trusted: Bool) async throws {
        try await WireGateway.run(
            [WireTenant("acme")],
            serveArguments: trusted ? ["--trusted-proxy", "127.0.0.1"] : []
        ) { gateway in
            let response = try await gateway.request(
                "GET",
                "/scim/v2/Users",
                tenant: "acme",
                headers: [("X-Forwarded-For", "203.0.113.7")]
            )
            #expect(response.status == 200)
            let entries = try await gateway.logEntries("tenant=acme")
            #expect(entries.last?["client"]?.stringValue == (trusted ? "203.0.113.7" : "127.0.0.1"))
        }
    }

    @Test func serveRefusesOutOfRangeLimitsOnOneLine() async throws {
        for arguments in [
            ["--header-timeout", "0"], ["--idle-timeout", "1e300"], ["--max-connections", "0"],
            ["--trusted-proxy", "not-an-address"], ["--body-timeout", "nan"],
        ] {
            let result = try await BoundsSupport.command(["serve", "--port", "1"] + arguments)
            #expect(result.status != 0, "\(arguments)")
            #expect(result.stderr.contains(arguments[0]), "\(arguments): \(result)")
        }
    }
}
