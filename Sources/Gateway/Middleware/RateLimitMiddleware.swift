import Foundation
import Hummingbird
import SCIM
import Synchronization
import Tenants

/// A token bucket per tenant: `perSecond` tokens flow in, at most `burst` wait. An empty bucket is a
/// 429 with `Retry-After`.
public final class TenantRateLimiter: Sendable {
    private struct Bucket {
        var tokens: Double
        var updated: ContinuousClock.Instant
    }

    private let buckets = Mutex<[String: Bucket]>([:])

    /// An empty set of buckets.
    public init() {}

    /// Takes one token from the tenant's bucket; answers the seconds to wait when it is empty.
    public func acquire(tenant: String, perSecond: Double, burst: Int, now: ContinuousClock.Instant = .now) -> Int? {
        let rate = perSecond > 0 ? perSecond : 100
        let capacity = Double(max(1, burst))
        return buckets.withLock { buckets -> Int? in
            var bucket = buckets[tenant] ?? Bucket(tokens: capacity, updated: now)
            let elapsed = bucket.updated.duration(to: now)
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
            bucket.tokens = min(capacity, bucket.tokens + max(0, seconds) * rate)
            bucket.updated = now
            defer { buckets[tenant] = bucket }
            if bucket.tokens >= 1 {
                bucket.tokens -= 1
                return nil
            }
            return max(1, Int(((1 - bucket.tokens) / rate).rounded(.up)))
        }
    }

    /// Forgets tenants no longer served.
    public func retain(tenants: Set<String>) {
        buckets.withLock { buckets in
            buckets = buckets.filter { tenants.contains($0.key) }
        }
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
            throw SCIMError(
                status: 429,
                detail:
                    "Too many requests for this tenant (limit \(Self.rate(tenant.rateLimit.perSecond)) per second); "
                    + "retry after \(wait) s.",
                retryAfter: wait
            )
        }
        return try await next(request, context)
    }

    /// A rate as a person writes it: `100`, `0.5`.
    static func rate(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e12 ? String(Int64(value)) : String(value)
    }
}
