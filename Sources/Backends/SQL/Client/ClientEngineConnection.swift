import Foundation
import SCIM

/// A PostgreSQL or MariaDB client connection seen as an engine connection: statements run through
/// the client, and client errors become driver errors the dialects classify.
///
/// Invariant for `@unchecked Sendable`: an instance is made inside one body of the client's
/// ``ConnectionPool`` (or by ``SQLDriver/connect()`` for one caller) and used only until that body
/// returns, on the thread the pool runs it on; the pool lends a connection to one body at a time.
final class ClientEngineConnection<Connection: SQLClientConnection>: SQLConnection, @unchecked Sendable {
    private let connection: Connection

    init(_ connection: Connection) {
        self.connection = connection
    }

    func run(_ sql: String, _ binds: [SQLValue]) throws(SQLDriverError) -> SQLResult {
        do {
            let result = try connection.execute(sql, binds)
            return SQLResult(rows: result.rows, changes: result.affectedRows, lastInsertID: result.lastInsertID)
        } catch {
            throw SQLDriverError(client: error)
        }
    }
}

/// Lends the engine connections of a client ``ConnectionPool``: bounded, self-healing after a server
/// restart, each connection on a thread of its own.
struct ClientPoolLender<Connection: SQLClientConnection>: SQLConnectionLender {
    let pool: ConnectionPool<Connection>

    func lend<T: Sendable>(_ body: @escaping @Sendable (any SQLConnection) throws -> T) async throws -> T {
        do {
            return try await pool.withConnection { connection in
                try body(ClientEngineConnection(connection))
            }
        } catch let error as SQLClientError {
            // Failures of the pool itself: no free connection in time, server unreachable, shut down.
            throw SQLDriverError(client: error)
        }
    }

    func close() async {
        await pool.shutdown()
    }
}

extension SQLDriverError {
    /// A client error, sorted for the dialects; the column is read from the server's message where it
    /// names one (MariaDB: `Data too long for column 'firstname'`; PostgreSQL: `null value in column "x"`).
    init(client error: SQLClientError) {
        let kind: Kind
        switch error.code {
        case .uniqueness:
            kind = .uniqueViolation
        case .valueTooLong:
            kind = .valueTooLong(column: Self.quotedName(after: "column ", in: error.message))
        case .unavailable, .timeout, .deadlock:
            kind = .unavailable
        default:
            // PostgreSQL 23502; MariaDB 1048 "Column 'x' cannot be null", 1364 "Field 'x' doesn't have a default".
            if error.sqlState == "23502" {
                kind = .notNullViolation(column: Self.quotedName(after: "column ", in: error.message))
            } else if error.nativeCode == 1048 {
                kind = .notNullViolation(column: Self.quotedName(after: "Column ", in: error.message))
            } else if error.nativeCode == 1364 {
                kind = .notNullViolation(column: Self.quotedName(after: "Field ", in: error.message))
            } else {
                kind = .other
            }
        }
        self.init(
            kind: kind,
            code: Int32(clamping: error.nativeCode ?? 0),
            message: error.message,
            sqlState: error.sqlState ?? Self.transientState(error.code)
        )
    }

    /// A SQLSTATE standing for timeouts and deadlocks when the server gave none, so the dialects can
    /// tell a retryable failure from an outage.
    private static func transientState(_ code: SQLClientError.Code) -> String? {
        switch code {
        case .timeout: return "57014"
        case .deadlock: return "40001"
        default: return nil
        }
    }

    /// The name quoted with `'`, `"` or `` ` `` right after `prefix` in a server message.
    static func quotedName(after prefix: String, in message: String) -> String? {
        guard let start = message.range(of: prefix) else { return nil }
        let rest = message[start.upperBound...]
        guard let quote = rest.first, quote == "'" || quote == "\"" || quote == "`" else { return nil }
        let name = rest.dropFirst().prefix { $0 != quote }
        return name.isEmpty ? nil : String(name)
    }

    /// Whether the failure is a timeout, deadlock or serialization failure: retrying soon may succeed.
    var isTransient: Bool {
        // MariaDB: lock wait timeout, deadlock, statement time exceeded; PostgreSQL: serialization
        // failure, deadlock, statement timeout, lock not available.
        if [1205, 1213, 1969, 3024].contains(Int(code)) { return true }
        return ["40001", "40P01", "57014", "55P03"].contains(sqlState ?? "")
    }
}

extension SQLDialect {
    /// The classification of the client-backed dialects: the shared one, with timeouts and deadlocks
    /// as 503 with a short Retry-After, and values the column cannot take as 400.
    func clientClassification(_ error: SQLDriverError, attributeForColumn: (String) -> String?) -> SCIMError {
        if error.isTransient {
            return .unavailable("The portal's database did not complete the request in time; try again.", retryAfter: 1)
        }
        if error.kind == .other,
            error.sqlState?.hasPrefix("22") == true || [1264, 1265, 1292, 1366, 1367].contains(Int(error.code))
        {
            return .invalidValue("A value is not accepted by the portal's database.")
        }
        return defaultClassification(error, attributeForColumn: attributeForColumn)
    }
}
