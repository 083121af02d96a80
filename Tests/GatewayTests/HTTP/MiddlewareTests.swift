import Foundation
import Gateway
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import SCIM
import Tenants
import Testing

/// A gateway application over stub tenants and an in-memory log store.
struct StubGateway {
    let store = MemoryLogStore()
    let log: ProvisioningLog
    let tenants: StubTenants

    init(rateLimit: RateLimit = .default) throws {
        log = ProvisioningLog(
            store: store,
            spool: ProvisioningLogSpool(path: try temporaryDirectory() + "/spool.jsonl"),
            configuration: .init(flushInterval: .seconds(3600), retentionDays: nil),
            logger: Logger(label: "test")
        )
        tenants = StubTenants.make(rateLimit: rateLimit)
    }

    func test(_ body: @Sendable (any TestClientProtocol) async throws -> Void) async throws {
        let app = buildApplication(tenants: tenants, provisioningLog: log, logger: Logger(label: "test"))
        try await app.test(.router, body)
    }
}

let scimJSON = "application/scim+json"

func authorized(_ extra: HTTPFields = [:]) -> HTTPFields {
    var headers = extra
    headers[.authorization] = "Bearer sgw_good"
    return headers
}

/// The SCIM error body of a response, checking the error schema and status string.
func scimErrorBody(_ response: TestResponse, status: Int) throws -> [String: Any] {
    #expect(response.status.code == status)
    #expect(response.headers[.contentType] == scimJSON)
    let object = try #require(
        try JSONSerialization.jsonObject(with: Data(response.body.readableBytesView)) as? [String: Any]
    )
    #expect(object["schemas"] as? [String] == [SCIMSchemaURI.error])
    #expect(object["status"] as? String == String(status))
    #expect(object["detail"] is String)
    return object
}

@Suite struct MiddlewareTests {
    @Test func missingTokenIs401WithWWWAuthenticate() async throws {
        try await StubGateway().test { client in
            let response = try await client.execute(uri: "/scim/v2/Users", method: .get)
            _ = try scimErrorBody(response, status: 401)
            #expect(response.headers[.wwwAuthenticate]?.hasPrefix("Bearer") == true)
        }
    }

    @Test func unknownTokenIs401() async throws {
        try await StubGateway().test { client in
            var headers = HTTPFields()
            headers[.authorization] = "Bearer sgw_unknown"
            let response = try await client.execute(uri: "/api/scim/v2/Users", method: .get, headers: headers)
            _ = try scimErrorBody(response, status: 401)
            #expect(response.headers[.wwwAuthenticate]?.hasPrefix("Bearer") == true)
        }
    }

    @Test(arguments: ["/scim/v2/Nothing", "/scim/v2/Users/1/extra", "/nowhere"])
    func unknownPathsAreSCIM404(_ path: String) async throws {
        try await StubGateway().test { client in
            let response = try await client.execute(uri: path, method: .get, headers: authorized())
            _ = try scimErrorBody(response, status: 404)
        }
    }

    @Test func absentResourceIs404FromTheBackend() async throws {
        try await StubGateway().test { client in
            let response = try await client.execute(uri: "/scim/v2/Users/42", method: .get, headers: authorized())
            let body = try scimErrorBody(response, status: 404)
            #expect((body["detail"] as? String)?.contains("42") == true)
        }
    }

    @Test func wrongContentTypeIs415() async throws {
        try await StubGateway().test { client in
            var headers = authorized()
            headers[.contentType] = "text/plain"
            let response = try await client.execute(
                uri: "/scim/v2/Users",
                method: .post,
                headers: headers,
                body: ByteBuffer(string: "{}")
            )
            _ = try scimErrorBody(response, status: 415)
        }
    }

    @Test func oversizedBodyIs413NamingTheLimit() async throws {
        try await StubGateway().test { client in
            var headers = authorized()
            headers[.contentType] = scimJSON
            let big = "{\"userName\":\"" + String(repeating: "x", count: BodyLimits.standard) + "\"}"
            let response = try await client.execute(
                uri: "/scim/v2/Users",
                method: .post,
                headers: headers,
                body: ByteBuffer(string: big)
            )
            let body = try scimErrorBody(response, status: 413)
            #expect((body["detail"] as? String)?.contains("1 MiB") == true)
        }
    }

    @Test func passwordToABackendThatCannotChangePasswordsIs400() async throws {
        try await StubGateway().test { client in
            var headers = authorized()
            headers[.contentType] = "application/json; charset=utf-8"
            let response = try await client.execute(
                uri: "/scim/v2/Users",
                method: .post,
                headers: headers,
                body: ByteBuffer(string: #"{"userName":"bob","password":"Secret-1234"}"#)
            )
            let body = try scimErrorBody(response, status: 400)
            #expect(body["scimType"] as? String == "invalidValue")
            #expect((body["detail"] as? String)?.contains("password") == true)
            #expect((body["detail"] as? String)?.contains("Secret-1234") == false)
        }
    }

    @Test func groupsAreAbsentWhenTheBackendHasNone() async throws {
        try await StubGateway().test { client in
            let response = try await client.execute(uri: "/scim/v2/Groups", method: .get, headers: authorized())
            _ = try scimErrorBody(response, status: 404)
        }
    }

    @Test func discoveryWritesAre405WithAllow() async throws {
        try await StubGateway().test { client in
            var headers = authorized()
            headers[.contentType] = scimJSON
            let response = try await client.execute(
                uri: "/scim/v2/Schemas",
                method: .post,
                headers: headers,
                body: ByteBuffer(string: "{}")
            )
            _ = try scimErrorBody(response, status: 405)
            #expect(response.headers[.allow] == "GET")
        }
    }

    @Test func rateLimitAnswers429WithRetryAfter() async throws {
        try await StubGateway(rateLimit: RateLimit(perSecond: 0.001, burst: 1)).test { client in
            let first = try await client.execute(uri: "/scim/v2/Users", method: .get, headers: authorized())
            #expect(first.status == .ok)
            let second = try await client.execute(uri: "/scim/v2/Users", method: .get, headers: authorized())
            _ = try scimErrorBody(second, status: 429)
            #expect(second.headers[.retryAfter].flatMap(Int.init).map { $0 >= 1 } == true)
        }
    }

    @Test func healthAndMetricsAreOpen() async throws {
        try await StubGateway().test { client in
            let health = try await client.execute(uri: "/healthz", method: .get)
            #expect(health.status == .ok)
            #expect(String(buffer: health.body) == "ok\n")
            _ = try await client.execute(uri: "/scim/v2/Users", method: .get, headers: authorized())
            let metrics = try await client.execute(uri: "/metrics", method: .get)
            #expect(metrics.status == .ok)
            let text = String(buffer: metrics.body)
            #expect(text.contains("scim_gateway_requests_total"))
            #expect(text.contains("tenant=\"acme\""))
            let ready = try await client.execute(uri: "/readyz", method: .get)
            #expect(ready.status == .ok)
        }
    }

    @Test func requestIDIsEchoedOrMade() async throws {
        try await StubGateway().test { client in
            var headers = HTTPFields()
            headers[RequestIDMiddleware.header] = "abc-123"
            let echoed = try await client.execute(uri: "/healthz", method: .get, headers: headers)
            #expect(echoed.headers[RequestIDMiddleware.header] == "abc-123")
            let made = try await client.execute(uri: "/scim/v2/Users", method: .get)
            #expect(made.headers[RequestIDMiddleware.header]?.isEmpty == false)
        }
    }

    @Test func oneLogEntryPerTenantRequestAndNoneWithoutTenant() async throws {
        let gateway = try StubGateway()
        try await gateway.test { client in
            _ = try await client.execute(uri: "/scim/v2/Users", method: .get)
            var headers = authorized()
            headers[RequestIDMiddleware.header] = "req-log-1"
            _ = try await client.execute(uri: "/scim/v2/Users/7", method: .get, headers: headers)
        }
        await gateway.log.flush()
        let entries = gateway.store.entries
        #expect(entries.count == 1)
        let entry = try #require(entries.first)
        #expect(entry.requestId == "req-log-1")
        #expect(entry.tenant == "acme")
        #expect(entry.tokenId == "tok_1")
        #expect(entry.method == "GET")
        #expect(entry.path == "/scim/v2/Users/7")
        #expect(entry.operation == "get")
        #expect(entry.resourceType == "User")
        #expect(entry.resourceId == "7")
        #expect(entry.status == 404)
        #expect(entry.detail?.contains("7") == true)
    }

    @Test func adminAPINeedsTheAdminToken() async throws {
        try await StubGateway().test { client in
            let denied = try await client.execute(uri: "/admin/v1/tenants", method: .get, headers: authorized())
            _ = try scimErrorBody(denied, status: 401)
            var headers = HTTPFields()
            headers[.authorization] = "Bearer admin-secret"
            let allowed = try await client.execute(uri: "/admin/v1/tenants", method: .get, headers: headers)
            #expect(allowed.status == .ok)
            #expect(String(buffer: allowed.body).contains("\"acme\""))
        }
    }
}
