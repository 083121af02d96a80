import Foundation
import SCIM
import SQLDrivers
import Testing

/// Every RFC 6749 §5.2 error of the token endpoint, as raw requests to the real executable, and the
/// provisioning log of each decision.
@Suite struct OAuthErrorWireTests {
    @Test func everyErrorCaseOfSection5_2() async throws {
        try await WireGateway.run([WireTenant("acme")]) { gateway in
            let client = try await gateway.createClient("acme", name: "entra-gallery")
            try await gateway.reloadNow()
            let good = "client_id=\(client.id)&client_secret=\(client.secret)"
            let basic = WireGateway.basic(client.id, client.secret)
            let wrongBasic = WireGateway.basic(client.id, "sgwcs_wrong")
            let cases: [(String, String?, String?, Int, String)] = [
                // body, content type, authorization, status, error
                (good, "application/x-www-form-urlencoded", nil, 400, "invalid_request"),  // no grant_type
                (
                    "grant_type=client_credentials&grant_type=client_credentials&" + good,
                    "application/x-www-form-urlencoded", nil, 400, "invalid_request"
                ),
                ("grant_type=client_credentials&" + good, "application/json", nil, 400, "invalid_request"),
                (
                    "grant_type=client_credentials&client_secret=\(client.secret)", "application/x-www-form-urlencoded",
                    basic, 400, "invalid_request"
                ),
                (
                    "grant_type=client_credentials&client_id=cli_other", "application/x-www-form-urlencoded", basic,
                    400, "invalid_request"
                ),
                (
                    "grant_type=password&username=a&password=b&" + good, "application/x-www-form-urlencoded", nil, 400,
                    "unsupported_grant_type"
                ),
                (
                    "grant_type=authorization_code&code=x", "application/x-www-form-urlencoded", basic, 400,
                    "unsupported_grant_type"
                ),
                (
                    "grant_type=client_credentials&scope=admin+scim", "application/x-www-form-urlencoded", basic, 400,
                    "invalid_scope"
                ),
                (
                    "grant_type=client_credentials", "application/x-www-form-urlencoded", wrongBasic, 401,
                    "invalid_client"
                ),
                (
                    "grant_type=client_credentials&client_id=\(client.id)&client_secret=sgwcs_wrong",
                    "application/x-www-form-urlencoded", nil, 401, "invalid_client"
                ),
                (
                    "grant_type=client_credentials&client_id=cli_unknown&client_secret=\(client.secret)",
                    "application/x-www-form-urlencoded", nil, 401, "invalid_client"
                ),
                ("grant_type=client_credentials", "application/x-www-form-urlencoded", nil, 401, "invalid_client"),
                (
                    "grant_type=client_credentials", "application/x-www-form-urlencoded", "Basic !!notbase64", 401,
                    "invalid_client"
                ),
            ]
            for (body, contentType, authorization, status, error) in cases {
                let response = try await gateway.tokenRequest(
                    body,
                    contentType: contentType,
                    authorization: authorization
                )
                let context = "\(body.prefix(60)) [\(contentType ?? "-")]"
                #expect(response.status == status, "\(context)")
                let object = response.json?.objectValue
                #expect(object?["error"]?.stringValue == error, "\(context): \(response.body)")
                #expect(object?["error_description"]?.stringValue?.isEmpty == false, "\(context)")
                #expect(response.header("Cache-Control") == "no-store", "\(context)")
                if status == 401 {
                    #expect(response.header("WWW-Authenticate")?.hasPrefix("Basic") == true, "\(context)")
                }
                #expect(!response.body.contains(client.secret))
            }
            let get = try await gateway.send(
                Array("GET /oauth/token HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".utf8)
            )
            #expect(get.status == 405)
            #expect(get.header("Allow") == "POST")

            // Every decision is logged under the client's name; no secret anywhere in the log.
            let logs = try await gateway.request(
                "GET",
                "/admin/v1/logs?tenant=acme",
                tenant: nil,
                headers: [("Authorization", "Bearer \(gateway.operatorToken)")]
            )
            let entries = try #require(logs.json?.arrayValue).compactMap(\.objectValue)
            let refused = entries.filter { $0["operation"]?.stringValue == "token" && $0["status"] == .integer(401) }
            #expect(refused.count >= 2)
            #expect(refused.allSatisfy { $0["userName"]?.stringValue == "entra-gallery" })
            #expect(refused.contains { $0["detail"]?.stringValue?.contains("does not match") == true })
            #expect(!logs.body.contains(client.secret))
            let all = try await gateway.request(
                "GET",
                "/admin/v1/logs",
                tenant: nil,
                headers: [("Authorization", "Bearer \(gateway.operatorToken)")]
            )
            #expect(all.body.contains("unknown client id"))
            #expect(gateway.isAlive)
        }
    }

    @Test func guessingFromOneAddressIsThrottled() async throws {
        // The addresses below come in X-Forwarded-For, which only a trusted proxy may set.
        try await WireGateway.run([WireTenant("acme")], serveArguments: ["--trusted-proxy", "127.0.0.1"]) { gateway in
            let client = try await gateway.createClient("acme", name: "entra")
            try await gateway.reloadNow()
            var statuses: [Int] = []
            for attempt in 0..<25 {
                let response = try await gateway.tokenRequest(
                    "grant_type=client_credentials&client_id=\(client.id)&client_secret=guess\(attempt)",
                    extraHeaders: ["X-Forwarded-For: 192.0.2.7"]
                )
                statuses.append(response.status)
                if response.status == 429 {
                    #expect(response.header("Retry-After").flatMap(Int.init) ?? 0 >= 1)
                    #expect(response.json?.objectValue?["error"]?.stringValue == "slow_down")
                }
            }
            // Twenty refusals pass; then the address waits (a slow machine may see refills of the
            // bucket, one attempt per 2 s, among the last five).
            #expect(statuses.prefix(20).allSatisfy { $0 == 401 }, "\(statuses)")
            #expect(statuses.allSatisfy { $0 == 401 || $0 == 429 }, "\(statuses)")
            // The bucket refills one attempt per 2 s, so on a slow machine a refill may land among the last
            // attempts: keep guessing until the address waits, then the right secret from it waits too.
            var throttled = statuses.last == 429
            for attempt in 25..<60 where !throttled {
                let response = try await gateway.tokenRequest(
                    "grant_type=client_credentials&client_id=\(client.id)&client_secret=guess\(attempt)",
                    extraHeaders: ["X-Forwarded-For: 192.0.2.7"]
                )
                throttled = response.status == 429
            }
            #expect(throttled, "the address was never throttled: \(statuses)")
            let blocked = try await gateway.tokenRequest(
                "grant_type=client_credentials&client_id=\(client.id)&client_secret=\(client.secret)",
                extraHeaders: ["X-Forwarded-For: 192.0.2.7"]
            )
            // Right after a 429 the address's bucket is empty; only a refill landing in between (one per
            // 2 s) lets the right secret through, which a loaded machine cannot rule out.
            #expect(blocked.status == 429 || blocked.status == 200, "\(blocked)")
            await #expect(try gateway.accessToken(id: client.id, secret: client.secret).isEmpty == false)
        }
    }
}
