import CSQLite

/// One SQLite connection. Owns the `sqlite3*` handle and closes it in `deinit`; a failed open
/// closes the half-opened handle too.
///
/// Invariant for `@unchecked Sendable`: the handle is only touched by ``run(_:_:)`` and `deinit`,
/// and a connection is used by one task at a time (it is leased from ``SQLConnectionPool``), so
/// no two threads ever use the handle at once.
final class SQLiteConnection: SQLConnection, @unchecked Sendable {
    private let handle: OpaquePointer

    /// Opens (creating if needed) the database file with WAL, a busy timeout and foreign keys.
    init(path: String, busyTimeoutMilliseconds: Int32 = 10_000) throws(SQLDriverError) {
        var opened: OpaquePointer?
        let flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX
        let code = sqlite3_open_v2(path, &opened, flags, nil)
        guard code == SQLITE_OK, let opened else {
            let message = opened.map { String(cString: sqlite3_errmsg($0)) } ?? "out of memory"
            sqlite3_close_v2(opened)
            throw SQLDriverError(kind: .unavailable, code: code, message: "cannot open \(path): \(message)")
        }
        handle = opened
        sqlite3_extended_result_codes(handle, 1)
        sqlite3_busy_timeout(handle, busyTimeoutMilliseconds)
        _ = try run("PRAGMA journal_mode = WAL", [])
        _ = try run("PRAGMA foreign_keys = ON", [])
        _ = try run("PRAGMA synchronous = NORMAL", [])
    }

    /// Opens an existing file read-only, without changing its journal mode: readiness probes.
    init(readOnlyPath path: String, busyTimeoutMilliseconds: Int32) throws(SQLDriverError) {
        var opened: OpaquePointer?
        let code = sqlite3_open_v2(path, &opened, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, nil)
        guard code == SQLITE_OK, let opened else {
            let message = opened.map { String(cString: sqlite3_errmsg($0)) } ?? "out of memory"
            sqlite3_close_v2(opened)
            throw SQLDriverError(kind: .unavailable, code: code, message: "cannot open \(path): \(message)")
        }
        handle = opened
        sqlite3_extended_result_codes(handle, 1)
        sqlite3_busy_timeout(handle, busyTimeoutMilliseconds)
    }

    deinit {
        sqlite3_close_v2(handle)
    }

    func run(_ sql: String, _ binds: [SQLValue]) throws(SQLDriverError) -> SQLResult {
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
            changes: Int(sqlite3_changes(handle)),
            lastInsertID: sqlite3_last_insert_rowid(handle)
        )
    }

    /// Runs several statements without parameters (a DDL file).
    func runScript(_ sql: String) throws(SQLDriverError) {
        var message: UnsafeMutablePointer<CChar>?
        let code = sqlite3_exec(handle, sql, nil, nil, &message)
        defer { sqlite3_free(message) }
        guard code == SQLITE_OK else {
            throw SQLiteConnection.classify(code: code, message: message.map { String(cString: $0) } ?? "")
        }
    }

    private func bind(_ value: SQLValue, at index: Int32, in statement: OpaquePointer) throws(SQLDriverError) {
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
    private func error(code: Int32) -> SQLDriverError {
        let message = String(cString: sqlite3_errmsg(handle))
        return SQLiteConnection.classify(code: code, message: message)
    }

    static func classify(code: Int32, message: String) -> SQLDriverError {
        let kind: SQLDriverError.Kind
        switch code {
        case 2067, 1555:  // SQLITE_CONSTRAINT_UNIQUE, SQLITE_CONSTRAINT_PRIMARYKEY
            kind = .uniqueViolation
        case 1299:  // SQLITE_CONSTRAINT_NOTNULL: "NOT NULL constraint failed: table.column"
            kind = .notNullViolation(column: message.split(separator: ".").last.map(String.init))
        case SQLITE_TOOBIG:
            kind = .valueTooLong(column: nil)
        default:
            switch code & 0xFF {
            case SQLITE_BUSY, SQLITE_LOCKED, SQLITE_CANTOPEN, SQLITE_IOERR, SQLITE_FULL, SQLITE_READONLY,
                SQLITE_NOTADB, SQLITE_CORRUPT:
                kind = .unavailable
            default:
                kind = .other
            }
        }
        return SQLDriverError(kind: kind, code: code, message: message)
    }
}

/// SQLite's "copy the value now" destructor for bound text and blobs.
private let sqliteTransient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)
