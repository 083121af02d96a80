import Foundation

/// Parses `--since`: a duration back from now (`90s`, `15m`, `1h`, `7d`, `2w`) or an ISO 8601 time.
public enum SinceParser {
    /// The longest duration accepted: a hundred years, far beyond any retention, far inside what a
    /// date or 64 bits of milliseconds hold.
    public static let maximumSeconds = 100 * 366 * 86_400

    /// The time `text` names, relative to `now`; throws a ``ProvisioningLogError`` saying what is accepted.
    public static func parse(_ text: String, now: Date) throws -> Date {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if let unit = trimmed.last, let amount = Int(trimmed.dropLast()), amount >= 0 {
            let seconds: Int?
            switch unit {
            case "s": seconds = 1
            case "m": seconds = 60
            case "h": seconds = 3600
            case "d": seconds = 86_400
            case "w": seconds = 604_800
            default: seconds = nil
            }
            if let seconds {
                let (product, overflow) = amount.multipliedReportingOverflow(by: seconds)
                guard !overflow, product <= maximumSeconds else {
                    throw ProvisioningLogError(
                        "--since '\(trimmed.prefix(64))' reaches back more than 100 years; use at most 36600d"
                    )
                }
                return now.addingTimeInterval(-Double(product))
            }
        }
        if let date = ProvisioningLogTime.parse(trimmed) {
            return date
        }
        throw ProvisioningLogError(
            "--since '\(trimmed.prefix(64))' is not understood; use e.g. 30m, 1h, 7d or 2026-01-31T12:00:00Z"
        )
    }
}
