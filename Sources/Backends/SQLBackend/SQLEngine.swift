import SQLDrivers

/// Runs the SQL backend's statements in transactions on one ``SQLDatabase``, off the event loop.
struct SQLEngine: Sendable {
    let database: SQLDatabase

    var dialect: any SQLDialect { database.dialect }

    /// Runs `body` in one transaction on the connection's own thread (never an event loop): committed
    /// when it returns, rolled back when it throws. `body` is synchronous, so a transaction never waits on
    /// anything but the database while it holds locks.
    func transaction<T: Sendable>(
        _ kind: SQLTransactionKind,
        holding lock: SQLLock? = nil,
        _ body: @escaping @Sendable (SQLSession) throws -> T
    ) async throws -> T {
        let dialect = self.dialect
        return try await database.withTransaction(kind, holding: lock) { connection in
            try body(SQLSession(connection: connection, dialect: dialect))
        }
    }

    /// Runs `body` with a connection outside any explicit transaction (schema checks).
    func withSession<T: Sendable>(_ body: @escaping @Sendable (SQLSession) throws -> T) async throws -> T {
        let dialect = self.dialect
        return try await database.withConnection { connection in
            try body(SQLSession(connection: connection, dialect: dialect))
        }
    }
}

/// A connection inside a transaction, with helpers that quote identifiers and bind values.
struct SQLSession {
    let connection: any SQLConnection
    let dialect: any SQLDialect

    /// Runs a statement written with `?` placeholders.
    @discardableResult
    func run(_ fragment: SQLFragment) throws -> SQLResult {
        try connection.execute(dialect.rewritePlaceholders(fragment.sql), fragment.binds)
    }

    /// The rows of a query.
    func rows(_ fragment: SQLFragment) throws -> [[SQLValue]] {
        try run(fragment).rows
    }

    /// A quoted identifier.
    func q(_ identifier: String) -> String { dialect.quote(identifier) }

    /// Inserts one row and returns its generated key.
    func insert(into table: String, _ columns: [(String, SQLValue)], returningKey key: String) throws -> Int64 {
        var fragment = insertStatement(into: table, columns)
        switch dialect.keyRetrieval {
        case .returning:
            fragment.sql += " RETURNING \(q(key))"
            guard let value = try rows(fragment).first?.first?.integerValue else {
                throw SQLError(.other, message: "the insert returned no key")
            }
            return value
        case .lastInsertID:
            guard let value = try run(fragment).lastInsertID else {
                throw SQLError(.other, message: "the insert returned no key")
            }
            return value
        }
    }

    /// Inserts one row and returns the `returning` columns as stored (`INSERT … RETURNING`, where the
    /// connection has it: ``SQLConnection/insertReturnsRows``).
    func insert(into table: String, _ columns: [(String, SQLValue)], returning: [String]) throws -> [SQLValue] {
        var fragment = insertStatement(into: table, columns)
        fragment.sql += " RETURNING " + returning.map { q($0) }.joined(separator: ", ")
        guard let row = try rows(fragment).first else { throw SQLError(.other, message: "the insert returned no row") }
        return row
    }

    /// Inserts one row whose key is not needed.
    func insert(into table: String, _ columns: [(String, SQLValue)]) throws {
        try run(insertStatement(into: table, columns))
    }

    /// Inserts several rows of the same columns in one statement.
    func insert(into table: String, columns: [String], rows: [[SQLValue]]) throws {
        guard !rows.isEmpty else { return }
        let names = columns.map { q($0) }.joined(separator: ", ")
        let tuple = "(" + Array(repeating: "?", count: columns.count).joined(separator: ", ") + ")"
        let tuples = Array(repeating: tuple, count: rows.count).joined(separator: ", ")
        try run(SQLFragment("INSERT INTO \(q(table)) (\(names)) VALUES \(tuples)", rows.flatMap { $0 }))
    }

    private func insertStatement(into table: String, _ columns: [(String, SQLValue)]) -> SQLFragment {
        let names = columns.map { q($0.0) }.joined(separator: ", ")
        let marks = Array(repeating: "?", count: columns.count).joined(separator: ", ")
        return SQLFragment("INSERT INTO \(q(table)) (\(names)) VALUES (\(marks))", columns.map(\.1))
    }

    /// Updates columns of the rows where `column = value`.
    @discardableResult
    func update(
        _ table: String,
        set columns: [(String, SQLValue)],
        where column: String,
        equals value: SQLValue
    ) throws
        -> Int
    {
        guard !columns.isEmpty else { return 0 }
        let assignments = columns.map { "\(q($0.0)) = ?" }.joined(separator: ", ")
        return try run(
            SQLFragment(
                "UPDATE \(q(table)) SET \(assignments) WHERE \(q(column)) = ?",
                columns.map(\.1) + [value]
            )
        ).affectedRows
    }

    /// Deletes the rows where `column = value`.
    @discardableResult
    func delete(from table: String, where column: String, equals value: SQLValue) throws -> Int {
        try run(SQLFragment("DELETE FROM \(q(table)) WHERE \(q(column)) = ?", [value])).affectedRows
    }
}
