import Foundation

/// What an SQL engine varies by: placeholders, quoting, key retrieval, case-insensitive comparison,
/// locking and the column types of the gateway's own tables. Callers write `?` placeholders and quoted
/// identifiers through these methods only, so an engine's dialect is one file in its folder.
public protocol SQLDialect: Sendable {
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

    /// Whether `UPDATE … RETURNING` answers the updated rows (PostgreSQL, SQLite ≥ 3.35; not MySQL
    /// or MariaDB, whose `RETURNING` is for `INSERT` and `DELETE` only).
    var hasUpdateReturning: Bool { get }

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

    /// The lock serialising the creation of extra field definitions; nil when write transactions are
    /// serialised anyway (SQLite).
    var definitionLock: SQLLock? { get }

    /// The column definition of an integer primary key the database numbers itself (`id BIGSERIAL
    /// PRIMARY KEY`).
    func generatedKeyColumn(_ name: String) -> String

    /// The type of a 64-bit integer column.
    var bigIntegerType: String { get }

    /// The type of a double-precision floating-point column.
    var doubleType: String { get }
}

/// How a dialect reads back the key of an inserted row.
public enum GeneratedKeyRetrieval: Sendable {
    /// `INSERT … RETURNING key` (PostgreSQL, SQLite ≥ 3.35).
    case returning
    /// The connection's last insert id (MySQL, SQLite).
    case lastInsertID
}

/// The substring operators of SCIM filters.
public enum SubstringMatch: Sendable {
    case contains, startsWith, endsWith
}

extension SQLDialect {
    /// Statements as written: `?` is the engine's own placeholder.
    public func rewritePlaceholders(_ sql: String) -> String { sql }

    /// A double-quoted identifier, as the SQL standard writes it.
    public func quote(_ identifier: String) -> String { "\"\(identifier)\"" }

    /// `INSERT … RETURNING key`.
    public var keyRetrieval: GeneratedKeyRetrieval { .returning }

    /// `UPDATE … RETURNING` is there.
    public var hasUpdateReturning: Bool { true }

    /// `FOR UPDATE`.
    public var rowLockClause: String { "FOR UPDATE" }

    /// `BIGINT`.
    public var bigIntegerType: String { "BIGINT" }

    /// `LIKE` through the dialect's own comparisons, with ``LikePattern``'s `!` escapes.
    public func substringMatch(
        _ lhs: String,
        _ match: SubstringMatch,
        value: String,
        caseInsensitive: Bool
    ) -> SQLFragment {
        let comparison =
            caseInsensitive ? caseInsensitiveComparison(lhs, "LIKE") : caseSensitiveComparison(lhs, "LIKE")
        return SQLFragment(comparison + " ESCAPE '!'", [.text(LikePattern.make(match, value))])
    }

    /// `lhs op ?`: the column's own comparison, which is case-exact for SQLite and PostgreSQL text.
    public func caseSensitiveComparison(_ lhs: String, _ op: String) -> String {
        "\(lhs) \(op) ?"
    }

    /// The UUID as lower-case text (PostgreSQL's `uuid` type reads it, SQLite stores it as is).
    public func uuidValue(_ uuid: UUID) -> SQLValue {
        .text(uuid.uuidString.lowercased())
    }

    /// Text holding a UUID, or 16 bytes, as canonical lower-case text.
    public func uuidText(_ value: SQLValue) -> String? {
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
}

/// A lock that serialises work across every gateway process writing to one database (the creation of
/// extra field definitions: Chamilo has no unique key on `extra_field.variable`).
public struct SQLLock: Sendable {
    /// Taken before the transaction begins (MariaDB `GET_LOCK`, a session lock, which answers 1 when
    /// granted) or, when ``heldByTransaction``, inside it (PostgreSQL's transaction-scoped advisory lock).
    public var acquire: String
    /// Whether the transaction's end releases the lock.
    public var heldByTransaction: Bool
    /// Run after the transaction when the lock outlives it (`RELEASE_LOCK`).
    public var release: String?

    public init(acquire: String, heldByTransaction: Bool, release: String?) {
        self.acquire = acquire
        self.heldByTransaction = heldByTransaction
        self.release = release
    }
}

/// `LIKE` patterns with `!` as the escape character: unlike `\`, it means the same in PostgreSQL and
/// MySQL string literals whatever the server's settings.
public enum LikePattern {
    /// The pattern matching `value` as a substring, prefix or suffix, its wildcards escaped.
    public static func make(_ match: SubstringMatch, _ value: String) -> String {
        let escaped = escaping(value, ["%", "_", "!"]) { "!" + String($0) }
        switch match {
        case .contains: return "%\(escaped)%"
        case .startsWith: return "\(escaped)%"
        case .endsWith: return "%\(escaped)"
        }
    }

    /// `value` with every code point in `special` replaced by `escape(codePoint)`. It works on code
    /// points, not characters: a wildcard followed by a combining mark (`"%\u{301}"`) is one
    /// `Character` that equals no wildcard, yet the database sees the `%`.
    public static func escaping(
        _ value: String,
        _ special: Set<Unicode.Scalar>,
        _ escape: (Unicode.Scalar) -> String
    ) -> String {
        var escaped = String.UnicodeScalarView()
        for scalar in value.unicodeScalars {
            if special.contains(scalar) {
                escaped.append(contentsOf: escape(scalar).unicodeScalars)
            } else {
                escaped.append(scalar)
            }
        }
        return String(escaped)
    }
}
