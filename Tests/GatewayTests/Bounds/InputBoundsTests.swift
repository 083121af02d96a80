import Backends
import Foundation
import Hummingbird
import SCIM
import Testing

@testable import Gateway

/// Numbers from clients, operators and tenant files never trap: each is checked or clamped.
@Suite struct InputBoundsTests {
    @Test func rateLimiterAnswersATinyRateWithTheLongestWait() {
        let limiter = TenantRateLimiter()
        let start = ContinuousClock.now
        #expect(limiter.acquire(tenant: "a", perSecond: 1e-300, burst: 1, now: start) == nil)
        #expect(limiter.acquire(tenant: "a", perSecond: 1e-300, burst: 1, now: start) == TenantRateLimiter.maximumWait)
        #expect(limiter.acquire(tenant: "b", perSecond: .nan, burst: 1, now: start) == nil)
        #expect(TenantRateLimiter.wholeSeconds(.infinity) == TenantRateLimiter.maximumWait)
        #expect(TenantRateLimiter.wholeSeconds(0.2) == 1)
    }

    @Test func bulkCostIsTakenAllOrNone() {
        let limiter = TenantRateLimiter()
        let now = ContinuousClock.now
        // Five tokens: a cost of 49 is refused and takes nothing, so five single requests still pass.
        #expect(limiter.acquire(tenant: "a", perSecond: 5, burst: 5, cost: 49, now: now) != nil)
        for _ in 1...5 {
            #expect(limiter.acquire(tenant: "a", perSecond: 5, burst: 5, now: now) == nil)
        }
        #expect(limiter.acquire(tenant: "a", perSecond: 5, burst: 5, now: now) == 1)
        // A cost within the burst waits for exactly the missing tokens.
        #expect(limiter.acquire(tenant: "b", perSecond: 1, burst: 10, cost: 10, now: now) == nil)
        #expect(limiter.acquire(tenant: "b", perSecond: 1, burst: 10, cost: 4, now: now) == 4)
    }

    @Test func logTimesClampInsteadOfTrapping() {
        #expect(ProvisioningLogTime.milliseconds(Date(timeIntervalSince1970: -1e16)) == .min)
        #expect(ProvisioningLogTime.milliseconds(Date(timeIntervalSince1970: 1e17)) == .max)
        #expect(ProvisioningLogTime.milliseconds(Date(timeIntervalSince1970: 1.5)) == 1500)
    }

    @Test(arguments: ["10000000000000000s", "99999999999999999999d", "36601d", "5300w"])
    func sinceBeyondACenturyIsRefused(_ text: String) {
        #expect(throws: ProvisioningLogError.self) { try SinceParser.parse(text, now: Date()) }
    }

    @Test func sinceWithinACenturyIsAccepted() throws {
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        #expect(try SinceParser.parse("36600d", now: now) == now.addingTimeInterval(-36600 * 86_400))
    }

    @Test(arguments: [
        (["since": "10000000000000000s"], "since"),
        (["limit": "0"], "limit"),
        (["limit": "99999999999999999999999"], "limit"),
        (["limit": "ten"], "limit"),
        (["failed": "maybe"], "failed"),
        (["tenant": "../etc"], "tenant"),
        (["user": String(repeating: "x", count: 300)], "user"),
    ])
    func badAdminLogParametersAre400(_ items: [String: String], _ parameter: String) {
        do {
            _ = try AdminQuery.logQuery(items)
            Issue.record("accepted \(items)")
        } catch let error as SCIMError {
            #expect(error.status == 400)
            #expect(error.scimType == .invalidValue)
            #expect(error.detail.hasPrefix("Query parameter \(parameter):"))
        } catch {
            Issue.record("unexpected \(error)")
        }
    }

    @Test func goodAdminLogParametersMakeTheQuery() throws {
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        let query = try AdminQuery.logQuery(
            ["tenant": "acme", "failed": "true", "user": "ada", "limit": "25", "since": "1h"],
            now: now
        )
        #expect(
            query == ProvisioningLogQuery(tenant: "acme", since: now - 3600, failedOnly: true, user: "ada", limit: 25)
        )
    }

    @Test func tableStripsControlCharacters() {
        let hostile = "ada\u{1B}[31mred\u{1B}[0m\u{7}\u{9B}2J\u{202E}\nnext"
        #expect(hostile.printable() == "ada[31mred[0m2J next")
        var entry = makeEntry(1)
        entry.userName = hostile
        let table = ProvisioningLogTable.render([entry])
        #expect(!table.unicodeScalars.contains { $0.value == 0x1B || $0.value == 0x9B || $0.value == 0x07 })
    }

    @Test func bearerTokensLongerThanTheLimitAreNotLookedAt() {
        let long = "Bearer " + String(repeating: "a", count: BearerAuthMiddleware.maximumTokenLength + 100)
        #expect(BearerAuthMiddleware.bearerToken(long) == nil)
        #expect(BearerAuthMiddleware.bearerToken("Bearer sgw_abc") == "sgw_abc")
    }

    @Test func forwardedForCountsOnlyFromATrustedProxy() throws {
        func request(forwardedFor: String) -> Request {
            var fields = HTTPFields()
            fields[ClientAddress.forwardedFor] = forwardedFor
            return Request(
                head: HTTPRequest(method: .get, scheme: "http", authority: "x", path: "/", headerFields: fields),
                body: .init(buffer: .init())
            )
        }
        let forwarded = request(forwardedFor: "203.0.113.9, 10.0.0.1")
        #expect(ClientAddress.of(forwarded, peer: "192.0.2.1", trustedProxies: []) == "192.0.2.1")
        #expect(ClientAddress.of(forwarded, peer: "10.0.0.2", trustedProxies: ["10.0.0.2"]) == "203.0.113.9")
        let hostile = request(forwardedFor: "\u{1B}[31m")
        #expect(ClientAddress.of(hostile, peer: "10.0.0.2", trustedProxies: ["10.0.0.2"]) == "10.0.0.2")
    }
}
