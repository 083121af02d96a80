import SCIM
import Synchronization

/// Token buckets against guessing at `/oauth/token`: every refused request costs its source address
/// one token and its client id one token; an empty bucket answers 429 until it refills, whatever the
/// credentials. Only refusals count, so the many tenants behind one identity provider's shared egress
/// address are not throttled by each other's healthy traffic, and the per-client bucket is three times
/// larger than the per-address one, so one address guessing at a client locks out itself, not the client.
public final class TokenAttemptLimiter: Sendable {
    /// A bucket's size and refill rate.
    public struct Limit: Sendable, Hashable {
        /// Tokens refilled per second.
        public var perSecond: Double
        /// The bucket size.
        public var burst: Double

        /// Makes a limit.
        public init(perSecond: Double, burst: Double) {
            self.perSecond = perSecond
            self.burst = burst
        }
    }

    private struct Bucket {
        var tokens: Double
        var updated: ContinuousClock.Instant
    }

    /// Refused requests per client id: 60 at once, then one a second.
    public let perClientFailures: Limit
    /// Refused requests per source address: 20 at once, then one every 2 seconds.
    public let perAddressFailures: Limit
    private let buckets = Locked<[String: Bucket]>([:])
    /// More keys than this and full buckets are forgotten (they equal a fresh one).
    private let maximumKeys = 100_000

    /// Makes a limiter.
    public init(
        perClientFailures: Limit = Limit(perSecond: 1, burst: 60),
        perAddressFailures: Limit = Limit(perSecond: 0.5, burst: 20)
    ) {
        self.perClientFailures = perClientFailures
        self.perAddressFailures = perAddressFailures
    }

    /// Seconds to wait when the address has used up its failures; `nil` when it may try.
    public func addressWait(_ address: String, now: ContinuousClock.Instant = .now) -> Int? {
        wait(key: "address:" + address, limit: perAddressFailures, take: false, now: now)
    }

    /// Seconds to wait when the client id has used up its failures; `nil` when it may try.
    public func clientWait(_ clientID: String, now: ContinuousClock.Instant = .now) -> Int? {
        wait(key: "client:" + clientID, limit: perClientFailures, take: false, now: now)
    }

    /// Records a refused request from the address, for the client id when one was named.
    public func recordFailure(address: String, clientID: String?, now: ContinuousClock.Instant = .now) {
        _ = wait(key: "address:" + address, limit: perAddressFailures, take: true, now: now)
        if let clientID {
            _ = wait(key: "client:" + clientID, limit: perClientFailures, take: true, now: now)
        }
    }

    private func wait(key: String, limit: Limit, take: Bool, now: ContinuousClock.Instant) -> Int? {
        buckets.withLock { buckets -> Int? in
            if buckets.count > maximumKeys { prune(&buckets, now: now) }
            var bucket = buckets[key] ?? Bucket(tokens: limit.burst, updated: now)
            bucket.tokens = refilled(bucket, limit: limit, now: now)
            bucket.updated = now
            defer { buckets[key] = bucket }
            guard bucket.tokens >= 1 else {
                return max(1, Int(((1 - bucket.tokens) / limit.perSecond).rounded(.up)))
            }
            if take { bucket.tokens -= 1 }
            return nil
        }
    }

    private func refilled(_ bucket: Bucket, limit: Limit, now: ContinuousClock.Instant) -> Double {
        let elapsed = bucket.updated.duration(to: now)
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        return min(limit.burst, bucket.tokens + max(0, seconds) * limit.perSecond)
    }

    private func prune(_ buckets: inout [String: Bucket], now: ContinuousClock.Instant) {
        buckets = buckets.filter { key, bucket in
            let limit = key.hasPrefix("client:") ? perClientFailures : perAddressFailures
            return refilled(bucket, limit: limit, now: now) < limit.burst
        }
    }
}
