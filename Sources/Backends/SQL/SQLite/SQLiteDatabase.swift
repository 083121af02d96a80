import Foundation

/// An SQLite file as a plain ``SQLDatabase`` (the gateway's provisioning-log store): WAL mode,
/// a busy timeout, foreign keys, statements with bound parameters, blocking calls off the event loop.
public struct SQLiteDatabase: SQLDatabase {
    private let engine: SQLEngine

    /// The file path.
    public let path: String

    /// Opens (creating it and its parent folders if needed) the database at `path`; a relative
    /// path is relative to the working directory. Throws when the file cannot be opened.
    public init(path: String, maxConnections: Int = 4) async throws {
        let url = URL(fileURLWithPath: path)
        let folder = url.deletingLastPathComponent()
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        self.path = url.path
        engine = SQLEngine(driver: SQLiteDriver(path: url.path), poolSize: maxConnections)
        // Open one connection now, so a bad path fails here rather than at the first statement.
        try await engine.withSession { _ in () }
    }

    /// `sqlite`.
    public var dialectName: String { "sqlite" }

    /// Runs one statement with bound parameters (`?` placeholders) and returns its rows.
    @discardableResult
    public func execute(_ sql: String, _ binds: [SQLValue]) async throws -> [[SQLValue]] {
        try await engine.withSession { session in
            try session.rows(SQLFragment(sql, binds))
        }
    }

    /// Runs statements in one write transaction: committed when `body` returns, rolled back when it throws.
    public func transaction<T: Sendable>(
        _ body: @Sendable (_ execute: (String, [SQLValue]) throws -> [[SQLValue]]) throws -> T
    ) async throws -> T {
        try await withoutActuallyEscaping(body) { escapable in
            let handOff = ClosureHandOff(escapable)
            defer { _ = handOff.take() }
            return try await engine.transaction(.write) { session in
                guard let body = handOff.take() else { throw CancellationError() }
                return try body { sql, binds in try session.rows(SQLFragment(sql, binds)) }
            }
        }
    }

    /// Runs a script of several statements without parameters, such as a DDL file
    /// (`schemas/sqlite/<mapping>.sql`). Never pass values from requests here.
    public func executeScript(_ sql: String) async throws {
        try await engine.withSession { session in
            guard let connection = session.connection as? SQLiteConnection else { return }
            try connection.runScript(sql)
        }
    }

    /// Closes idle connections; the database is not used afterwards.
    public func close() async {
        await engine.pool.close()
    }
}
