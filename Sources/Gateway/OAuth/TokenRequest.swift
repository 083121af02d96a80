import Foundation
import SCIM

/// An OAuth 2.0 error of RFC 6749 §5.2: the code, a description for people, and the status.
public struct OAuthError: Error, Sendable, Hashable {
    /// `invalid_request`, `invalid_client`, `unsupported_grant_type`, `invalid_scope`, `slow_down`.
    public var code: String
    /// One sentence a person can act on (never a secret).
    public var description: String
    /// 400, 401 or 429.
    public var status: Int
    /// Whether the client tried HTTP Basic (a 401 then names the Basic scheme).
    public var usedBasic = false
    /// Seconds to wait, for a 429.
    public var retryAfter: Int?

    static func invalidRequest(_ description: String) -> OAuthError {
        OAuthError(code: "invalid_request", description: description, status: 400)
    }

    static func invalidClient(_ description: String, usedBasic: Bool) -> OAuthError {
        OAuthError(code: "invalid_client", description: description, status: 401, usedBasic: usedBasic)
    }
}

/// A parsed, validated client-credentials token request (RFC 6749 §4.4.2 and §2.3.1). A pure value:
/// the route feeds it the request's bytes and headers and gets a request or the error to answer.
public struct TokenRequest: Sendable, Hashable {
    /// The client id.
    public var clientID: String
    /// The client secret (never logged).
    public var clientSecret: String
    /// Whether the credentials came in an `Authorization: Basic` header.
    public var usedBasic: Bool

    /// The one scope the gateway grants: the tenant's SCIM endpoints.
    public static let scope = "scim"
    /// Longer bodies are not token requests.
    static let maximumBody = 8192

    /// Parses the request. `contentType` and `authorization` are the headers as received.
    public static func parse(
        body: [UInt8],
        contentType: String?,
        authorization: String?
    ) -> Result<TokenRequest, OAuthError> {
        let mediaType = contentType.map {
            String($0.split(separator: ";", maxSplits: 1).first ?? "").trimmingCharacters(in: .whitespaces).lowercased()
        }
        guard mediaType == "application/x-www-form-urlencoded" else {
            return .failure(
                .invalidRequest("Send the token request as application/x-www-form-urlencoded (RFC 6749 §4.4.2).")
            )
        }
        guard body.count <= maximumBody else {
            return .failure(.invalidRequest("The token request is larger than \(maximumBody) bytes."))
        }
        var parameters: [String: String] = [:]
        for (name, value) in FormURLEncoding.pairs(String(decoding: body, as: UTF8.self)) where !value.isEmpty {
            // RFC 6749 §3.2: parameters sent without a value are treated as omitted; none may repeat.
            guard parameters.updateValue(value, forKey: name) == nil else {
                return .failure(.invalidRequest("The parameter '\(name.prefix(40))' is repeated."))
            }
        }
        var basic: (id: String, secret: String)?
        if let authorization {
            switch basicCredentials(authorization) {
            case .success(let credentials): basic = credentials
            case .failure(let error): return .failure(error)
            }
        }
        if basic != nil, parameters["client_secret"] != nil {
            return .failure(
                .invalidRequest("Authenticate the client once: by HTTP Basic or by client_secret, not both.")
            )
        }
        if let basic, let formID = parameters["client_id"], formID != basic.id {
            return .failure(.invalidRequest("client_id differs from the client named in the Authorization header."))
        }
        guard let grantType = parameters["grant_type"] else {
            return .failure(.invalidRequest("grant_type is missing; send grant_type=client_credentials."))
        }
        guard grantType == "client_credentials" else {
            return .failure(
                OAuthError(
                    code: "unsupported_grant_type",
                    description: "Only grant_type=client_credentials is supported.",
                    status: 400
                )
            )
        }
        if let scope = parameters["scope"] {
            let requested = scope.split(separator: " ").map(String.init)
            guard requested.allSatisfy({ $0 == Self.scope }) else {
                return .failure(
                    OAuthError(
                        code: "invalid_scope",
                        description:
                            "The only scope is '\(Self.scope)' (the tenant's SCIM endpoints); omit scope or send it.",
                        status: 400
                    )
                )
            }
        }
        if let basic {
            guard !basic.id.isEmpty, !basic.secret.isEmpty else {
                return .failure(
                    .invalidClient("The Authorization header carries no client id or secret.", usedBasic: true)
                )
            }
            return .success(TokenRequest(clientID: basic.id, clientSecret: basic.secret, usedBasic: true))
        }
        guard let id = parameters["client_id"], let secret = parameters["client_secret"] else {
            return .failure(
                .invalidClient(
                    "Client authentication is missing: send HTTP Basic, or client_id and client_secret.",
                    usedBasic: false
                )
            )
        }
        return .success(TokenRequest(clientID: id, clientSecret: secret, usedBasic: false))
    }

    /// The client id and secret of `Authorization: Basic …`, each form-urlencoded inside (§2.3.1).
    static func basicCredentials(_ header: String) -> Result<(id: String, secret: String), OAuthError> {
        let trimmed = header.trimmingCharacters(in: .whitespaces)
        guard trimmed.count > 6, trimmed.prefix(6).lowercased() == "basic " else {
            return .failure(
                .invalidRequest("Only HTTP Basic client authentication is accepted in the Authorization header.")
            )
        }
        let encoded = trimmed.dropFirst(6).trimmingCharacters(in: .whitespaces)
        guard encoded.utf8.count <= 4096, let data = Data(base64Encoded: encoded),
            let decoded = String(data: data, encoding: .utf8), let colon = decoded.firstIndex(of: ":")
        else {
            return .failure(
                .invalidClient(
                    "The Authorization header is not Basic base64(client_id:client_secret).",
                    usedBasic: true
                )
            )
        }
        let id = FormURLEncoding.decode(decoded[..<colon].utf8)
        let secret = FormURLEncoding.decode(decoded[decoded.index(after: colon)...].utf8)
        return .success((id, secret))
    }
}
