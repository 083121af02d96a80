import Foundation

/// The `dateTime` text SCIM uses (RFC 7643 §2.3.5): RFC 3339 in UTC with a `Z`, with
/// fractional seconds (up to microseconds, trailing zeros dropped) only when they are not zero.
public enum SCIMDateTime {
    /// `2024-05-01T12:30:00Z` or `2024-05-01T12:30:00.25Z`. Dates outside the years 0001–9999
    /// are clamped to that range, which RFC 3339 can express.
    public static func format(_ date: Date) -> String {
        let minimum: Int64 = -62_135_596_800_000_000  // 0001-01-01T00:00:00Z in microseconds
        let maximum: Int64 = 253_402_300_799_999_999  // 9999-12-31T23:59:59.999999Z
        let interval = date.timeIntervalSince1970
        // Bounded before conversion so that the multiplication cannot overflow Int64.
        let bounded = interval.isNaN ? 0 : min(max(interval, -1e12), 1e12)
        let totalMicroseconds = min(max(Int64((bounded * 1_000_000).rounded()), minimum), maximum)
        let (seconds, microseconds) = floorDivision(totalMicroseconds, 1_000_000)
        let (days, secondOfDay) = floorDivision(seconds, 86_400)
        let (year, month, day) = civilDate(daysSinceEpoch: days)

        var text = padded(year, 4) + "-" + padded(month, 2) + "-" + padded(day, 2)
        text += "T" + padded(secondOfDay / 3600, 2) + ":" + padded(secondOfDay / 60 % 60, 2)
        text += ":" + padded(secondOfDay % 60, 2)
        if microseconds != 0 {
            var fraction = padded(microseconds, 6)
            while fraction.hasSuffix("0") { fraction.removeLast() }
            text += "." + fraction
        }
        return text + "Z"
    }

    private static func floorDivision(_ value: Int64, _ divisor: Int64) -> (Int64, Int64) {
        let quotient = value / divisor
        let remainder = value % divisor
        return remainder < 0 ? (quotient - 1, remainder + divisor) : (quotient, remainder)
    }

    /// The proleptic Gregorian date of a day count from 1970-01-01, computed through 400-year eras.
    private static func civilDate(daysSinceEpoch: Int64) -> (Int64, Int64, Int64) {
        let shifted = daysSinceEpoch + 719_468  // days from 0000-03-01
        let era = (shifted >= 0 ? shifted : shifted - 146_096) / 146_097
        let dayOfEra = shifted - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthFromMarch = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthFromMarch + 2) / 5 + 1
        let month = monthFromMarch < 10 ? monthFromMarch + 3 : monthFromMarch - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        return (year, month, day)
    }

    private static func padded(_ value: Int64, _ width: Int) -> String {
        let digits = String(value)
        return digits.count >= width ? digits : String(repeating: "0", count: width - digits.count) + digits
    }
}
