import Foundation
import Testing

@testable import Gateway

@Suite struct TokenRequestTests {
    private let form = "application/x-www-form-urlencoded"

    private func parse(
        _ body: String,
        contentType: String? = "application/x-www-form-urlencoded",
        authorization: String? = nil
    )
        -> Result<TokenRequest, OAuthError>
    {
        TokenRequest.parse(body: Array(body.utf8), contentType: contentType, authorization: authorization)
    }

    private func basic(_ id: String, _ secret: String) -> String {
        "Basic " + Data("\(id):\(secret)".utf8).base64EncodedString()
    }

    private func code(_ result: Result<TokenRequest, OAuthError>) -> String? {
        if case .failure(let error) = result { return error.code }
        return nil
    }

    @Test func acceptsFormCredentials() throws {
        let request = try parse("grant_type=client_credentials&client_id=cli_1&client_secret=s%2Bx+y").get()
        #expect(request == TokenRequest(clientID: "cli_1", clientSecret: "s+x y", usedBasic: false))
        // A broken escape stays as sent (WHATWG form decoding), so it is simply a wrong secret.
        let broken = try parse("grant_type=client_credentials&client_id=cli_1&client_secret=b%zz").get()
        #expect(broken.clientSecret == "b%zz")
    }

    @Test func acceptsBasicCredentialsFormEncodedInside() throws {
        // RFC 6749 §2.3.1: id and secret are form-urlencoded before they go into Basic.
        let request = try parse("grant_type=client_credentials", authorization: basic("cli_1", "a%3Ab+c")).get()
        #expect(request == TokenRequest(clientID: "cli_1", clientSecret: "a:b c", usedBasic: true))
        let withID = try parse("grant_type=client_credentials&client_id=cli_1", authorization: basic("cli_1", "s"))
            .get()
        #expect(withID.usedBasic)
        let scoped = try parse("grant_type=client_credentials&scope=scim", authorization: basic("cli_1", "s")).get()
        #expect(scoped.clientID == "cli_1")
    }

    @Test func everyMalformedRequestIsInvalidRequest() {
        let cases: [(String, String?, String?)] = [
            ("grant_type=client_credentials&client_id=a&client_secret=b", "application/json", nil),
            ("grant_type=client_credentials&client_id=a&client_secret=b", nil, nil),
            ("client_id=a&client_secret=b", form, nil),
            ("grant_type=client_credentials&grant_type=client_credentials&client_id=a&client_secret=b", form, nil),
            ("grant_type=client_credentials&client_secret=b", form, basic("a", "b")),
            ("grant_type=client_credentials&client_id=other", form, basic("a", "b")),
            ("grant_type=client_credentials", form, "Bearer sgw_x"),
            (String(repeating: "a", count: 9000), form, nil),
        ]
        for (body, contentType, authorization) in cases {
            #expect(
                code(parse(body, contentType: contentType, authorization: authorization)) == "invalid_request",
                "\(body.prefix(80))"
            )
        }
    }

    @Test func otherGrantTypesScopesAndMissingCredentials() {
        #expect(code(parse("grant_type=password&username=a&password=b")) == "unsupported_grant_type")
        #expect(code(parse("grant_type=authorization_code&code=x")) == "unsupported_grant_type")
        #expect(code(parse("grant_type=client_credentials&scope=admin&client_id=a&client_secret=b")) == "invalid_scope")
        #expect(code(parse("grant_type=client_credentials")) == "invalid_client")
        #expect(code(parse("grant_type=client_credentials&client_id=a")) == "invalid_client")
        #expect(code(parse("grant_type=client_credentials", authorization: "Basic !!!")) == "invalid_client")
        #expect(code(parse("grant_type=client_credentials", authorization: basic("", ""))) == "invalid_client")
        // An empty parameter counts as omitted (RFC 6749 §3.2).
        #expect(code(parse("grant_type=client_credentials&client_id=a&client_secret=")) == "invalid_client")
    }

    @Test func theLimiterCountsRefusalsPerAddressAndPerClient() {
        let limiter = TokenAttemptLimiter(
            perClientFailures: .init(perSecond: 1, burst: 4),
            perAddressFailures: .init(perSecond: 1, burst: 3)
        )
        let now = ContinuousClock.now
        for _ in 0..<3 {
            #expect(limiter.addressWait("192.0.2.1", now: now) == nil)
            limiter.recordFailure(address: "192.0.2.1", clientID: "cli_1", now: now)
        }
        #expect(limiter.addressWait("192.0.2.1", now: now) == 1)
        #expect(limiter.addressWait("192.0.2.2", now: now) == nil)
        #expect(limiter.clientWait("cli_1", now: now) == nil)
        limiter.recordFailure(address: "192.0.2.2", clientID: "cli_1", now: now)
        #expect(limiter.clientWait("cli_1", now: now) == 1)
        #expect(limiter.clientWait("cli_2", now: now) == nil)
        #expect(limiter.clientWait("cli_1", now: now.advanced(by: .seconds(1))) == nil)
        #expect(limiter.addressWait("192.0.2.1", now: now.advanced(by: .seconds(1))) == nil)
    }
}

@Suite struct TokenRequestRobustnessTests {
    @Test func arbitraryBodiesAndHeadersNeverCrash() {
        var generator = SystemRandomNumberGenerator()
        let pieces = [
            "grant_type", "client_credentials", "client_id", "client_secret", "scope", "=", "&", "%", "+", "%41",
            "\u{0}", "é", "%ff%fe",
        ]
        for _ in 0..<2000 {
            let body = (0..<Int.random(in: 0...20, using: &generator)).map { _ in
                pieces[Int.random(in: 0..<pieces.count, using: &generator)]
            }.joined()
            let header = Bool.random(using: &generator) ? "Basic " + Data(body.utf8).base64EncodedString() : body
            let result = TokenRequest.parse(
                body: Array(body.utf8),
                contentType: "application/x-www-form-urlencoded",
                authorization: Bool.random(using: &generator) ? header : nil
            )
            switch result {
            case .success(let request):
                #expect(!request.clientID.isEmpty && !request.clientSecret.isEmpty, "\(body)")
                #expect(body.contains("grant_type=client_credentials"), "\(body)")
            case .failure(let error):
                #expect([400, 401].contains(error.status), "\(body)")
            }
        }
    }
}
