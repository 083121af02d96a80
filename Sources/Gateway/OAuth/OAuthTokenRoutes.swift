import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import SCIM
import Tenants

/// `POST /oauth/token`: the OAuth 2.0 client-credentials grant (RFC 6749 §4.4). Answers are OAuth
/// JSON (never SCIM errors), with `Cache-Control: no-store`; every decision is written to the
/// provisioning log under the client's tenant and name, never the secret.
struct OAuthTokenRoutes {
    /// The token endpoint's path.
    static let path = "/oauth/token"

    let tenants: any TenantResolver
    let provisioningLog: ProvisioningLog
    let limiter: TokenAttemptLimiter

    func register(on router: Router<GatewayRequestContext>) {
        router.post(RouterPath(Self.path)) { request, context in
            await handle(request, context: context)
        }
        for method in [HTTPRequest.Method.get, .put, .patch, .delete] {
            router.on(RouterPath(Self.path), method: method) { _, _ in
                var response = Self.error(
                    .invalidRequest("The token endpoint accepts only POST (RFC 6749 §3.2).")
                )
                response.status = .methodNotAllowed
                response.headers[.allow] = "POST"
                return response
            }
        }
    }

    func handle(_ request: Request, context: GatewayRequestContext) async -> Response {
        let address = ClientAddress.of(request, context: context) ?? "-"
        if let wait = limiter.addressWait(address) {
            let error = Self.slowDown(wait, "Too many refused token requests from this address")
            return finish(request, context, error: error, refusal: nil, address: address, failure: false)
        }
        var request = request
        let body: ByteBuffer
        do {
            body = try await request.collectBody(upTo: TokenRequest.maximumBody + 1)
        } catch {
            let error = OAuthError.invalidRequest("The token request is larger than \(TokenRequest.maximumBody) bytes.")
            return finish(request, context, error: error, refusal: nil, address: address)
        }
        let parsed = TokenRequest.parse(
            body: Array(buffer: body),
            contentType: request.headers[.contentType],
            authorization: request.headers[.authorization]
        )
        let tokenRequest: TokenRequest
        switch parsed {
        case .success(let value): tokenRequest = value
        case .failure(let error): return finish(request, context, error: error, refusal: nil, address: address)
        }
        if let wait = limiter.clientWait(tokenRequest.clientID) {
            let error = Self.slowDown(wait, "Too many refused token requests for this client")
            return finish(
                request,
                context,
                error: error,
                refusal: nil,
                address: address,
                clientID: tokenRequest.clientID,
                failure: false
            )
        }
        switch tenants.issueAccessToken(clientID: tokenRequest.clientID, secret: tokenRequest.clientSecret) {
        case .failure(let refusal):
            let error = OAuthError.invalidClient(
                "Client authentication failed: unknown client, wrong or expired secret, or revoked client.",
                usedBasic: tokenRequest.usedBasic
            )
            return finish(
                request,
                context,
                error: error,
                refusal: refusal,
                address: address,
                clientID: tokenRequest.clientID
            )
        case .success(let issued):
            record(
                request,
                context,
                tenant: issued.tenantID,
                clientID: issued.clientID,
                clientName: issued.clientName,
                address: address,
                status: 200,
                detail: "issued an access token valid for \(issued.expiresIn) s"
            )
            return Self.json(
                .object([
                    "access_token": .string(issued.accessToken),
                    "token_type": .string("Bearer"),
                    "expires_in": .integer(Int64(issued.expiresIn)),
                ]),
                status: .ok
            )
        }
    }

    /// Logs a refusal, counts it against the address, and renders it.
    private func finish(
        _ request: Request,
        _ context: GatewayRequestContext,
        error: OAuthError,
        refusal: ClientRefusal?,
        address: String,
        clientID: String? = nil,
        failure: Bool = true
    ) -> Response {
        if failure { limiter.recordFailure(address: address, clientID: clientID) }
        let known = refusal?.tenantID != nil
        record(
            request,
            context,
            tenant: refusal?.tenantID ?? "-",
            clientID: known ? clientID : nil,
            clientName: refusal?.clientName,
            address: address,
            status: error.status,
            detail: "\(error.code): " + (refusal?.reason ?? error.description)
        )
        return Self.error(error)
    }

    private func record(
        _ request: Request,
        _ context: GatewayRequestContext,
        tenant: String,
        clientID: String?,
        clientName: String?,
        address: String,
        status: Int,
        detail: String
    ) {
        provisioningLog.record(
            ProvisioningLogEntry(
                time: context.receivedAt,
                requestId: context.facts.requestID,
                tenant: tenant,
                tokenId: clientID,
                client: address == "-" ? nil : address,
                method: request.method.rawValue,
                path: request.uri.path,
                operation: "token",
                resourceType: "OAuthClient",
                resourceId: clientID,
                userName: clientName,
                status: status,
                detail: detail,
                durationMs: ProvisioningLogMiddleware.milliseconds(context.startInstant.duration(to: .now))
            )
        )
    }

    static func slowDown(_ wait: Int, _ what: String) -> OAuthError {
        OAuthError(code: "slow_down", description: "\(what); retry after \(wait) s.", status: 429, retryAfter: wait)
    }

    /// The OAuth error body of RFC 6749 §5.2, with `WWW-Authenticate: Basic` on a 401 after Basic.
    static func error(_ error: OAuthError) -> Response {
        var response = json(
            .object(["error": .string(error.code), "error_description": .string(error.description)]),
            status: HTTPResponse.Status(code: error.status)
        )
        if error.status == 401 {
            // HTTP Basic is the scheme the token endpoint supports (a 401 must name one, RFC 9110 §15.5.2).
            response.headers[.wwwAuthenticate] = "Basic realm=\"scim-gateway\", charset=\"UTF-8\""
        }
        if let wait = error.retryAfter {
            response.headers[.retryAfter] = String(wait)
        }
        return response
    }

    static let pragma = HTTPField.Name("Pragma")!

    /// A JSON response that no cache keeps (RFC 6749 §5.1).
    static func json(_ value: JSONValue, status: HTTPResponse.Status) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "application/json;charset=UTF-8"
        headers[.cacheControl] = "no-store"
        headers[pragma] = "no-cache"
        return Response(
            status: status,
            headers: headers,
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: value.serialized()))
        )
    }
}
