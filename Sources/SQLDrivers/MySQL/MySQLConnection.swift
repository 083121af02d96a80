import CMariaDB

/// One Connector/C connection. The `MYSQL` handle never leaves this class and is closed in `deinit`, also
/// when connecting failed.
/// Sessions run with strict SQL mode, UTC, the statement timeout and read-committed transactions, so
/// that a row read after `SELECT … FOR UPDATE` waited for the lock shows what the previous holder
/// committed.
public final class MySQLConnection: SQLConnection {
    private let handle: UnsafeMutablePointer<MYSQL>
    /// MariaDB from 10.5 on answers `INSERT … RETURNING`; MySQL has no `RETURNING`.
    public private(set) var insertReturnsRows = false

    private init(handle: UnsafeMutablePointer<MYSQL>) {
        self.handle = handle
    }

    deinit {
        mysql_close(handle)
    }

    /// `mysql_library_init` is a macro Swift cannot see; its function runs once, before the first connection,
    /// because it is not thread-safe and `mysql_init` would otherwise call it from many threads at once.
    private static let libraryInitialized: Bool = mysql_server_init(0, nil, nil) == 0

    public static func connect(_ configuration: MySQLConfiguration) throws(SQLError) -> MySQLConnection {
        guard libraryInitialized, let handle = mysql_init(nil) else {
            throw SQLError(.unavailable, message: "the MariaDB client library could not start")
        }
        let connection = MySQLConnection(handle: handle)
        try connection.open(configuration)
        return connection
    }

    private func open(_ configuration: MySQLConfiguration) throws(SQLError) {
        var connectTimeout = UInt32(clamping: max(1, configuration.connectTimeout.wholeSecondsRoundedUp))
        var ioTimeout = UInt32(
            clamping: (configuration.statementTimeout + configuration.connectTimeout).wholeSecondsRoundedUp
        )
        mysql_options(handle, MYSQL_OPT_CONNECT_TIMEOUT, &connectTimeout)
        mysql_options(handle, MYSQL_OPT_READ_TIMEOUT, &ioTimeout)
        mysql_options(handle, MYSQL_OPT_WRITE_TIMEOUT, &ioTimeout)
        mysql_options(handle, MYSQL_SET_CHARSET_NAME, "utf8mb4")
        if configuration.tls != .preferred {
            var enforce: my_bool = 1
            mysql_options(handle, MYSQL_OPT_SSL_ENFORCE, &enforce)
            var verify: my_bool = configuration.tls == .verify ? 1 : 0
            mysql_options(handle, MYSQL_OPT_SSL_VERIFY_SERVER_CERT, &verify)
        }
        // Affected rows count matched rows, as PostgreSQL and SQLite do, so an UPDATE that changes nothing
        // still says it found its row.
        let flags = UInt(CLIENT_FOUND_ROWS)
        let connected = mysql_real_connect(
            handle,
            configuration.host,
            configuration.username,
            configuration.password,
            configuration.database,
            UInt32(clamping: configuration.port),
            configuration.socket,
            flags
        )
        guard connected != nil else {
            // Whatever stopped the connection (refused, timed out, access denied), the database is unusable.
            throw SQLError(
                .unavailable,
                nativeCode: Int(mysql_errno(handle)),
                sqlState: mysql_sqlstate(handle).map { String(cString: $0) },
                message: mysql_error(handle).map { String(cString: $0) } ?? "connection failed"
            )
        }
        // Strict mode turns silent truncation into errors; UTC so that NOW() reads the same on every node.
        var session = [
            "sql_mode = CONCAT_WS(',', NULLIF(@@SESSION.sql_mode, ''), 'STRICT_TRANS_TABLES')",
            "time_zone = '+00:00'",
        ]
        let serverInfo = mysql_get_server_info(handle).map { String(cString: $0) } ?? ""
        if serverInfo.contains("MariaDB") {
            insertReturnsRows = mysql_get_server_version(handle) >= 100_500
            let seconds = Double(configuration.statementTimeout.wholeMillisecondsRoundedUp) / 1000
            session.append("max_statement_time = \(seconds)")
        } else {
            session.append("max_execution_time = \(configuration.statementTimeout.wholeMillisecondsRoundedUp)")
        }
        try query("SET SESSION " + session.joined(separator: ", "))
        try query("SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED")
    }

    public func execute(_ sql: String, _ binds: [SQLValue]) throws(SQLError) -> SQLResult {
        guard let statement = mysql_stmt_init(handle) else { throw connectionError() }
        defer { mysql_stmt_close(statement) }
        let length = UInt(sql.utf8.count)
        guard mysql_stmt_prepare(statement, sql, length) == 0 else { throw statementError(statement) }
        let parameterCount = Int(mysql_stmt_param_count(statement))
        guard parameterCount == binds.count else {
            throw SQLError(
                .other,
                message: "the statement has \(parameterCount) placeholders but \(binds.count) values were bound"
            )
        }
        let parameters = MySQLParameters(binds)
        defer { parameters.deallocate() }
        if parameterCount > 0, mysql_stmt_bind_param(statement, parameters.binds) != 0 {
            throw statementError(statement)
        }
        guard mysql_stmt_execute(statement) == 0 else { throw statementError(statement) }
        guard mysql_stmt_field_count(statement) > 0 else {
            let affected = mysql_stmt_affected_rows(statement)
            let insertID = mysql_stmt_insert_id(statement)
            return SQLResult(
                affectedRows: affected == UInt64.max ? 0 : Int(clamping: affected),
                lastInsertID: insertID == 0 ? nil : Int64(clamping: insertID)
            )
        }
        return try readRows(statement)
    }

    public func executeScript(_ sql: String) throws(SQLError) {
        guard mysql_set_server_option(handle, MYSQL_OPTION_MULTI_STATEMENTS_ON) == 0 else { throw connectionError() }
        defer { mysql_set_server_option(handle, MYSQL_OPTION_MULTI_STATEMENTS_OFF) }
        guard mysql_real_query(handle, sql, UInt(sql.utf8.count)) == 0 else { throw connectionError() }
        while true {
            if let result = mysql_store_result(handle) { mysql_free_result(result) }
            let next = mysql_next_result(handle)
            if next > 0 { throw connectionError() }
            if next < 0 { return }
        }
    }

    public func begin(_ kind: SQLTransactionKind) throws(SQLError) {
        try query(kind == .write ? "START TRANSACTION" : "START TRANSACTION READ ONLY")
    }

    public func commit() throws(SQLError) {
        guard mysql_commit(handle) == 0 else { throw connectionError() }
    }

    public func rollback() throws(SQLError) {
        guard mysql_rollback(handle) == 0 else { throw connectionError() }
    }

    public func isAlive(ping: Bool) -> Bool {
        guard ping || socketHasPendingEvents(mysql_get_socket(handle)) else { return true }
        return mysql_ping(handle) == 0
    }

    /// Runs parameterless SQL through the text protocol, for session and transaction control.
    private func query(_ sql: String) throws(SQLError) {
        guard mysql_real_query(handle, sql, UInt(sql.utf8.count)) == 0 else { throw connectionError() }
        if let result = mysql_store_result(handle) { mysql_free_result(result) }
    }

    /// The one error path for connection-level calls.
    func connectionError() -> SQLError {
        Self.error(
            number: mysql_errno(handle),
            sqlState: mysql_sqlstate(handle),
            message: mysql_error(handle)
        )
    }

    /// The one error path for statement-level calls.
    func statementError(_ statement: UnsafeMutablePointer<MYSQL_STMT>) -> SQLError {
        Self.error(
            number: mysql_stmt_errno(statement),
            sqlState: mysql_stmt_sqlstate(statement),
            message: mysql_stmt_error(statement)
        )
    }

    private static func error(
        number: UInt32,
        sqlState: UnsafePointer<CChar>?,
        message: UnsafePointer<CChar>?
    ) -> SQLError {
        SQLError.mysql(
            number: Int(number),
            sqlState: sqlState.map { String(cString: $0) },
            message: message.map { String(cString: $0) } ?? "unknown error"
        )
    }

    /// The columns of a table in the connection's database, typed as MySQL writes them (`varchar(100)`,
    /// `int(11)`, `tinyint(1)`, `binary(16)`).
    public func columns(of table: String) throws(SQLError) -> [String: String]? {
        try catalogColumns(
            "SELECT COLUMN_NAME, COLUMN_TYPE FROM information_schema.COLUMNS "
                + "WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ?",
            table: table
        )
    }
}
