import Foundation

extension TokenStore {
    /// Rotates the tenant's token called `name`. See ``rotate(_:name:grace:expiresIn:)``.
    public func rotate(
        tenant: String,
        name: String,
        grace: Duration,
        expiresIn: Duration?? = .none
    ) throws -> (token: String, record: TokenRecord) {
        try rotate(.tenant(tenant), name: name, grace: grace, expiresIn: expiresIn)
    }

    /// Replaces the active token called `name` by a new one of the same name: returns the new token
    /// (shown once) and its record. The old token keeps working until `grace` has passed (never
    /// longer than it would have anyway), so an identity provider can be switched without an outage.
    /// `expiresIn` is the new token's lifetime; by default the old token's lifetime again.
    public func rotate(
        _ scope: TokenScope,
        name: String,
        grace: Duration,
        expiresIn: Duration?? = .none
    ) throws -> (token: String, record: TokenRecord) {
        try checkScope(scope)
        let path = filePath(scope)
        var file = try TokenFile.read(path: path, displayPath: displayPath(scope))
        let instant = now()
        let date = Date(timeIntervalSince1970: instant.timeIntervalSince1970.rounded(.down))
        let indices = file.tokens.indices.filter {
            file.tokens[$0].name == name && file.tokens[$0].status(at: instant) == .active
        }
        guard let newest = indices.last else {
            throw TokenError("\(scope) has no active token named '\(name)'")
        }
        let graceEnd = try Self.graceEnd(after: instant, grace: grace)
        let previous = file.tokens[newest]
        let lifetime: Duration?
        switch expiresIn {
        case .some(let requested): lifetime = requested
        case .none: lifetime = previous.expires.map { .seconds(max(1, $0.timeIntervalSince(previous.created))) }
        }
        for index in indices {
            file.tokens[index].expires = min(file.tokens[index].expires ?? graceEnd, graceEnd)
        }
        let token = TokenSecret.makeToken()
        let record = TokenRecord(
            id: TokenSecret.makeTokenID(),
            name: previous.name,
            sha256: TokenSecret.hexDigest(of: token),
            created: date,
            expires: try lifetime.map { try Self.expiry(after: date, lifetime: $0) }
        )
        file.tokens.append(record)
        try file.write(path: path)
        return (token, record)
    }

    /// The end of a grace period starting at `instant`, in whole seconds rounded up so that the
    /// period is never shorter than asked (files store whole seconds).
    static func graceEnd(after instant: Date, grace: Duration) throws -> Date {
        let seconds = Self.seconds(grace)
        guard seconds >= 0 else { throw TokenError("the grace period must not be negative") }
        return Date(timeIntervalSince1970: (instant.timeIntervalSince1970 + seconds).rounded(.up))
    }

    /// The expiry of something made at `date` that lives `lifetime`.
    static func expiry(after date: Date, lifetime: Duration) throws -> Date {
        let seconds = Self.seconds(lifetime)
        guard seconds > 0 else { throw TokenError("the expiry must be in the future") }
        return date.addingTimeInterval(seconds)
    }

    static func seconds(_ duration: Duration) -> Double {
        let parts = duration.components
        return Double(parts.seconds) + Double(parts.attoseconds) / 1e18
    }
}
