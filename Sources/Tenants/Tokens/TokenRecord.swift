import Foundation
import SCIM

/// One bearer token as stored in `tenants.d/<id>.tokens` or `tenants.d/admin.tokens`: everything
/// about it but the token itself, which is shown once at creation and never stored.
public struct TokenRecord: Sendable, Hashable {
    /// A short random id (`tok_…`) that names the token in logs and listings.
    public var id: String
    /// The operator's name for the token (e.g. `entra-prod`), unique among active tokens.
    public var name: String
    /// The SHA-256 of the token, 64 lower-case hexadecimal digits.
    public var sha256: String
    /// When the token was made.
    public var created: Date
    /// When the token stops working; `nil` for never.
    public var expires: Date?
    /// When the token was revoked; `nil` while it is not.
    public var revoked: Date?

    /// Makes a record.
    public init(id: String, name: String, sha256: String, created: Date, expires: Date? = nil, revoked: Date? = nil) {
        self.id = id
        self.name = name
        self.sha256 = sha256
        self.created = created
        self.expires = expires
        self.revoked = revoked
    }

    init(json: JSONFields) throws(ConfigurationIssue) {
        self.init(
            id: try json.string("id"),
            name: try json.string("name"),
            sha256: try json.string("sha256"),
            created: try json.date("created"),
            expires: try json.optionalDate("expires"),
            revoked: try json.optionalDate("revoked")
        )
    }

    var json: JSONObject {
        JSONFields.object([
            ("id", .string(id)), ("name", .string(name)), ("sha256", .string(sha256)),
            ("created", JSONFileDate.value(created)), ("expires", JSONFileDate.value(expires)),
            ("revoked", JSONFileDate.value(revoked)),
        ])
    }

    /// Whether a token is usable, expired or revoked.
    public enum Status: String, Sendable, Hashable {
        /// The token authenticates.
        case active
        /// The token's expiry date has passed.
        case expired
        /// The token was revoked.
        case revoked
    }

    /// The token's status at `date`.
    public func status(at date: Date) -> Status {
        if revoked != nil { return .revoked }
        if let expires, expires <= date { return .expired }
        return .active
    }
}

/// Which token file a token belongs to.
public enum TokenScope: Sendable, Hashable, CustomStringConvertible {
    /// A tenant's tokens, `tenants.d/<id>.tokens`: they reach that tenant's SCIM endpoints.
    case tenant(String)
    /// Operator tokens, `tenants.d/admin.tokens`: they reach `/admin/v1`.
    case admin

    /// The token file's name inside the configuration directory.
    public var fileName: String {
        switch self {
        case .tenant(let id): "\(id).tokens"
        case .admin: "admin.tokens"
        }
    }

    /// The text operators see, on one line.
    public var description: String {
        switch self {
        case .tenant(let id): "tenant '\(id)'"
        case .admin: "admin"
        }
    }
}

/// A token operation that cannot be done; the description is one line.
public struct TokenError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What is wrong.
    public var message: String

    /// Makes an error.
    public init(_ message: String) {
        self.message = message
    }

    /// The text operators see, on one line.
    public var description: String { message }
}
