import Foundation
import SCIM
import Tenants

/// Token-endpoint requests as raw bytes, and OAuth clients made with the real CLI.
extension WireGateway {
    /// `POST /oauth/token` with exactly these headers and body on a new socket.
    func tokenRequest(
        _ body: String,
        contentType: String? = "application/x-www-form-urlencoded",
        authorization: String? = nil,
        extraHeaders: [String] = []
    ) async throws -> RawHTTPResponse {
        var head = "POST /oauth/token HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nConnection: close\r\n"
        if let contentType { head += "Content-Type: \(contentType)\r\n" }
        if let authorization { head += "Authorization: \(authorization)\r\n" }
        for header in extraHeaders { head += header + "\r\n" }
        head += "Content-Length: \(body.utf8.count)\r\n\r\n"
        return try await send(Array((head + body).utf8))
    }

    /// A client made by `clients create`: its id (line 1) and secret (line 2).
    func createClient(_ tenant: String, name: String, extra: [String] = []) async throws -> (id: String, secret: String)
    {
        let result = try await cli(["clients", "create", "--tenant", tenant, "--name", name] + extra)
        let lines = result.stdout.split(separator: "\n").map(String.init)
        guard result.status == 0, lines.count == 2 else {
            throw WireOAuthError("clients create failed (\(result.status)): \(result.stdout) \(result.stderr)")
        }
        return (lines[0], lines[1])
    }

    /// An access token for the client, by HTTP Basic.
    func accessToken(id: String, secret: String) async throws -> String {
        let response = try await tokenRequest("grant_type=client_credentials", authorization: Self.basic(id, secret))
        guard response.status == 200, let token = response.json?.objectValue?["access_token"]?.stringValue else {
            throw WireOAuthError("the token endpoint answered \(response.status): \(response.body)")
        }
        return token
    }

    /// The status of `GET /scim/v2/Users?count=1` with `Authorization: Bearer <token>`.
    func usersStatus(bearer token: String) async throws -> Int {
        try await request("GET", "/scim/v2/Users?count=1", tenant: nil, headers: [("Authorization", "Bearer \(token)")])
            .status
    }

    /// Asks the gateway to reload tenants.d now (the admin API), so a test need not wait for the poll.
    func reloadNow() async throws {
        let response = try await request(
            "POST",
            "/admin/v1/reload",
            tenant: nil,
            headers: [("Authorization", "Bearer \(operatorToken)")]
        )
        guard response.status == 200 else { throw WireOAuthError("reload answered \(response.status)") }
    }

    /// Polls until `condition` holds or `seconds` pass; answers the seconds it took, or `nil`.
    func waitUntil(seconds: Double, _ condition: () async throws -> Bool) async throws -> Double? {
        let start = ContinuousClock.now
        while start.duration(to: .now) < .seconds(seconds) {
            if try await condition() {
                let elapsed = start.duration(to: .now).components
                return Double(elapsed.seconds) + Double(elapsed.attoseconds) / 1e18
            }
            try await Task.sleep(for: .milliseconds(100))
        }
        return nil
    }

    /// HTTP Basic credentials with id and secret form-encoded inside (RFC 6749 §2.3.1).
    static func basic(_ id: String, _ secret: String) -> String {
        "Basic " + Data("\(id):\(secret)".utf8).base64EncodedString()
    }
}

struct WireOAuthError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
