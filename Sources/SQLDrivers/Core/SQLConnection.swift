/// Whether a transaction writes (and so takes the write lock up front on SQLite) or only reads.
public enum SQLTransactionKind: Sendable {
    case read, write
}

/// A blocking connection to one database: a PostgreSQL or MariaDB server, or an SQLite file.
///
/// Implementations own the C handle: it never leaves them, and their `deinit` frees it. A connection is
/// used by one thread at a time: the ``ConnectionPool`` gives it to one body at a time, on the thread of
/// its worker, which also opens and frees it.
public protocol SQLConnection: AnyObject, SendableMetatype {
    /// Everything needed to open a connection.
    associatedtype Configuration: Sendable

    /// Opens a connection; a failure to reach, log in to or open the database is ``SQLError/Kind/unavailable``.
    static func connect(_ configuration: Configuration) throws(SQLError) -> Self

    /// Reaches the database on a connection of its own, as a readiness check (blocking). By default it
    /// opens a connection and runs `SELECT 1`.
    static func probe(_ configuration: Configuration) throws(SQLError)

    /// Runs one statement with its parameters bound, never interpolated, in the engine's own placeholder
    /// syntax (`$1` for PostgreSQL, `?` otherwise).
    func execute(_ sql: String, _ binds: [SQLValue]) throws(SQLError) -> SQLResult

    /// Runs several statements without parameters, such as a DDL file. Never pass values from requests.
    func executeScript(_ sql: String) throws(SQLError)

    /// Starts a transaction.
    func begin(_ kind: SQLTransactionKind) throws(SQLError)

    /// Commits the transaction; throws when the server rolled it back instead.
    func commit() throws(SQLError)

    /// Rolls the transaction back.
    func rollback() throws(SQLError)

    /// Whether the connection can still be used. Without `ping`, only a look at the socket (an idle
    /// connection whose socket is readable was closed or told something by the server, which then costs a
    /// round trip); with `ping`, always a round trip.
    func isAlive(ping: Bool) -> Bool

    /// Every column of a table with its declared type (`varchar(100)`, `integer`), keyed by lower-case
    /// name, or nil when the table does not exist.
    func columns(of table: String) throws(SQLError) -> [String: String]?

    /// Whether `INSERT … RETURNING` answers the inserted row (PostgreSQL, SQLite ≥ 3.35, MariaDB ≥ 10.5;
    /// not MySQL).
    var insertReturnsRows: Bool { get }
}

extension SQLConnection {
    /// `INSERT … RETURNING` is there.
    public var insertReturnsRows: Bool { true }
}

extension SQLConnection {
    public static func probe(_ configuration: Configuration) throws(SQLError) {
        _ = try connect(configuration).execute("SELECT 1", [])
    }
}

extension SQLConnection {
    /// The columns a catalogue query lists for the bound table name: rows of the column's name, its type
    /// and, where the query gives one, a length that completes the type (`character varying` + `100`).
    func catalogColumns(_ sql: String, table: String) throws(SQLError) -> [String: String]? {
        let rows = try execute(sql, [.text(table)]).rows
        guard !rows.isEmpty else { return nil }
        var columns: [String: String] = [:]
        for row in rows {
            guard let name = row.first?.textValue else { continue }
            let type = row.count > 1 ? row[1].textValue ?? "" : ""
            let length = row.count > 2 ? row[2].integerValue : nil
            columns[name.lowercased()] = length.map { "\(type)(\($0))" } ?? type
        }
        return columns
    }
}
