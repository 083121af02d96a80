import Foundation
import SCIM

/// One OAuth 2.0 client of a tenant as stored in `tenants.d/<id>.clients`: everything about it but
/// its secrets, of which only the SHA-256 is kept.
public struct OAuthClientRecord: Sendable, Hashable {
    /// The public client identifier (`cli_…`), unique across the installation.
    public var id: String
    /// The operator's name for the client (e.g. `entra-gallery`), unique among active clients.
    public var name: String
    /// When the client was made.
    public var created: Date
    /// When the client was revoked; `nil` while it is not.
    public var revoked: Date?
    /// The client's secrets, oldest first; during a rotation two are active.
    public var secrets: [OAuthSecretRecord]

    /// Makes a record.
    public init(id: String, name: String, created: Date, revoked: Date? = nil, secrets: [OAuthSecretRecord]) {
        self.id = id
        self.name = name
        self.created = created
        self.revoked = revoked
        self.secrets = secrets
    }

    init(json: JSONFields) throws(ConfigurationIssue) {
        self.init(
            id: try json.string("id"),
            name: try json.string("name"),
            created: try json.date("created"),
            revoked: try json.optionalDate("revoked"),
            secrets: try json.list("secrets", OAuthSecretRecord.init(json:))
        )
    }

    var json: JSONObject {
        JSONFields.object([
            ("id", .string(id)), ("name", .string(name)), ("created", JSONFileDate.value(created)),
            ("revoked", JSONFileDate.value(revoked)), ("secrets", .array(secrets.map { .object($0.json) })),
        ])
    }

    /// The client's secrets that authenticate at `date`.
    public func activeSecrets(at date: Date) -> [OAuthSecretRecord] {
        guard revoked == nil else { return [] }
        return secrets.filter { $0.isActive(at: date) }
    }

    /// When the client stops working unless it is rotated: the latest expiry of its active
    /// secrets; `nil` when one never expires or none is active.
    public func expires(at date: Date) -> Date? {
        let active = activeSecrets(at: date)
        guard !active.isEmpty, !active.contains(where: { $0.expires == nil }) else { return nil }
        return active.compactMap(\.expires).max()
    }

    /// The client's status at `date`: revoked, expired (no active secret) or active.
    public func status(at date: Date) -> TokenRecord.Status {
        if revoked != nil { return .revoked }
        return activeSecrets(at: date).isEmpty ? .expired : .active
    }
}

/// One secret of an OAuth client: its SHA-256, never the secret itself.
public struct OAuthSecretRecord: Sendable, Hashable {
    /// A short random id (`sec_…`) that names the secret in listings and access tokens.
    public var id: String
    /// The SHA-256 of the secret, 64 lower-case hexadecimal digits.
    public var sha256: String
    /// When the secret was made.
    public var created: Date
    /// When the secret stops working; `nil` for never. A rotation shortens it to the grace period.
    public var expires: Date?

    /// Makes a record.
    public init(id: String, sha256: String, created: Date, expires: Date?) {
        self.id = id
        self.sha256 = sha256
        self.created = created
        self.expires = expires
    }

    init(json: JSONFields) throws(ConfigurationIssue) {
        self.init(
            id: try json.string("id"),
            sha256: try json.string("sha256"),
            created: try json.date("created"),
            expires: try json.optionalDate("expires")
        )
    }

    var json: JSONObject {
        JSONFields.object([
            ("id", .string(id)), ("sha256", .string(sha256)), ("created", JSONFileDate.value(created)),
            ("expires", JSONFileDate.value(expires)),
        ])
    }

    /// Whether the secret authenticates at `date`.
    public func isActive(at date: Date) -> Bool {
        expires.map { $0 > date } ?? true
    }
}

/// The on-disk form of a clients file: JSON (which is also YAML), written by the CLI and the admin
/// API only.
struct OAuthClientFile: Sendable, JSONFileRepresentable {
    var clients: [OAuthClientRecord]

    init(clients: [OAuthClientRecord]) {
        self.clients = clients
    }

    init(json: JSONFields) throws(ConfigurationIssue) {
        clients = try json.list("clients", OAuthClientRecord.init(json:))
    }

    var json: JSONObject {
        JSONFields.object([("clients", .array(clients.map { .object($0.json) }))])
    }

    /// Reads a clients file; a missing file is an empty one. `displayPath` names it in errors.
    static func read(path: String, displayPath: String) throws(ConfigurationError) -> OAuthClientFile {
        guard FileManager.default.fileExists(atPath: path) else { return OAuthClientFile(clients: []) }
        let file: OAuthClientFile = try readJSONFile(path: path, displayPath: displayPath)
        for (index, client) in file.clients.enumerated() {
            for (secretIndex, secret) in client.secrets.enumerated()
            where TokenSecret.digestBytes(fromHex: secret.sha256) == nil {
                throw ConfigurationError(
                    file: displayPath,
                    key: "clients.\(index).secrets.\(secretIndex).sha256",
                    message: "expected 64 hexadecimal digits"
                )
            }
        }
        return file
    }

    /// Writes the file atomically, readable by its owner only.
    func write(path: String) throws {
        try writeJSONFile(self, path: path)
    }
}
