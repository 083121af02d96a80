/// A failure of a database server or client library, classified once, for every engine, by
/// ``SQLError/Kind``.
///
/// `description` stays generic; the server's message, the SQLSTATE and the native error number are in
/// `debugDescription` for the log. Neither carries passwords: connection strings are never quoted.
public struct SQLError: Error, Sendable, Hashable, CustomStringConvertible, CustomDebugStringConvertible {
    /// What kind of failure this is, as far as a caller needs to know to react to it.
    public enum Kind: String, Sendable, Hashable, CustomStringConvertible {
        /// A unique constraint was violated.
        case uniqueViolation
        /// A required column was given no value.
        case notNullViolation
        /// A value does not fit its column.
        case valueTooLong
        /// A value the column cannot take: out of range, wrong format, bad encoding.
        case invalidValue
        /// The server cannot be reached, refused the connection, or the connection was lost; also a
        /// database file that cannot be opened, is locked for too long, full or read-only.
        case unavailable
        /// A statement or lock wait took longer than allowed.
        case timeout
        /// The server chose this transaction as a deadlock or serialization victim; retrying may succeed.
        case deadlock
        /// Anything else: syntax errors, missing tables, permissions.
        case other

        public var description: String { rawValue }
    }

    /// The classification.
    public var kind: Kind
    /// The column the server's message names, where it names one (`Data too long for column 'firstname'`).
    public var column: String?
    /// The client library's or server's error number (`mysql_errno`, SQLite's extended result code).
    public var nativeCode: Int?
    /// The five-character SQLSTATE, when the server or library reported one.
    public var sqlState: String?
    /// The server's or library's message.
    public var message: String

    /// Makes an error.
    public init(
        _ kind: Kind,
        column: String? = nil,
        nativeCode: Int? = nil,
        sqlState: String? = nil,
        message: String
    ) {
        self.kind = kind
        self.column = column
        self.nativeCode = nativeCode
        self.sqlState = sqlState
        self.message = message
    }

    /// Whether retrying soon may succeed: a timeout, deadlock or serialization failure.
    public var isTransient: Bool { kind == .timeout || kind == .deadlock }

    public var description: String { "SQL error (\(kind))" }

    public var debugDescription: String {
        var parts = ["SQL error (\(kind))"]
        if let sqlState { parts.append("SQLSTATE \(sqlState)") }
        if let nativeCode { parts.append("error \(nativeCode)") }
        if let column { parts.append("column \(column)") }
        return parts.joined(separator: ", ") + ": " + message
    }
}

/// A database URL or setting the drivers cannot use; the message names the problem and never quotes a
/// password.
public struct SQLConfigurationError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What is wrong, for an operator.
    public var message: String

    public init(_ message: String) {
        self.message = message
    }

    public var description: String { message }
}
