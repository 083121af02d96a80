/// A value bound to, or read from, an SQL statement.
public enum SQLValue: Sendable, Hashable {
    case null
    case integer(Int64)
    case double(Double)
    case text(String)
    case blob([UInt8])
}

/// A plain SQL connection for the gateway's own stores (the provisioning log): statements with bound
/// parameters, no mapping. Placeholders are written `?` in every dialect; the dialect rewrites them.
public protocol SQLDatabase: Sendable {
    /// The dialect, so callers can pick engine-specific DDL.
    var dialectName: String { get }

    /// Runs one statement with bound parameters and returns its rows, each in column order.
    @discardableResult
    func execute(_ sql: String, _ binds: [SQLValue]) async throws -> [[SQLValue]]

    /// Runs statements in one transaction: committed when `body` returns, rolled back when it throws.
    func transaction<T: Sendable>(
        _ body: @Sendable (_ execute: (String, [SQLValue]) throws -> [[SQLValue]]) throws -> T
    ) async throws -> T

    /// Closes the connection(s).
    func close() async
}
