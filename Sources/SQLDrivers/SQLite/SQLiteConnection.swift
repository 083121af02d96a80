import CSQLite

/// Where an SQLite database is and how long a statement waits for a lock another connection or process
/// holds (SQLite's busy timeout) before it fails as unavailable.
public struct SQLiteConfiguration: Sendable, Hashable {
    /// The database file.
    public var path: String
    /// The busy timeout.
    public var busyTimeout: Duration

    public init(path: String, busyTimeout: Duration = .seconds(10)) {
        self.path = path
        self.busyTimeout = busyTimeout
    }

    /// The busy timeout in whole milliseconds, rounded up, within `Int32`.
    var busyTimeoutMilliseconds: Int32 {
        let (seconds, attoseconds) = busyTimeout.components
        let value = Double(seconds) * 1000 + Double(attoseconds) / 1e15
        guard value.isFinite, value > 0 else { return 0 }
        return value >= Double(Int32.max) ? Int32.max : Int32(value.rounded(.up))
    }
}

/// One SQLite connection. Owns the `sqlite3*` handle and closes it in `deinit`; a failed open
/// closes the half-opened handle too.
public final class SQLiteConnection: SQLConnection {
    private let handle: OpaquePointer

    public static func connect(_ configuration: SQLiteConfiguration) throws(SQLError) -> SQLiteConnection {
        try SQLiteConnection(path: configuration.path, busyTimeoutMilliseconds: configuration.busyTimeoutMilliseconds)
    }

    /// Readiness: a read-only connection of its own that must read the schema within a second, so a file
    /// locked by another process reports not ready instead of holding the probe.
    public static func probe(_ configuration: SQLiteConfiguration) throws(SQLError) {
        let connection = try SQLiteConnection(readOnlyPath: configuration.path, busyTimeoutMilliseconds: 1000)
        _ = try connection.execute("SELECT count(*) FROM sqlite_master", [])
    }

    /// Opens (creating if needed) the database file with WAL, a busy timeout and foreign keys.
    private convenience init(path: String, busyTimeoutMilliseconds: Int32) throws(SQLError) {
        let flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX
        try self.init(path: path, flags: flags, busyTimeoutMilliseconds: busyTimeoutMilliseconds)
        _ = try execute("PRAGMA journal_mode = WAL", [])
        _ = try execute("PRAGMA foreign_keys = ON", [])
        _ = try execute("PRAGMA synchronous = NORMAL", [])
    }

    /// Opens an existing file read-only, without changing its journal mode: readiness probes.
    private convenience init(readOnlyPath path: String, busyTimeoutMilliseconds: Int32) throws(SQLError) {
        try self.init(
            path: path,
            flags: SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX,
            busyTimeoutMilliseconds: busyTimeoutMilliseconds
        )
    }

    private init(path: String, flags: Int32, busyTimeoutMilliseconds: Int32) throws(SQLError) {
        var opened: OpaquePointer?
        let code = sqlite3_open_v2(path, &opened, flags, nil)
        guard code == SQLITE_OK, let opened else {
            let message = opened.map { String(cString: sqlite3_errmsg($0)) } ?? "out of memory"
            sqlite3_close_v2(opened)
            throw SQLError(.unavailable, nativeCode: Int(code), message: "cannot open \(path): \(message)")
        }
        handle = opened
        sqlite3_extended_result_codes(handle, 1)
        sqlite3_busy_timeout(handle, busyTimeoutMilliseconds)
    }

    deinit {
        sqlite3_close_v2(handle)
    }

    public func execute(_ sql: String, _ binds: [SQLValue]) throws(SQLError) -> SQLResult {
        var statement: OpaquePointer?
        let prepared = sqlite3_prepare_v2(handle, sql, -1, &statement, nil)
        guard prepared == SQLITE_OK, let statement else {
            sqlite3_finalize(statement)
            throw error(code: prepared)
        }
        defer { sqlite3_finalize(statement) }
        for (offset, value) in binds.enumerated() {
            try bind(value, at: Int32(offset + 1), in: statement)
        }
        var rows: [[SQLValue]] = []
        let columnCount = sqlite3_column_count(statement)
        while true {
            let step = sqlite3_step(statement)
            if step == SQLITE_DONE { break }
            guard step == SQLITE_ROW else { throw error(code: step) }
            rows.append((0..<columnCount).map { column(at: $0, in: statement) })
        }
        return SQLResult(
            rows: rows,
            affectedRows: sqlite3_stmt_readonly(statement) != 0 ? rows.count : Int(sqlite3_changes(handle)),
            lastInsertID: sqlite3_last_insert_rowid(handle)
        )
    }

    public func begin(_ kind: SQLTransactionKind) throws(SQLError) {
        // BEGIN IMMEDIATE takes the write lock before the first read, so writers queue instead of failing.
        _ = try execute(kind == .write ? "BEGIN IMMEDIATE" : "BEGIN", [])
    }

    public func commit() throws(SQLError) {
        _ = try execute("COMMIT", [])
    }

    public func rollback() throws(SQLError) {
        _ = try execute("ROLLBACK", [])
    }

    /// A file connection does not go stale.
    public func isAlive(ping: Bool) -> Bool { true }

    public func columns(of table: String) throws(SQLError) -> [String: String]? {
        try catalogColumns("SELECT name, type FROM pragma_table_info(?)", table: table)
    }

    public func executeScript(_ sql: String) throws(SQLError) {
        var message: UnsafeMutablePointer<CChar>?
        let code = sqlite3_exec(handle, sql, nil, nil, &message)
        defer { sqlite3_free(message) }
        guard code == SQLITE_OK else {
            throw SQLError.sqlite(code: code, message: message.map { String(cString: $0) } ?? "")
        }
    }

    private func bind(_ value: SQLValue, at index: Int32, in statement: OpaquePointer) throws(SQLError) {
        let code: Int32
        switch value {
        case .null: code = sqlite3_bind_null(statement, index)
        case .integer(let number): code = sqlite3_bind_int64(statement, index, number)
        case .double(let number): code = sqlite3_bind_double(statement, index, number)
        case .text(let text): code = sqlite3_bind_text(statement, index, text, -1, sqliteTransient)
        case .blob(let bytes):
            code = bytes.withUnsafeBytes { buffer in
                sqlite3_bind_blob(statement, index, buffer.baseAddress, Int32(buffer.count), sqliteTransient)
            }
        }
        guard code == SQLITE_OK else { throw error(code: code) }
    }

    private func column(at index: Int32, in statement: OpaquePointer) -> SQLValue {
        switch sqlite3_column_type(statement, index) {
        case SQLITE_INTEGER: return .integer(sqlite3_column_int64(statement, index))
        case SQLITE_FLOAT: return .double(sqlite3_column_double(statement, index))
        case SQLITE_TEXT:
            guard let text = sqlite3_column_text(statement, index) else { return .null }
            return .text(String(cString: text))
        case SQLITE_BLOB:
            let count = Int(sqlite3_column_bytes(statement, index))
            guard let bytes = sqlite3_column_blob(statement, index), count > 0 else { return .blob([]) }
            return .blob(Array(UnsafeRawBufferPointer(start: bytes, count: count)))
        default: return .null
        }
    }

    /// The one path from a result code to a typed error.
    private func error(code: Int32) -> SQLError {
        SQLError.sqlite(code: code, message: String(cString: sqlite3_errmsg(handle)))
    }
}

/// SQLite's "copy the value now" destructor for bound text and blobs.
private let sqliteTransient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)
