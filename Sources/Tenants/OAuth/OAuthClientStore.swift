import Foundation

/// Creates, lists, rotates and revokes a tenant's OAuth 2.0 clients (`tenants.d/<id>.clients`).
/// Secrets are shown once and stored as their SHA-256, like bearer tokens. The gateway notices
/// every change within seconds.
public struct OAuthClientStore: Sendable {
    /// The configuration directory (`./tenants.d` by default).
    public var configDirectory: String
    let now: @Sendable () -> Date

    /// The prefix of every client secret.
    public static let secretPrefix = "sgwcs_"

    /// Makes a store over `configDirectory`; `now` is the clock for every date it writes.
    public init(configDirectory: String, now: @escaping @Sendable () -> Date = { Date() }) {
        self.configDirectory = configDirectory
        self.now = now
    }

    /// A client and the secret just made for it (shown once, never stored).
    public struct Issued: Sendable {
        /// The client's record as stored.
        public var record: OAuthClientRecord
        /// The new secret.
        public var secret: String
        /// The new secret's record.
        public var secretRecord: OAuthSecretRecord
    }

    /// Creates a client with one secret valid for `expiresIn` (`nil` never expires). A name already
    /// used by an active client is an error. Makes the installation's signing key if there is none.
    public func create(tenant: String, name: String, expiresIn: Duration?) throws -> Issued {
        let tokens = tokenStore
        try tokens.checkScope(.tenant(tenant))
        let name = try TokenStore.validatedName(name)
        var file = try read(tenant)
        let date = wholeSeconds(now())
        if file.clients.contains(where: { $0.name == name && $0.status(at: date) != .revoked }) {
            throw TokenError(
                "tenant '\(tenant)' already has a client named '\(name)'; revoke it first or choose another name"
            )
        }
        let (secret, secretRecord) = try makeSecret(created: date, expiresIn: expiresIn)
        let record = OAuthClientRecord(
            id: "cli_" + TokenSecret.hex(TokenSecret.randomBytes(count: 10)),
            name: name,
            created: date,
            secrets: [secretRecord]
        )
        _ = try SigningKeyStore(configDirectory: configDirectory, now: now).currentKey()
        file.clients.append(record)
        try file.write(path: path(tenant))
        return Issued(record: record, secret: secret, secretRecord: secretRecord)
    }

    /// The tenant's clients, oldest first (revoked and expired ones included).
    public func list(tenant: String) throws -> [OAuthClientRecord] {
        try tokenStore.checkScope(.tenant(tenant))
        return try read(tenant).clients
    }

    /// Adds a new secret to the client called `name`; its other secrets keep working until `grace`
    /// has passed. `expiresIn` is the new secret's lifetime, by default the previous one's.
    public func rotate(tenant: String, name: String, grace: Duration, expiresIn: Duration?? = .none) throws -> Issued {
        try tokenStore.checkScope(.tenant(tenant))
        var file = try read(tenant)
        let instant = now()
        guard let index = file.clients.lastIndex(where: { $0.name == name && $0.revoked == nil }) else {
            throw TokenError("tenant '\(tenant)' has no client named '\(name)'")
        }
        let graceEnd = try TokenStore.graceEnd(after: instant, grace: grace)
        var client = file.clients[index]
        let lifetime: Duration?
        switch expiresIn {
        case .some(let requested): lifetime = requested
        case .none:
            lifetime = client.secrets.last.flatMap { last in
                last.expires.map { .seconds(max(1, $0.timeIntervalSince(last.created))) }
            }
        }
        for secretIndex in client.secrets.indices where client.secrets[secretIndex].isActive(at: instant) {
            client.secrets[secretIndex].expires = min(client.secrets[secretIndex].expires ?? graceEnd, graceEnd)
        }
        let (secret, secretRecord) = try makeSecret(created: wholeSeconds(instant), expiresIn: lifetime)
        client.secrets.append(secretRecord)
        file.clients[index] = client
        try file.write(path: path(tenant))
        return Issued(record: client, secret: secret, secretRecord: secretRecord)
    }

    /// Revokes the client called `name`: its secrets and every access token issued to it stop
    /// working (the gateway notices within seconds).
    @discardableResult
    public func revoke(tenant: String, name: String) throws -> OAuthClientRecord {
        try tokenStore.checkScope(.tenant(tenant))
        var file = try read(tenant)
        guard let index = file.clients.lastIndex(where: { $0.name == name && $0.revoked == nil }) else {
            throw TokenError("tenant '\(tenant)' has no client named '\(name)'")
        }
        file.clients[index].revoked = wholeSeconds(now())
        try file.write(path: path(tenant))
        return file.clients[index]
    }

    private var tokenStore: TokenStore {
        TokenStore(configDirectory: configDirectory, now: now)
    }

    private func makeSecret(created: Date, expiresIn: Duration?) throws -> (String, OAuthSecretRecord) {
        let secret = Self.secretPrefix + TokenSecret.base64URL(TokenSecret.randomBytes(count: 32))
        let record = OAuthSecretRecord(
            id: "sec_" + TokenSecret.hex(TokenSecret.randomBytes(count: 6)),
            sha256: TokenSecret.hexDigest(of: secret),
            created: created,
            expires: try expiresIn.map { try TokenStore.expiry(after: created, lifetime: $0) }
        )
        return (secret, record)
    }

    private func read(_ tenant: String) throws(ConfigurationError) -> OAuthClientFile {
        let name = "\(tenant).clients"
        let paths = ConfigurationPaths(configDirectory)
        return try OAuthClientFile.read(path: paths.file(name), displayPath: paths.display(name))
    }

    private func path(_ tenant: String) -> String {
        ConfigurationPaths(configDirectory).file("\(tenant).clients")
    }

    private func wholeSeconds(_ date: Date) -> Date {
        Date(timeIntervalSince1970: date.timeIntervalSince1970.rounded(.down))
    }
}
