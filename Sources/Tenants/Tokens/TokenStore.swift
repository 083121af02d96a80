import Foundation

/// Creates, lists and revokes the bearer tokens kept in the configuration directory
/// (`<id>.tokens` per tenant, `admin.tokens` for operators). The gateway notices every change
/// within seconds.
public struct TokenStore: Sendable {
    /// The configuration directory (`./tenants.d` by default).
    public var configDirectory: String
    let now: @Sendable () -> Date

    /// Makes a store over `configDirectory`; `now` is the clock for creation and revocation dates.
    public init(configDirectory: String, now: @escaping @Sendable () -> Date = { Date() }) {
        self.configDirectory = configDirectory
        self.now = now
    }

    /// Creates a token for a tenant. See ``create(_:name:expiresIn:)``.
    public func create(
        tenant: String,
        name: String,
        expiresIn: Duration?
    ) throws -> (
        token: String, record: TokenRecord
    ) {
        try create(.tenant(tenant), name: name, expiresIn: expiresIn)
    }

    /// Creates a token: returns the token (shown once, never stored) and its record (stored).
    /// `expiresIn` of `nil` never expires. A name already used by an active token is an error.
    public func create(
        _ scope: TokenScope,
        name: String,
        expiresIn: Duration?
    ) throws -> (
        token: String, record: TokenRecord
    ) {
        try checkScope(scope)
        let name = try Self.validatedName(name)
        let path = filePath(scope)
        var file = try TokenFile.read(path: path, displayPath: displayPath(scope))
        // Whole seconds, as the file stores them, so the returned record equals the stored one.
        let date = Date(timeIntervalSince1970: now().timeIntervalSince1970.rounded(.down))
        if file.tokens.contains(where: { $0.name == name && $0.status(at: date) == .active }) {
            throw TokenError(
                "\(scope) already has an active token named '\(name)'; revoke it first or choose another name"
            )
        }
        let token = TokenSecret.makeToken()
        var expires: Date?
        if let expiresIn {
            let parts = expiresIn.components
            let seconds = Double(parts.seconds) + Double(parts.attoseconds) / 1e18
            guard seconds > 0 else { throw TokenError("the expiry must be in the future") }
            expires = date.addingTimeInterval(seconds)
        }
        let record = TokenRecord(
            id: TokenSecret.makeTokenID(),
            name: name,
            sha256: TokenSecret.hexDigest(of: token),
            created: date,
            expires: expires
        )
        file.tokens.append(record)
        try file.write(path: path)
        return (token, record)
    }

    /// The tenant's tokens, oldest first (revoked and expired ones included).
    public func list(tenant: String) throws -> [TokenRecord] {
        try list(.tenant(tenant))
    }

    /// The scope's tokens, oldest first (revoked and expired ones included).
    public func list(_ scope: TokenScope) throws -> [TokenRecord] {
        try checkScope(scope)
        return try TokenFile.read(path: filePath(scope), displayPath: displayPath(scope)).tokens
    }

    /// Revokes the tenant's active token called `name`. See ``revoke(_:name:)``.
    @discardableResult
    public func revoke(tenant: String, name: String) throws -> TokenRecord {
        try revoke(.tenant(tenant), name: name)
    }

    /// Revokes the active token called `name` (both tokens while a rotation's grace period runs); it
    /// stays listed with its revocation date. Answers the newest one revoked.
    @discardableResult
    public func revoke(_ scope: TokenScope, name: String) throws -> TokenRecord {
        try checkScope(scope)
        let path = filePath(scope)
        var file = try TokenFile.read(path: path, displayPath: displayPath(scope))
        let date = Date(timeIntervalSince1970: now().timeIntervalSince1970.rounded(.down))
        // During a rotation two tokens share the name; revoking the name revokes both.
        let indices = file.tokens.indices.filter {
            file.tokens[$0].name == name && file.tokens[$0].status(at: date) == .active
        }
        guard let last = indices.last else {
            throw TokenError("\(scope) has no active token named '\(name)'")
        }
        for index in indices {
            file.tokens[index].revoked = date
        }
        try file.write(path: path)
        return file.tokens[last]
    }

    func checkScope(_ scope: TokenScope) throws {
        guard case .tenant(let id) = scope else { return }
        guard TenantConfiguration.isValidID(id), !TenantConfiguration.reservedIDs.contains(id) else {
            throw TokenError("'\(id)' is not a valid tenant id")
        }
        let tenantFile = ConfigurationPaths(configDirectory).tenantFile(id)
        guard FileManager.default.fileExists(atPath: tenantFile) else {
            throw TokenError(
                "no tenant '\(id)': \(ConfigurationPaths(configDirectory).display("\(id).yaml")) does not exist"
            )
        }
    }

    func filePath(_ scope: TokenScope) -> String {
        ConfigurationPaths(configDirectory).file(scope.fileName)
    }

    func displayPath(_ scope: TokenScope) -> String {
        ConfigurationPaths(configDirectory).display(scope.fileName)
    }

    static func validatedName(_ name: String) throws -> String {
        let trimmed = name.trimmingWhitespace()
        guard !trimmed.isEmpty else { throw TokenError("the token name must not be empty") }
        guard trimmed.count <= 64 else { throw TokenError("the token name must be at most 64 characters") }
        guard trimmed.unicodeScalars.allSatisfy({ !CharacterSet.controlCharacters.contains($0) }) else {
            throw TokenError("the token name must not contain control characters")
        }
        return trimmed
    }
}

/// Paths inside the configuration directory, and how to show them to an operator.
struct ConfigurationPaths: Sendable {
    let directory: String

    init(_ directory: String) {
        var trimmed = directory
        while trimmed.count > 1, trimmed.hasSuffix("/") { trimmed.removeLast() }
        self.directory = trimmed.isEmpty ? "." : trimmed
    }

    func file(_ name: String) -> String { "\(directory)/\(name)" }
    func tenantFile(_ id: String) -> String { file("\(id).yaml") }
    func mappingFile(_ name: String) -> String { "\(directory)/mappings/\(name).yaml" }

    /// The path as messages show it: without a leading `./`.
    func display(_ name: String) -> String {
        let full = file(name)
        return full.hasPrefix("./") ? String(full.dropFirst(2)) : full
    }

    var displayDirectory: String {
        directory.hasPrefix("./") ? String(directory.dropFirst(2)) : directory
    }
}
