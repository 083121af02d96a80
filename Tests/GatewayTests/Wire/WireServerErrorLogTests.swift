import Foundation
import Testing

/// Every answer of 500 or 503 leaves exactly one `request failed` line in the process log, naming the request
/// and the error, while the client sees only the generic detail.
@Suite struct WireServerErrorLogTests {
    @Test func eachServerErrorIsLoggedOnceWithItsError() async throws {
        try await WireGateway.run([WireTenant("acme"), WireTenant("globex", store: "other")]) { gateway in
            try await Wire.createUser(gateway, "acme", "ada@example.org")
            _ = try await gateway.sql("acme", "DROP TABLE \"user\"")
            let failed = try await gateway.request(
                "GET",
                "/scim/v2/Users?filter=userName+eq+%22ada%40example.org%22",
                tenant: "acme",
                headers: [("X-Request-ID", "wire-internal-1")]
            )
            #expect(failed.status == 500, "\(failed)")
            #expect(failed.body.contains("The server could not complete the request."))
            #expect(!failed.body.lowercased().contains("no such table"))

            // The tenant's database moves away (its folder is gone): the store is unavailable.
            let file = gateway.configDirectory + "/globex.yaml"
            let yaml = try String(contentsOfFile: file, encoding: .utf8)
            let moved = yaml.split(separator: "\n", omittingEmptySubsequences: false).map { line in
                line.trimmingCharacters(in: .whitespaces).hasPrefix("path:")
                    ? "  path: \(gateway.root)/gone/portal.sqlite" : String(line)
            }
            try Data(moved.joined(separator: "\n").utf8).write(to: URL(fileURLWithPath: file))
            let reloaded = try await gateway.request("POST", "/admin/v1/reload", tenant: "operator")
            #expect(reloaded.status == 200, "\(reloaded)")
            let unavailable = try await gateway.request(
                "GET",
                "/scim/v2/Users",
                tenant: "globex",
                headers: [("X-Request-ID", "wire-unavailable-1")]
            )
            #expect(unavailable.status == 503, "\(unavailable)\n\(gateway.serverOutput().suffix(1500))")

            func failures(_ id: String) -> [Substring] {
                gateway.serverOutput().split(separator: "\n").filter {
                    $0.contains("request failed") && $0.contains(id)
                }
            }
            let logged = try await Wire.eventually {
                !failures("wire-internal-1").isEmpty && !failures("wire-unavailable-1").isEmpty
            }
            #expect(logged, "\(gateway.serverOutput().suffix(3000))")
            let internalFailures = failures("wire-internal-1")
            #expect(internalFailures.count == 1, "\(internalFailures)")
            #expect(internalFailures.first?.contains("SCIM error 500") == true, "\(internalFailures)")
            // The server's own message, which the client never sees, is in the log line.
            #expect(internalFailures.first?.contains("no such table") == true, "\(internalFailures)")
            let unreachable = failures("wire-unavailable-1")
            #expect(unreachable.count == 1, "\(unreachable)")
            #expect(unreachable.first?.contains("SCIM error 503") == true, "\(unreachable)")
            #expect(unreachable.first?.contains("unable to open") == true, "\(unreachable)")
            for line in internalFailures + unreachable {
                #expect(!line.contains(gateway.token("acme")))
            }
        }
    }
}
