import Foundation
import SCIM
import Testing

/// `serve --log-format json`: every process log line is one JSON object, each SCIM request has one with
/// its request id, tenant, operation, status and duration, and no line carries a secret.
@Suite struct WireLogFormatTests {
    @Test func jsonLinesNameEveryRequestAndNoSecret() async throws {
        try await WireGateway.run([WireTenant("acme")], serveArguments: ["--log-format", "json"]) { gateway in
            let password = "Secret-Pw-\(UUID().uuidString)"
            let created = try await gateway.request(
                "POST",
                "/scim/v2/Users",
                tenant: "acme",
                body: Wire.user("ada@example.org", extra: #""password":"\#(password)""#)
            )
            #expect(created.status == 201, "\(created)")
            let refused = try await gateway.request(
                "POST",
                "/scim/v2/Users",
                tenant: "acme",
                body: Wire.user("ada@example.org")
            )
            #expect(refused.status == 409)
            var lines: [JSONObject] = []
            let logged = try await Wire.eventually {
                let text = gateway.serverOutput()
                lines = text.split(separator: "\n").compactMap { try? JSONValue.parse(String($0)).objectValue }
                return lines.filter { $0["message"] == .string("request") }.count >= 2
            }
            #expect(logged, "\(gateway.serverOutput().suffix(2000))")
            let output = gateway.serverOutput()
            for line in output.split(separator: "\n") {
                #expect((try? JSONValue.parse(String(line)).objectValue) != nil, "not a JSON line: \(line)")
            }
            let requests = lines.filter { $0["message"] == .string("request") }
            let statuses = requests.compactMap { $0["status"]?.stringValue }
            #expect(statuses.contains("201") && statuses.contains("409"), "\(requests)")
            for line in requests {
                for key in ["time", "level", "requestId", "tenant", "operation", "status", "durationMs"] {
                    #expect(line[key] != nil, "\(key) missing in \(line)")
                }
                #expect(line["tenant"] == .string("acme"))
            }
            #expect(!output.contains(password) && !output.contains(gateway.token("acme")))
        }
    }
}
