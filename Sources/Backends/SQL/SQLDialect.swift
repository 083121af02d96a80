import Foundation
import SCIM

/// What an SQL engine varies by: placeholders, quoting, key retrieval, case-insensitive comparison,
/// locking and error classification. The SQL engine writes `?` placeholders and quoted identifiers
/// through these methods only, so a dialect (SQLite, PostgreSQL, MySQL) is one new file.
protocol SQLDialect: Sendable {
    /// `sqlite`, `postgres`, `mysql`.
    var name: String { get }

    /// The statement as the server expects it: the engine's `?` placeholders renumbered if needed
    /// (`$1`, `$2` for PostgreSQL). Identifiers are validated and never contain `?`, and values are
    /// never spliced in, so every `?` is a placeholder.
    func rewritePlaceholders(_ sql: String) -> String

    /// A quoted identifier (`"user"`, `` `user` ``). Names are validated identifiers already.
    func quote(_ identifier: String) -> String

    /// How the key of an inserted row is read back.
    var keyRetrieval: GeneratedKeyRetrieval { get }

    /// `lhs op ?` compared without regard to letter case, for `=`, `<>`, `<`, `<=`, `>`, `>=`;
    /// written so that an index on the column can be used where the schema allows it.
    func caseInsensitiveComparison(_ lhs: String, _ op: String) -> String

    /// `lhs op ?` compared letter for letter (case-exact attributes), for text values; the same
    /// operators as ``caseInsensitiveComparison(_:_:)``.
    func caseSensitiveComparison(_ lhs: String, _ op: String) -> String

    /// How a generated UUID is bound for a column that holds one (text, or 16 bytes for MySQL's `BINARY(16)`).
    func uuidValue(_ uuid: UUID) -> SQLValue

    /// The canonical text (`xxxxxxxx-xxxx-…`, lower case) of a stored UUID, or nil when the value is not one.
    func uuidText(_ value: SQLValue) -> String?

    /// An expression ordering text without regard to letter case.
    func caseInsensitiveOrdering(_ expression: String) -> String

    /// A substring match (`co`, `sw`, `ew`): the SQL condition with one placeholder and the bound
    /// pattern, with the pattern's wildcard characters escaped.
    func substringMatch(_ lhs: String, _ match: SubstringMatch, value: String, caseInsensitive: Bool) -> SQLFragment

    /// The clause appended to a `SELECT` that locks the rows it reads until the transaction ends
    /// (`FOR UPDATE`); empty when the write transaction already holds the lock (SQLite).
    var rowLockClause: String { get }

    /// The statement opening a transaction that will write (`BEGIN IMMEDIATE` for SQLite).
    var beginWriteTransaction: String { get }

    /// The statement opening a read-only transaction.
    var beginReadTransaction: String { get }

    /// The lock serialising the creation of extra field definitions; nil when write transactions are
    /// serialised anyway (SQLite).
    var definitionLock: DefinitionLock? { get }

    /// The error a SCIM client should see for a driver error: uniqueness 409, value too long or a
    /// missing required value 400 invalidValue naming the SCIM attribute, connection problems 503.
    func classify(_ error: SQLDriverError, attributeForColumn: (String) -> String?) -> SCIMError
}

/// How a dialect reads back the key of an inserted row.
enum GeneratedKeyRetrieval: Sendable {
    /// `INSERT … RETURNING key` (PostgreSQL, SQLite ≥ 3.35).
    case returning
    /// The connection's last insert id (MySQL, SQLite).
    case lastInsertID
}

/// The substring operators of SCIM filters.
enum SubstringMatch: Sendable {
    case contains, startsWith, endsWith
}

/// A failure reported by a database driver, classified so dialects can map it to a SCIM error.
/// `description` is generic; the server's message is in `debugDescription`.
struct SQLDriverError: Error, Sendable, CustomStringConvertible, CustomDebugStringConvertible {
    /// What kind of failure it is.
    enum Kind: Sendable, Hashable {
        case uniqueViolation
        case notNullViolation(column: String?)
        case valueTooLong(column: String?)
        case unavailable
        case other
    }

    var kind: Kind
    /// The driver's numeric code.
    var code: Int32
    /// The server's message.
    var message: String
    /// The SQLSTATE, where the driver reports one.
    var sqlState: String?

    var description: String { "database error \(code)" }
    var debugDescription: String { "database error \(code)\(sqlState.map { " (\($0))" } ?? ""): \(message)" }
}

extension SQLDialect {
    /// `lhs op ?`: the column's own comparison, which is case-exact for SQLite and PostgreSQL text.
    func caseSensitiveComparison(_ lhs: String, _ op: String) -> String {
        "\(lhs) \(op) ?"
    }

    /// The UUID as lower-case text (PostgreSQL's `uuid` type reads it, SQLite stores it as is).
    func uuidValue(_ uuid: UUID) -> SQLValue {
        .text(uuid.uuidString.lowercased())
    }

    /// Text holding a UUID, or 16 bytes, as canonical lower-case text.
    func uuidText(_ value: SQLValue) -> String? {
        switch value {
        case .text(let text): return UUID(uuidString: text).map { $0.uuidString.lowercased() }
        case .blob(let bytes) where bytes.count == 16:
            let uuid = UUID(
                uuid: (
                    bytes[0], bytes[1], bytes[2], bytes[3], bytes[4], bytes[5], bytes[6], bytes[7], bytes[8],
                    bytes[9], bytes[10], bytes[11], bytes[12], bytes[13], bytes[14], bytes[15]
                )
            )
            return uuid.uuidString.lowercased()
        default: return nil
        }
    }

    /// The classification shared by every dialect once the driver has sorted the error.
    func defaultClassification(_ error: SQLDriverError, attributeForColumn: (String) -> String?) -> SCIMError {
        switch error.kind {
        case .uniqueViolation:
            return .uniqueness("A resource with the same unique value already exists.")
        case .notNullViolation(let column):
            let name = column.flatMap(attributeForColumn) ?? column ?? "a required attribute"
            return .invalidValue("\(name) is required by the portal's database.")
        case .valueTooLong(let column):
            let name = column.flatMap(attributeForColumn) ?? column ?? "a value"
            return .invalidValue(
                "\(name) is longer than the portal's database accepts\(column.map { " (\($0))" } ?? "")."
            )
        case .unavailable:
            return .unavailable("The portal's database is not reachable; try again later.")
        case .other:
            return .internalError()
        }
    }
}
