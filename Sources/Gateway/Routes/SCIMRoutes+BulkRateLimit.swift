import SCIM
import Tenants

extension SCIMRoutes {
    /// Rate limits count work: every Bulk operation takes a token from the tenant's bucket. The
    /// request's own token (taken by ``RateLimitMiddleware``) pays for the first operation; the rest
    /// are taken here, all or none, before any operation runs, so an over-budget Bulk changes nothing.
    func chargeBulkOperations(_ count: Int, tenant: Tenant) throws {
        guard count > 1 else { return }
        let limit = tenant.rateLimit
        guard
            let wait = rateLimiter.acquire(
                tenant: tenant.id,
                perSecond: limit.perSecond,
                burst: limit.burst,
                cost: count - 1
            )
        else { return }
        let detail =
            count > limit.burst
            ? "This Bulk request has \(count) operations, more than the tenant's burst of \(limit.burst); "
                + "send at most \(limit.burst) operations per request."
            : "This Bulk request has \(count) operations, each taking a token; none was run."
        throw RateLimitMiddleware.tooManyRequests(limit, wait: wait, detail: detail)
    }
}
