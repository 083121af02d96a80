import Foundation
import SCIM
import Synchronization

/// Per tenant, how many SCIM requests this node answered and how many failed (status 400 or above),
/// in minute buckets over the last 24 hours, and when the last one arrived: the failure ratios over
/// 1 h and 24 h that `/metrics` publishes and that show a tenant heading for an identity provider's
/// quarantine. Memory is bounded: 1,440 buckets per tenant, tenants that no longer exist are dropped.
public final class TenantActivity: Sendable {
    /// What one tenant did over a window.
    public struct Summary: Sendable, Hashable {
        public var requests: Int
        public var failures: Int
        /// failures ÷ requests; 0 without requests.
        public var failureRatio: Double { requests == 0 ? 0 : Double(failures) / Double(requests) }
    }

    static let minutes = 24 * 60

    private struct Buckets {
        var requests = [Int](repeating: 0, count: TenantActivity.minutes)
        var failures = [Int](repeating: 0, count: TenantActivity.minutes)
        /// The minute (since 1970) each slot holds; a slot of another minute counts as empty.
        var minuteOfSlot = [Int64](repeating: -1, count: TenantActivity.minutes)
        var lastActivity: Date?
    }

    private let state = Locked<[String: Buckets]>([:])

    public init() {}

    /// Counts one answered request of `tenant`.
    public func record(tenant: String, status: Int, at date: Date = Date()) {
        let minute = Int64((date.timeIntervalSince1970 / 60).rounded(.down))
        let slot = Int(((minute % Int64(Self.minutes)) + Int64(Self.minutes)) % Int64(Self.minutes))
        state.withLock { tenants in
            var buckets = tenants[tenant] ?? Buckets()
            if buckets.minuteOfSlot[slot] != minute {
                buckets.minuteOfSlot[slot] = minute
                buckets.requests[slot] = 0
                buckets.failures[slot] = 0
            }
            buckets.requests[slot] += 1
            if status >= 400 { buckets.failures[slot] += 1 }
            if buckets.lastActivity.map({ $0 < date }) ?? true { buckets.lastActivity = date }
            tenants[tenant] = buckets
        }
    }

    /// The tenant's requests and failures over the last `window` minutes (at most 24 h).
    public func summary(tenant: String, lastMinutes window: Int, now: Date = Date()) -> Summary {
        let current = Int64((now.timeIntervalSince1970 / 60).rounded(.down))
        let oldest = current - Int64(min(max(window, 1), Self.minutes)) + 1
        return state.withLock { tenants in
            guard let buckets = tenants[tenant] else { return Summary(requests: 0, failures: 0) }
            var summary = Summary(requests: 0, failures: 0)
            for slot in 0..<Self.minutes where (oldest...current).contains(buckets.minuteOfSlot[slot]) {
                summary.requests += buckets.requests[slot]
                summary.failures += buckets.failures[slot]
            }
            return summary
        }
    }

    /// When the tenant's last request arrived at this node.
    public func lastActivity(tenant: String) -> Date? {
        state.withLock { $0[tenant]?.lastActivity }
    }

    /// Forgets tenants not in `ids` (removed from tenants.d).
    public func retain(tenants ids: Set<String>) {
        state.withLock { tenants in tenants = tenants.filter { ids.contains($0.key) } }
    }
}
