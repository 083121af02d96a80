import Synchronization

/// Token buckets against guessing at `/oauth/token`: every request costs its client id one token,
/// and every refused request costs its source address one. An empty bucket answers 429 until it
/// refills. Failures only count against an address, so the many tenants behind one identity
/// provider's shared egress address are not throttled by each other's healthy traffic.
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

    /// Per client id: 20 at once, then one every 3 seconds (a client needs one token an hour).
    public let perClient: Limit
    /// Refused requests per source address: 20 at once, then one every 2 seconds.
    public let perAddressFailures: Limit
    private let buckets = Mutex<[String: Bucket]>([:])
    /// More keys than this and full buckets are forgotten (they equal a fresh one).
    private let maximumKeys = 100_000

    /// Makes a limiter.
    public init(
        perClient: Limit = Limit(perSecond: 1.0 / 3, burst: 20),
        perAddressFailures: Limit = Limit(perSecond: 0.5, burst: 20)
    ) {
        self.perClient = perClient
        self.perAddressFailures = perAddressFailures
    }

    /// Seconds to wait when the address has used up its failures; `nil` when it may try.
    public func addressWait(_ address: String, now: ContinuousClock.Instant = .now) -> Int? {
        wait(key: "address:" + address, limit: perAddressFailures, take: false, now: now)
    }

    /// Records a refused request from the address.
    public func recordFailure(address: String, now: ContinuousClock.Instant = .now) {
        _ = wait(key: "address:" + address, limit: perAddressFailures, take: true, now: now)
    }

    /// Takes one token for the client id; answers the seconds to wait when there is none.
    public func takeClient(_ clientID: String, now: ContinuousClock.Instant = .now) -> Int? {
        wait(key: "client:" + clientID, limit: perClient, take: true, now: now)
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
            let limit = key.hasPrefix("client:") ? perClient : perAddressFailures
            return refilled(bucket, limit: limit, now: now) < limit.burst
        }
    }
}
