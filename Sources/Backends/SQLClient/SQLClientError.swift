import SCIM

/// An error from a PostgreSQL or MariaDB server or client library, classified for the gateway.
///
/// `description` stays generic; the server's message, the SQLSTATE and the native error number are in
/// `debugDescription` for the log. Neither carries passwords: connection strings are never quoted.
public struct SQLClientError: Error, Sendable, Hashable, CustomStringConvertible, CustomDebugStringConvertible {
    /// What kind of failure this is, as far as a caller needs to know to react to it.
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        private enum Base: String, Sendable, Hashable {
            case uniqueness
            case valueTooLong
            case invalidValue
            case unavailable
            case timeout
            case deadlock
            case other
        }

        private let base: Base

        private init(_ base: Base) {
            self.base = base
        }

        /// A unique constraint was violated (SQLSTATE 23505, MariaDB 1062).
        public static let uniqueness = Code(.uniqueness)
        /// A value does not fit its column (SQLSTATE 22001, MariaDB 1406).
        public static let valueTooLong = Code(.valueTooLong)
        /// A value the column cannot take: out of range, wrong format, bad encoding (other SQLSTATE 22xxx).
        public static let invalidValue = Code(.invalidValue)
        /// The server cannot be reached, refused the connection, or the connection was lost.
        public static let unavailable = Code(.unavailable)
        /// A statement or lock wait took longer than allowed.
        public static let timeout = Code(.timeout)
        /// The server chose this transaction as a deadlock or serialization victim; retrying may succeed.
        public static let deadlock = Code(.deadlock)
        /// Anything else: syntax errors, missing tables, permissions.
        public static let other = Code(.other)

        public var description: String { base.rawValue }
    }

    /// The classification.
    public var code: Code
    /// The client library's or server's error number (`mysql_errno`); `nil` for PostgreSQL.
    public var nativeCode: Int?
    /// The five-character SQLSTATE, when the server or library reported one.
    public var sqlState: String?
    /// The server's or library's message.
    public var message: String

    /// Makes an error.
    public init(code: Code, nativeCode: Int? = nil, sqlState: String? = nil, message: String) {
        self.code = code
        self.nativeCode = nativeCode
        self.sqlState = sqlState
        self.message = message
    }

    public var description: String { "SQL error (\(code))" }

    public var debugDescription: String {
        var parts = ["SQL error (\(code))"]
        if let sqlState { parts.append("SQLSTATE \(sqlState)") }
        if let nativeCode { parts.append("error \(nativeCode)") }
        return parts.joined(separator: ", ") + ": " + message
    }

    /// The error as a SCIM client should see it. Server messages stay out of the response.
    public var scimError: SCIMError {
        switch code {
        case .uniqueness:
            return .uniqueness("A resource with the same unique attribute value already exists.")
        case .valueTooLong:
            return .invalidValue("A value is longer than the target system accepts.")
        case .invalidValue:
            return .invalidValue("A value is not accepted by the target system.")
        case .unavailable:
            return .unavailable("The target database is unavailable.")
        case .timeout, .deadlock:
            return .unavailable("The target database did not complete the request in time.", retryAfter: 1)
        default:
            return .internalError()
        }
    }
}

extension SQLClientError {
    /// Classifies a PostgreSQL SQLSTATE.
    static func classify(sqlState: String) -> Code {
        switch sqlState {
        case "23505": return .uniqueness
        case "22001": return .valueTooLong
        case "57014", "55P03": return .timeout
        case "40P01", "40001": return .deadlock
        case "57P01", "57P02", "57P03", "53300": return .unavailable
        default:
            if sqlState.hasPrefix("08") { return .unavailable }
            if sqlState.hasPrefix("22") { return .invalidValue }
            return .other
        }
    }

    /// Classifies a MariaDB or MySQL error number (server errors and Connector/C client errors).
    static func classify(mariaDBError number: Int) -> Code {
        switch number {
        case 1062, 1586: return .uniqueness
        case 1406: return .valueTooLong
        case 1264, 1292, 1366, 1367, 1265: return .invalidValue
        case 1969, 3024, 1205: return .timeout
        case 1213: return .deadlock
        // 2002 no socket, 2003 refused, 2006 gone away, 2013 lost during query, 2055 lost (system error),
        // 1927 killed, 1040 too many connections, 1053 shutting down, 1152/1184 aborted, 2026 TLS failure.
        case 2002, 2003, 2005, 2006, 2013, 2026, 2055, 1927, 1040, 1053, 1152, 1184: return .unavailable
        default: return .other
        }
    }
}
