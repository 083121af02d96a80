import Foundation
import HTTPTypes
import Hummingbird
import Logging
import SCIM
import Tenants

/// Writes one provisioning-log entry for every request that reached a tenant, with what the route
/// reported (operation, resource, attribute names) and the status, `scimType` and detail answered.
public struct ProvisioningLogMiddleware: RouterMiddleware {
    public typealias Context = GatewayRequestContext

    let log: ProvisioningLog

    /// Records into `log`.
    public init(log: ProvisioningLog) {
        self.log = log
    }

    public func handle(
        _ request: Request,
        context: Context,
        next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        do {
            let response = try await next(request, context)
            record(request: request, context: context, status: response.status.code, error: nil)
            return response
        } catch {
            // Rethrown: SCIMErrorMiddleware answers and logs it.
            let (scimError, _) = SCIMErrorRendering.scimError(for: error)
            record(request: request, context: context, status: scimError.status, error: scimError)
            throw error
        }
    }

    func record(request: Request, context: Context, status: Int, error: SCIMError?) {
        guard let authenticated = context.facts.tenant else { return }
        // A tenant over its rate is answered 429 before any work; such answers are counted in the
        // metrics, never logged, so a flood of them cannot fill the log.
        guard status != 429 else { return }
        let operation = context.facts.operation
        guard !operation.loggedByRoute else { return }
        let entry = ProvisioningLogEntry(
            time: context.receivedAt,
            requestId: context.facts.requestID,
            tenant: authenticated.tenant.id,
            tokenId: authenticated.tokenID,
            client: ClientAddress.of(request, context: context),
            method: request.method.rawValue,
            path: request.uri.path,
            operation: operation.name ?? Self.defaultOperation(request),
            resourceType: operation.resourceType,
            resourceId: operation.resourceId,
            userName: operation.userName,
            externalId: operation.externalId,
            status: status,
            scimType: error?.scimType?.rawValue,
            detail: error?.detail,
            durationMs: Self.milliseconds(context.startInstant.duration(to: .now)),
            attributes: operation.attributes,
            dropped: operation.dropped
        )
        log.record(entry)
        // One line per request in the process log (JSON with `serve --log-format json`): who, what, how it ended.
        context.logger.info(
            "request",
            metadata: [
                "requestId": "\(entry.requestId)", "tenant": "\(entry.tenant)", "operation": "\(entry.operation)",
                "method": "\(entry.method)", "path": "\(entry.path)", "status": "\(entry.status)",
                "scimType": "\(entry.scimType ?? "-")", "durationMs": "\(ProvisioningLogJSON.number(entry.durationMs))",
            ]
        )
    }

    static func defaultOperation(_ request: Request) -> String {
        switch request.method {
        case .get: return "get"
        case .post: return "create"
        case .put: return "replace"
        case .patch: return "patch"
        case .delete: return "delete"
        default: return request.method.rawValue.lowercased()
        }
    }

    static func milliseconds(_ duration: Duration) -> Double {
        let (seconds, attoseconds) = duration.components
        return Double(seconds) * 1000 + Double(attoseconds) / 1e15
    }
}

/// The client address for logs: the peer, unless the peer is a trusted reverse proxy
/// (`serve --trusted-proxy`) that sent `X-Forwarded-For`, whose first hop is then the client. From any
/// other peer the header is ignored: a client cannot write someone else's address into the log.
enum ClientAddress {
    static let forwardedFor = HTTPField.Name("X-Forwarded-For")!

    static func of(_ request: Request, peer: String?, trustedProxies: Set<String>) -> String? {
        guard let peer, trustedProxies.contains(peer) else { return peer }
        if let forwarded = request.headers[forwardedFor],
            let first = forwarded.split(separator: ",").first?.trimmingCharacters(in: .whitespaces),
            !first.isEmpty, first.count <= 64,
            first.unicodeScalars.allSatisfy({ $0.properties.isASCIIHexDigit || ".:[]".unicodeScalars.contains($0) })
        {
            return first
        }
        return peer
    }

    /// The client of a request, as ``ClientAddressMiddleware`` found it.
    static func of(_ request: Request, context: GatewayRequestContext) -> String? {
        context.facts.client ?? context.peerAddress
    }
}

/// Finds the client's address once per request (see ``ClientAddress``).
public struct ClientAddressMiddleware: RouterMiddleware {
    public typealias Context = GatewayRequestContext

    let trustedProxies: Set<String>

    /// Trusts `X-Forwarded-For` from these peer addresses only.
    public init(trustedProxies: Set<String>) {
        self.trustedProxies = trustedProxies
    }

    public func handle(
        _ request: Request,
        context: Context,
        next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        context.facts.client = ClientAddress.of(request, peer: context.peerAddress, trustedProxies: trustedProxies)
        return try await next(request, context)
    }
}
