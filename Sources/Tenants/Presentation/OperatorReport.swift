import Foundation

/// Text the CLI shows operators: tables and the token-creation report. Kept here, beside the
/// data, so that its format is tested with it.
public enum OperatorReport {
    /// What `tokens create` prints: the token alone on standard output (so that
    /// `TOKEN=$(scim-gateway tokens create …)` captures exactly it), and a note on standard error.
    public static func tokenCreated(
        token: String,
        record: TokenRecord,
        scope: TokenScope
    ) -> (
        standardOutput: String, standardError: String
    ) {
        let expiry = record.expires.map { "expires \(timestamp($0))" } ?? "never expires"
        let note =
            "created token \(record.id) '\(record.name)' for \(scope); it \(expiry). "
            + "It is shown only now: store it in the identity provider."
        return (token + "\n", note + "\n")
    }

    /// The `tokens list` table: id, name, created, expires, last used, revoked, status. Never digests.
    public static func tokenTable(_ records: [TokenRecord], now: Date, lastUsed: [String: Date] = [:]) -> String {
        let rows = records.map { record in
            [
                record.id, record.name, timestamp(record.created), record.expires.map(timestamp) ?? "never",
                lastUsed[record.id].map(timestamp) ?? "-", record.revoked.map(timestamp) ?? "-",
                record.status(at: now).rawValue,
            ]
        }
        return table(header: ["ID", "NAME", "CREATED", "EXPIRES", "LAST USED", "REVOKED", "STATUS"], rows: rows)
    }

    /// What `clients create` and `clients rotate` print: the client id on the first line and the
    /// secret on the second line of standard output, and a note on standard error.
    public static func clientIssued(
        _ issued: OAuthClientStore.Issued,
        tenant: String,
        rotated: Bool
    ) -> (standardOutput: String, standardError: String) {
        let expiry = issued.secretRecord.expires.map { "expires \(timestamp($0))" } ?? "never expires"
        let what = rotated ? "added secret \(issued.secretRecord.id) to" : "created"
        let note =
            "\(what) OAuth client \(issued.record.id) '\(issued.record.name)' of tenant '\(tenant)'; the secret "
            + "\(expiry). It is shown only now: store it in the identity provider."
        return (issued.record.id + "\n" + issued.secret + "\n", note + "\n")
    }

    /// The `clients list` table: client id, name, created, expires, active secrets, last used,
    /// revoked, status. Never secrets or their digests.
    public static func clientTable(_ records: [OAuthClientRecord], now: Date, lastUsed: [String: Date] = [:]) -> String
    {
        let rows = records.map { record in
            [
                record.id, record.name, timestamp(record.created),
                record.status(at: now) == .active ? record.expires(at: now).map(timestamp) ?? "never" : "-",
                String(record.activeSecrets(at: now).count), lastUsed[record.id].map(timestamp) ?? "-",
                record.revoked.map(timestamp) ?? "-", record.status(at: now).rawValue,
            ]
        }
        return table(
            header: ["CLIENT ID", "NAME", "CREATED", "EXPIRES", "SECRETS", "LAST USED", "REVOKED", "STATUS"],
            rows: rows
        )
    }

    /// The `tenants list` table: id, name, backend kind, mapping, number of active tokens.
    public static func tenantTable(_ tenants: [(configuration: TenantConfiguration, activeTokens: Int)]) -> String {
        let rows = tenants.map { tenant in
            [
                tenant.configuration.id, tenant.configuration.name, tenant.configuration.backend.kind,
                tenant.configuration.mapping, String(tenant.activeTokens),
            ]
        }
        return table(header: ["ID", "NAME", "BACKEND", "MAPPING", "TOKENS"], rows: rows)
    }

    /// A date as ISO 8601 in UTC, to the second.
    public static func timestamp(_ date: Date) -> String {
        date.formatted(Date.ISO8601FormatStyle(timeZone: TimeZone(secondsFromGMT: 0) ?? .current))
    }

    /// Left-aligned columns separated by two spaces; every line ends with a newline.
    static func table(header: [String], rows: [[String]]) -> String {
        let all = [header] + rows
        var widths = Array(repeating: 0, count: header.count)
        for row in all {
            for (column, cell) in row.enumerated() where column < widths.count {
                widths[column] = max(widths[column], cell.count)
            }
        }
        return all.map { row in
            row.enumerated().map { column, cell in
                column == row.count - 1 ? cell : cell.padding(toLength: widths[column], withPad: " ", startingAt: 0)
            }.joined(separator: "  ")
        }.joined(separator: "\n") + "\n"
    }
}
