import Crypto
import Foundation
import SCIM

/// What an access token says: a JSON Web Token (RFC 7519) signed with HMAC-SHA256 by the
/// installation's key. It is not stored anywhere: any node sharing tenants.d verifies it.
public struct AccessTokenClaims: Sendable, Hashable {
    /// The issuer, always `scim-gateway`.
    public var iss: String
    /// The client id the token was issued to.
    public var sub: String
    /// The tenant the token reaches, and no other.
    public var tenant: String
    /// The id of the client secret that obtained the token.
    public var sid: String
    /// Issued at, seconds since 1970.
    public var iat: Int64
    /// Expires at, seconds since 1970.
    public var exp: Int64
    /// A random token id.
    public var jti: String

    /// Makes claims.
    public init(sub: String, tenant: String, sid: String, iat: Int64, exp: Int64, jti: String) {
        self.iss = AccessToken.issuer
        self.sub = sub
        self.tenant = tenant
        self.sid = sid
        self.iat = iat
        self.exp = exp
        self.jti = jti
    }
}

extension AccessTokenClaims {
    /// The JWT payload: compact JSON with the keys in sorted order, as tokens have always been signed.
    public var json: JSONValue {
        .object(
            JSONFields.object([
                ("iss", .string(iss)), ("sub", .string(sub)), ("tenant", .string(tenant)), ("sid", .string(sid)),
                ("iat", .integer(iat)), ("exp", .integer(exp)), ("jti", .string(jti)),
            ])
        )
    }

    /// Reads a JWT payload; `nil` when a claim is missing or has the wrong type. Other claims are ignored.
    init?(json: JSONValue) {
        guard let fields = try? JSONFields(json), let iss = try? fields.string("iss"),
            let sub = try? fields.string("sub"), let tenant = try? fields.string("tenant"),
            let sid = try? fields.string("sid"), let iat = try? fields.integer("iat"),
            let exp = try? fields.integer("exp"), let jti = try? fields.string("jti")
        else { return nil }
        self.init(sub: sub, tenant: tenant, sid: sid, iat: iat, exp: exp, jti: jti)
        self.iss = iss
    }
}

/// Signing and verifying access tokens.
public enum AccessToken {
    /// The `iss` of every token.
    public static let issuer = "scim-gateway"
    /// Longer text is never a token of ours (a bound on work done for garbage).
    static let maximumLength = 2048

    /// Whether `token` has the shape of an access token (three base64url parts) rather than a
    /// static `sgw_` token.
    public static func looksLikeAccessToken(_ token: String) -> Bool {
        token.utf8.count <= maximumLength && token.utf8.lazy.filter { $0 == UInt8(ascii: ".") }.count == 2
    }

    /// The signed token for `claims`.
    public static func sign(_ claims: AccessTokenClaims, with key: SigningKey) throws -> String {
        guard let secret = key.bytes else { throw TokenError("signing key \(key.id) is not base64url") }
        let header = JSONFields.object([
            ("alg", .string("HS256")), ("kid", .string(key.id)), ("typ", .string("at+jwt")),
        ])
        let input = Base64URL.encode(header.serialized()) + "." + Base64URL.encode(claims.json.serialized())
        let mac = HMAC<SHA256>.authenticationCode(for: Array(input.utf8), using: SymmetricKey(data: secret))
        return input + "." + Base64URL.encode(Array(mac))
    }

    /// Why a token is refused.
    public enum Refusal: String, Error, Sendable, Hashable {
        /// Not a token of ours, or its signature does not verify.
        case malformed
        /// Signed by a key that is unknown or retired.
        case unknownKey
        /// The signature does not match.
        case badSignature
        /// Its `exp` has passed.
        case expired
    }

    /// The claims of a token whose signature verifies with one of `keys` and that has not expired
    /// at `date`; the reason otherwise. The signature is compared in constant time.
    public static func verify(
        _ token: String,
        keys: [SigningKey],
        at date: Date
    ) -> Result<AccessTokenClaims, Refusal> {
        guard looksLikeAccessToken(token) else { return .failure(.malformed) }
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3, let headerBytes = Base64URL.decode(String(parts[0])),
            let payloadBytes = Base64URL.decode(String(parts[1])), let mac = Base64URL.decode(String(parts[2])),
            let header = try? JSONFields(JSONValue.parse(headerBytes)), (try? header.string("alg")) == "HS256",
            let kid = try? header.string("kid")
        else { return .failure(.malformed) }
        guard let key = keys.first(where: { $0.id == kid && $0.verifies(at: date) }), let secret = key.bytes
        else { return .failure(.unknownKey) }
        let input = Array(token.utf8.prefix(parts[0].utf8.count + 1 + parts[1].utf8.count))
        guard HMAC<SHA256>.isValidAuthenticationCode(mac, authenticating: input, using: SymmetricKey(data: secret))
        else { return .failure(.badSignature) }
        guard let payload = try? JSONValue.parse(payloadBytes), let claims = AccessTokenClaims(json: payload),
            claims.iss == issuer
        else { return .failure(.malformed) }
        guard Double(claims.exp) > date.timeIntervalSince1970 else { return .failure(.expired) }
        return .success(claims)
    }
}
