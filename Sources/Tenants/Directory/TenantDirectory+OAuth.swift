import Foundation
import Logging
import SCIM
import Synchronization

/// An access token issued by `/oauth/token`.
public struct IssuedAccessToken: Sendable, Hashable {
    /// The token (shown once, never stored).
    public var accessToken: String
    /// Seconds until it expires.
    public var expiresIn: Int
    /// The tenant it reaches.
    public var tenantID: String
    /// The client it was issued to.
    public var clientID: String
    /// The client's name, for the provisioning log.
    public var clientName: String
}

/// Why client credentials were refused: `invalid_client` to the client, the reason to the log only.
public struct ClientRefusal: Error, Sendable, Hashable {
    /// The client's tenant, when the client id is known.
    public var tenantID: String?
    /// The client's name, when the client id is known.
    public var clientName: String?
    /// What was wrong, for the provisioning log (never the secret).
    public var reason: String

    /// Makes a refusal.
    public init(tenantID: String? = nil, clientName: String? = nil, reason: String) {
        self.tenantID = tenantID
        self.clientName = clientName
        self.reason = reason
    }
}

extension TenantDirectory {
    /// Checks client credentials and, when they are good, signs an access token for the client's
    /// tenant that lives the tenant's `oauth.accessTokenLifetime`. The secret is compared with every
    /// active secret of the client in constant time.
    public func issueAccessToken(clientID: String, secret: String) -> Result<IssuedAccessToken, ClientRefusal> {
        let date = clock()
        let digest = TokenSecret.digest(of: secret)
        let lookup = state.withLock { state -> (IndexedClient, Tenant, [SigningKey])? in
            guard let indexed = state.clientIndex[clientID], let entry = state.entries[indexed.tenantID] else {
                return nil
            }
            return (indexed, entry.tenant, state.signingKeys)
        }
        guard let (indexed, tenant, keys) = lookup else {
            return .failure(ClientRefusal(reason: "unknown client id"))
        }
        let client = indexed.record
        func refuse(_ reason: String) -> Result<IssuedAccessToken, ClientRefusal> {
            .failure(ClientRefusal(tenantID: tenant.id, clientName: client.name, reason: reason))
        }
        var matched: OAuthSecretRecord?
        for candidate in client.secrets {
            if let stored = TokenSecret.digestBytes(fromHex: candidate.sha256),
                TokenSecret.constantTimeEquals(stored, digest)
            {
                matched = candidate
            }
        }
        guard let matched else { return refuse("the client secret does not match") }
        guard client.revoked == nil else { return refuse("the client is revoked") }
        guard matched.isActive(at: date) else { return refuse("the client secret \(matched.id) has expired") }
        let key: SigningKey
        do {
            if let existing = SigningKeyStore.signingKey(in: keys) {
                key = existing
            } else {
                key = try SigningKeyStore(configDirectory: configDirectory, now: clock).currentKey()
                state.withLock { state in
                    if !state.signingKeys.contains(key) { state.signingKeys.append(key) }
                }
            }
        } catch {
            logger.error("cannot make an access-token signing key", metadata: ["error": "\(error)"])
            return refuse("no signing key is available: \(error)")
        }
        let issuedAt = Int64(date.timeIntervalSince1970.rounded(.down))
        let lifetime = tenant.configuration.accessTokenLifetime
        let claims = AccessTokenClaims(
            sub: client.id,
            tenant: tenant.id,
            sid: matched.id,
            iat: issuedAt,
            exp: issuedAt + Int64(lifetime),
            jti: TokenSecret.hex(TokenSecret.randomBytes(count: 12))
        )
        do {
            let token = try AccessToken.sign(claims, with: key)
            usage.record(tenant: tenant.id, credential: client.id, at: date)
            return .success(
                IssuedAccessToken(
                    accessToken: token,
                    expiresIn: lifetime,
                    tenantID: tenant.id,
                    clientID: client.id,
                    clientName: client.name
                )
            )
        } catch {
            return refuse("the token cannot be signed: \(error)")
        }
    }

    /// The tenant an access token reaches: its signature verifies with a current key, it has not
    /// expired, and its client and the secret that obtained it are still active (so a revoke takes
    /// effect with the next reload, within seconds, whatever the token's own expiry says).
    func authenticate(accessToken: String) -> AuthenticatedTenant? {
        let date = clock()
        let keys = state.withLock { $0.signingKeys }
        guard case .success(let claims) = AccessToken.verify(accessToken, keys: keys, at: date) else { return nil }
        let authenticated = state.withLock { state -> AuthenticatedTenant? in
            guard let indexed = state.clientIndex[claims.sub], indexed.tenantID == claims.tenant,
                indexed.record.activeSecrets(at: date).contains(where: { $0.id == claims.sid }),
                let entry = state.entries[claims.tenant]
            else { return nil }
            return AuthenticatedTenant(tenant: entry.tenant, tokenID: claims.sub)
        }
        if authenticated != nil {
            usage.record(tenant: claims.tenant, credential: claims.sub, at: date)
        }
        return authenticated
    }

    /// How a tenant's clients may authenticate: whether it has an active static token and an active
    /// OAuth client.
    public func credentialKinds(tenant id: String) -> (staticTokens: Bool, oauthClients: Bool) {
        let date = clock()
        return state.withLock { state in
            (
                state.tokens[id]?.contains { $0.status(at: date) == .active } ?? false,
                state.clients[id]?.contains { $0.status(at: date) == .active } ?? false
            )
        }
    }

    /// Active tokens and clients of every tenant that expire within `window`, soonest first.
    public func expiringCredentials(within window: TimeInterval) -> [ExpiringCredential] {
        let date = clock()
        let limit = date.addingTimeInterval(window)
        let found = state.withLock { state -> [ExpiringCredential] in
            var found: [ExpiringCredential] = []
            for (tenant, records) in state.tokens where state.entries[tenant] != nil {
                for record in records where record.status(at: date) == .active {
                    guard let expires = record.expires, expires <= limit else { continue }
                    found.append(
                        .init(tenant: tenant, kind: .token, id: record.id, name: record.name, expires: expires)
                    )
                }
            }
            for (tenant, records) in state.clients where state.entries[tenant] != nil {
                for record in records where record.status(at: date) == .active {
                    guard let expires = record.expires(at: date), expires <= limit else { continue }
                    found.append(
                        .init(tenant: tenant, kind: .client, id: record.id, name: record.name, expires: expires)
                    )
                }
            }
            return found
        }
        return found.sorted { ($0.expires, $0.tenant, $0.id) < ($1.expires, $1.tenant, $1.id) }
    }

    /// When each of the tenant's tokens and clients was last used (by id): what this process saw,
    /// and what the usage file holds from earlier runs and other nodes.
    public func lastUsed(tenant id: String) -> [String: Date] {
        usage.lastUsed(tenant: id)
    }

    /// Writes the recorded last-use dates to `tenants.d/<id>.usage`. A failure (a read-only
    /// directory) is logged when it first happens, not at every flush, and the dates stay in memory
    /// for the next one.
    func flushUsage() {
        let problems = usage.flush()
        guard usage.noteFlushProblems(problems) else { return }
        for problem in problems {
            logger.warning("cannot record when credentials were last used", metadata: ["problem": "\(problem)"])
        }
    }

    /// Loads every tenant's clients file and the signing keys into `next`; answers the problems.
    func loadCredentials(into next: inout DirectoryState, current: DirectoryState) -> [String] {
        var problems: [String] = []
        for id in next.entries.keys {
            do {
                next.clients[id] = try files.clients(tenant: id)
            } catch {
                problems.append(error.description)
                next.clients[id] = current.clients[id] ?? []
            }
        }
        var index: [String: IndexedClient] = [:]
        var duplicates = Set<String>()
        for (tenantID, records) in next.clients where next.entries[tenantID] != nil {
            for record in records {
                if index[record.id] != nil { duplicates.insert(record.id) }
                index[record.id] = IndexedClient(tenantID: tenantID, record: record)
            }
        }
        for id in duplicates.sorted() {
            // A copied clients file must not let one tenant's client reach another tenant.
            problems.append("OAuth client \(id) appears in more than one tenant's .clients file; it is refused")
            index[id] = nil
        }
        next.clientIndex = index
        do {
            next.signingKeys = try SigningKeyStore(configDirectory: configDirectory, now: clock).keys()
        } catch {
            problems.append(error.description)
            next.signingKeys = current.signingKeys
        }
        return problems
    }
}

/// A token or client that expires soon.
public struct ExpiringCredential: Sendable, Hashable {
    /// Which kind of credential.
    public enum Kind: String, Sendable, Hashable {
        /// A static bearer token.
        case token
        /// An OAuth client (its newest secret).
        case client
    }

    /// The tenant id.
    public var tenant: String
    /// A token or a client.
    public var kind: Kind
    /// The token id or client id.
    public var id: String
    /// The operator's name for it.
    public var name: String
    /// When it stops working.
    public var expires: Date
}
