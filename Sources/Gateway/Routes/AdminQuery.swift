import Foundation
import SCIM
import Tenants

/// The admin API's query parameters, checked before they reach a store: a bad value is a 400 with a
/// JSON error naming the parameter, never a trap or a silent default.
enum AdminQuery {
    /// The most entries one `/admin/v1/logs` call returns.
    static let maximumLogLimit = 10_000

    /// `GET /admin/v1/logs?tenant=&since=&failed=&user=&limit=`.
    static func logQuery(_ items: [String: String], now: Date = Date()) throws -> ProvisioningLogQuery {
        var query = ProvisioningLogQuery(limit: 1000)
        if let tenant = items["tenant"] {
            guard TenantConfiguration.isValidID(tenant) else {
                throw invalid("tenant", "'\(tenant.prefix(64))' is not a tenant id")
            }
            query.tenant = tenant
        }
        if let failed = items["failed"] {
            switch failed.lowercased() {
            case "1", "true", "yes": query.failedOnly = true
            case "0", "false", "no", "": query.failedOnly = false
            default: throw invalid("failed", "expected true or false, got '\(failed.prefix(64))'")
            }
        }
        if let user = items["user"] {
            guard (1...256).contains(user.count) else {
                throw invalid("user", "expected a userName or externalId of 1 to 256 characters")
            }
            query.user = user
        }
        if let limit = items["limit"] {
            guard let value = Int(limit), (1...maximumLogLimit).contains(value) else {
                throw invalid(
                    "limit",
                    "expected a whole number from 1 to \(maximumLogLimit), got '\(limit.prefix(64))'"
                )
            }
            query.limit = value
        }
        if let since = items["since"] {
            do {
                query.since = try SinceParser.parse(since, now: now)
            } catch let error as ProvisioningLogError {
                throw invalid("since", error.message.replacingOccurrences(of: "--since ", with: ""))
            }
        }
        return query
    }

    static func invalid(_ parameter: String, _ detail: String) -> SCIMError {
        SCIMError(status: 400, scimType: .invalidValue, detail: "Query parameter \(parameter): \(detail).")
    }
}
