import Foundation
import Hummingbird
import SCIM
import Synchronization
import Tenants

/// A token bucket per tenant: `perSecond` tokens flow in, at most `burst` wait. A request takes one
/// token, a Bulk request one per operation; an empty bucket is a 429 with `Retry-After`.
public final class TenantRateLimiter: Sendable {
    private struct Bucket {
        var tokens: Double
        var updated: ContinuousClock.Instant
    }

    /// The longest `Retry-After` answered, in seconds; a slower refill still answers this.
    public static let maximumWait = 3600

    private let buckets = Locked<[String: Bucket]>([:])

    /// An empty set of buckets.
    public init() {}

    /// Takes `cost` tokens from the tenant's bucket, all or none; answers the whole seconds to wait
    /// (1 to ``maximumWait``) when fewer are there. A cost above `burst` can never be met: it is
    /// answered with the wait for a full bucket, and takes nothing.
    public func acquire(
        tenant: String,
        perSecond: Double,
        burst: Int,
        cost: Int = 1,
        now: ContinuousClock.Instant = .now
    ) -> Int? {
        let rate = perSecond.isFinite && perSecond > 0 ? perSecond : RateLimit.default.perSecond
        let capacity = Double(max(1, burst))
        let wanted = Double(max(1, cost))
        return buckets.withLock { buckets -> Int? in
            var bucket = buckets[tenant] ?? Bucket(tokens: capacity, updated: now)
            let elapsed = bucket.updated.duration(to: now)
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
            bucket.tokens = min(capacity, bucket.tokens + max(0, seconds) * rate)
            bucket.updated = now
            defer { buckets[tenant] = bucket }
            if wanted <= bucket.tokens {
                bucket.tokens -= wanted
                return nil
            }
            return Self.wholeSeconds((min(wanted, capacity) - bucket.tokens) / rate)
        }
    }

    /// Seconds rounded up into 1...maximumWait, without a conversion that could trap.
    static func wholeSeconds(_ seconds: Double) -> Int {
        guard seconds.isFinite, seconds < Double(maximumWait) else { return maximumWait }
        return max(1, Int(seconds.rounded(.up)))
    }
}

/// Applies each tenant's rate limit (default 100/s, burst 200) to its SCIM requests.
public struct RateLimitMiddleware: RouterMiddleware {
    public typealias Context = GatewayRequestContext

    let limiter: TenantRateLimiter

    /// Limits with `limiter`.
    public init(limiter: TenantRateLimiter) {
        self.limiter = limiter
    }

    public func handle(
        _ request: Request,
        context: Context,
        next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        guard let tenant = context.facts.tenant?.tenant else {
            return try await next(request, context)
        }
        if let wait = limiter.acquire(
            tenant: tenant.id,
            perSecond: tenant.rateLimit.perSecond,
            burst: tenant.rateLimit.burst
        ) {
            throw Self.tooManyRequests(tenant.rateLimit, wait: wait)
        }
        return try await next(request, context)
    }

    /// The 429 for a tenant over its rate.
    static func tooManyRequests(_ limit: RateLimit, wait: Int, detail: String? = nil) -> SCIMError {
        SCIMError(
            status: 429,
            detail: (detail.map { $0 + " " } ?? "")
                + "Too many requests for this tenant (limit \(rate(limit.perSecond)) per second, "
                + "burst \(limit.burst)); retry after \(wait) s.",
            retryAfter: wait
        )
    }

    /// A rate as a person writes it: `100`, `0.5`.
    static func rate(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e12 ? String(Int64(value)) : String(value)
    }
}
