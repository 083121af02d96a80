/// Reads `xsd:dateTime` values (RFC 7643 §2.3.5), e.g. `2011-05-13T04:42:34Z` or
/// `2011-05-13T04:42:34.123+02:00`, as instants so that values written in different offsets compare correctly.
extension SCIMDateTime {
    /// Seconds since 1970-01-01T00:00:00Z, or `nil` when the text is not a dateTime.
    /// A value without an offset is taken as UTC.
    public static func instant(_ text: String) -> Double? {
        let scalars = Array(text.unicodeScalars)
        var index = 0
        func number(_ count: Int) -> Int? {
            guard index + count <= scalars.count else { return nil }
            var value = 0
            for scalar in scalars[index..<(index + count)] {
                guard scalar.isFilterDigit else { return nil }
                value = value * 10 + Int(scalar.value - 48)
            }
            index += count
            return value
        }
        func literal(_ options: Set<Unicode.Scalar>) -> Bool {
            guard index < scalars.count, options.contains(scalars[index]) else { return false }
            index += 1
            return true
        }
        var negativeYear = false
        if index < scalars.count, scalars[index] == "-" {
            negativeYear = true
            index += 1
        }
        guard let yearDigits = number(4), literal(["-"]), let month = number(2), literal(["-"]),
            let day = number(2), literal(["T", "t"]), let hour = number(2), literal([":"]),
            let minute = number(2), literal([":"]), let second = number(2)
        else { return nil }
        let year = negativeYear ? -yearDigits : yearDigits
        guard let days = daysSinceEpoch(year: year, month: month, day: day), hour <= 23, minute <= 59, second <= 60
        else { return nil }
        var fraction = 0.0
        if literal(["."]) {
            var scale = 0.1
            var digits = 0
            while index < scalars.count, scalars[index].isFilterDigit {
                fraction += Double(scalars[index].value - 48) * scale
                scale /= 10
                digits += 1
                index += 1
            }
            guard digits > 0 else { return nil }
        }
        var offsetSeconds = 0
        if literal(["Z", "z"]) {
            offsetSeconds = 0
        } else if index < scalars.count, scalars[index] == "+" || scalars[index] == "-" {
            let sign = scalars[index] == "-" ? -1 : 1
            index += 1
            guard let offsetHours = number(2), literal([":"]), let offsetMinutes = number(2),
                offsetHours <= 23, offsetMinutes <= 59
            else { return nil }
            offsetSeconds = sign * (offsetHours * 3600 + offsetMinutes * 60)
        }
        guard index == scalars.count else { return nil }
        let seconds = days * 86_400 + hour * 3600 + minute * 60 + second - offsetSeconds
        return Double(seconds) + fraction
    }

    private static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2:
            let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
            return leap ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// Days since 1970-01-01 of a proleptic Gregorian date, or `nil` when the date does not exist
    /// (month outside 1–12, or a day the month lacks: 2025-02-30, 2025-04-31, 2023-02-29).
    public static func daysSinceEpoch(year: Int, month: Int, day: Int) -> Int? {
        guard (1...12).contains(month), (1...daysIn(month: month, year: year)).contains(day) else { return nil }
        return daysFromCivil(year: year, month: month, day: day)
    }

    private static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
        let shiftedYear = month <= 2 ? year - 1 : year
        let era = (shiftedYear >= 0 ? shiftedYear : shiftedYear - 399) / 400
        let yearOfEra = shiftedYear - era * 400
        let shiftedMonth = month > 2 ? month - 3 : month + 9
        let dayOfYear = (153 * shiftedMonth + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }
}
