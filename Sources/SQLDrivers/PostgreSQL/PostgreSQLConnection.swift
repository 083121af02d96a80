import CLibPQ

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// One libpq connection. The `PGconn` never leaves this class and is finished in `deinit`, also when opening
/// failed half-way.
public final class PostgreSQLConnection: SQLConnection {
    private let handle: OpaquePointer

    private init(handle: OpaquePointer) {
        self.handle = handle
    }

    deinit {
        PQfinish(handle)
    }

    public static func connect(_ configuration: PostgreSQLConfiguration) throws(SQLError) -> PostgreSQLConnection {
        let parameters = configuration.connectionParameters
        let keywords = parameters.map { strdup($0.0) }
        let values = parameters.map { strdup($0.1) }
        defer {
            for keyword in keywords { free(keyword) }
            for value in values { free(value) }
        }
        let handle = PQconnectdbParams(
            keywords.map { UnsafePointer($0) } + [nil],
            values.map { UnsafePointer($0) } + [nil],
            1
        )
        guard let handle else {
            throw SQLError(.unavailable, message: "libpq could not allocate a connection")
        }
        let connection = PostgreSQLConnection(handle: handle)
        guard PQstatus(handle) == CONNECTION_OK else {
            throw SQLError(.unavailable, message: connection.connectionErrorMessage)
        }
        // UTC so that now() and timestamptz read the same on every node.
        let milliseconds = configuration.statementTimeout.wholeMillisecondsRoundedUp
        try connection.run("SET statement_timeout = \(milliseconds); SET TimeZone = 'UTC'")
        return connection
    }

    public func execute(_ sql: String, _ binds: [SQLValue]) throws(SQLError) -> SQLResult {
        let parameters = try PostgreSQLParameters(binds)
        defer { parameters.deallocate() }
        let result = PQexecParams(
            handle,
            sql,
            Int32(parameters.count),
            parameters.types,
            parameters.values,
            parameters.lengths,
            parameters.formats,
            0
        )
        defer { PQclear(result) }
        return decode(try check(result))
    }

    public func executeScript(_ sql: String) throws(SQLError) {
        try run(sql)
    }

    public func begin(_ kind: SQLTransactionKind) throws(SQLError) {
        try run(kind == .write ? "BEGIN" : "BEGIN READ ONLY")
    }

    public func commit() throws(SQLError) {
        // COMMIT of a transaction that failed earlier rolls back and says so only in its command tag.
        if try run("COMMIT") == "ROLLBACK" {
            throw SQLError(
                .other,
                sqlState: "25P02",
                message: "the transaction was rolled back because a statement in it failed"
            )
        }
    }

    public func rollback() throws(SQLError) {
        try run("ROLLBACK")
    }

    public func isAlive(ping: Bool) -> Bool {
        guard PQstatus(handle) == CONNECTION_OK else { return false }
        guard ping || socketHasPendingEvents(PQsocket(handle)) else { return true }
        return (try? run("SELECT 1")) != nil
    }

    /// Runs parameterless SQL (one or more statements) and returns the last command tag.
    @discardableResult
    private func run(_ sql: String) throws(SQLError) -> String {
        let result = PQexec(handle, sql)
        defer { PQclear(result) }
        try check(result)
        return PQcmdStatus(result).map { String(cString: $0) } ?? ""
    }

    /// The one error path: turns a result that is not a success into a classified ``SQLError``.
    @discardableResult
    private func check(_ result: OpaquePointer?) throws(SQLError) -> OpaquePointer {
        guard let result else {
            throw SQLError(.unavailable, message: connectionErrorMessage)
        }
        switch PQresultStatus(result) {
        case PGRES_COMMAND_OK, PGRES_TUPLES_OK, PGRES_EMPTY_QUERY:
            return result
        default:
            let sqlState = PQresultErrorField(result, Int32(UInt8(ascii: "C"))).map { String(cString: $0) }
            let message =
                PQresultErrorField(result, Int32(UInt8(ascii: "M"))).map { String(cString: $0) }
                ?? PQresultErrorMessage(result).map { String(cString: $0).trimmingWhitespace() }
                ?? "unknown error"
            if PQstatus(handle) != CONNECTION_OK {
                throw SQLError(.unavailable, sqlState: sqlState, message: message)
            }
            guard let sqlState else { throw SQLError(.other, message: message) }
            throw SQLError.postgres(sqlState: sqlState, message: message)
        }
    }

    /// The columns of a table in the connection's current schema (the first of its `search_path`), typed
    /// as `character varying(100)`, `integer`, `uuid`, `timestamp without time zone`.
    public func columns(of table: String) throws(SQLError) -> [String: String]? {
        try catalogColumns(
            "SELECT column_name, data_type, character_maximum_length FROM information_schema.columns "
                + "WHERE table_schema = current_schema() AND table_name = $1",
            table: table
        )
    }

    private var connectionErrorMessage: String {
        PQerrorMessage(handle).map { String(cString: $0).trimmingWhitespace() } ?? "connection failed"
    }
}
