import Foundation

/// The one table from what each engine reports to ``SQLError/Kind``, with the column read from the
/// server's message where it names one.
extension SQLError {
    /// A PostgreSQL error by its SQLSTATE.
    public static func postgres(sqlState: String, message: String) -> SQLError {
        let kind: Kind
        var column: String?
        switch sqlState {
        case "23505": kind = .uniqueViolation
        case "23502":
            kind = .notNullViolation
            column = quotedName(after: "column ", in: message)
        case "22001":
            kind = .valueTooLong
            column = quotedName(after: "column ", in: message)
        case "57014", "55P03": kind = .timeout
        case "40P01", "40001": kind = .deadlock
        case "57P01", "57P02", "57P03", "53300": kind = .unavailable
        case "08P01": kind = .other  // protocol violation: a statement the client built wrong, not an outage
        default:
            if sqlState.hasPrefix("08") {
                kind = .unavailable
            } else if sqlState.hasPrefix("22") {
                kind = .invalidValue
            } else {
                kind = .other
            }
        }
        return SQLError(kind, column: column, sqlState: sqlState, message: message)
    }

    /// A MariaDB or MySQL error by its number (server errors and Connector/C client errors).
    public static func mysql(number: Int, sqlState: String?, message: String) -> SQLError {
        let kind: Kind
        var column: String?
        switch number {
        case 1062, 1586: kind = .uniqueViolation
        case 1406:
            kind = .valueTooLong
            column = quotedName(after: "column ", in: message)
        case 1048:
            kind = .notNullViolation
            column = quotedName(after: "Column ", in: message)
        case 1364:
            kind = .notNullViolation
            column = quotedName(after: "Field ", in: message)
        case 1264, 1265, 1292, 1366, 1367: kind = .invalidValue
        case 1205, 1969, 3024: kind = .timeout
        case 1213: kind = .deadlock
        // 2002 no socket, 2003 refused, 2005 unknown host, 2006 gone away, 2013 lost during query,
        // 2026 TLS failure, 2055 lost (system error), 1927 killed, 1040 too many connections,
        // 1053 shutting down, 1152/1184 aborted.
        case 2002, 2003, 2005, 2006, 2013, 2026, 2055, 1927, 1040, 1053, 1152, 1184: kind = .unavailable
        default: kind = .other
        }
        return SQLError(kind, column: column, nativeCode: number, sqlState: sqlState, message: message)
    }

    /// An SQLite error by its extended result code.
    public static func sqlite(code: Int32, message: String) -> SQLError {
        let kind: Kind
        var column: String?
        switch code {
        case 2067, 1555: kind = .uniqueViolation  // SQLITE_CONSTRAINT_UNIQUE, SQLITE_CONSTRAINT_PRIMARYKEY
        case 1299:  // SQLITE_CONSTRAINT_NOTNULL: "NOT NULL constraint failed: table.column"
            kind = .notNullViolation
            column = message.split(separator: ".").last.map(String.init)
        case 18: kind = .valueTooLong  // SQLITE_TOOBIG
        default:
            switch code & 0xFF {
            // SQLITE_BUSY, LOCKED, CANTOPEN, IOERR, FULL, READONLY, NOTADB, CORRUPT
            case 5, 6, 14, 10, 13, 8, 26, 11: kind = .unavailable
            default: kind = .other
            }
        }
        return SQLError(kind, column: column, nativeCode: Int(code), message: message)
    }

    /// The name quoted with `'`, `"` or `` ` `` right after `prefix` in a server message.
    static func quotedName(after prefix: String, in message: String) -> String? {
        guard let start = message.range(of: prefix) else { return nil }
        let rest = message[start.upperBound...]
        guard let quote = rest.first, quote == "'" || quote == "\"" || quote == "`" else { return nil }
        let name = rest.dropFirst().prefix { $0 != quote }
        return name.isEmpty ? nil : String(name)
    }
}
