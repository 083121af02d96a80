import Foundation
import Hummingbird
import Logging
import Tenants

/// Authenticates SCIM requests by bearer token: the token alone names the tenant. Other paths
/// (`/healthz`, `/metrics`, `/admin/v1`) pass through untouched.
public struct BearerAuthMiddleware: RouterMiddleware {
    public typealias Context = GatewayRequestContext

    let tenants: any TenantResolver

    /// Authenticates against `tenants`.
    public init(tenants: any TenantResolver) {
        self.tenants = tenants
    }

    public func handle(
        _ request: Request,
        context: Context,
        next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        guard SCIMPaths.isSCIM(request.uri.path) else {
            return try await next(request, context)
        }
        guard let token = Self.bearerToken(request.headers[.authorization]) else {
            throw SCIMErrorRendering.unauthorized("Authentication required: send Authorization: Bearer <token>.")
        }
        guard let authenticated = tenants.authenticate(bearerToken: token) else {
            throw SCIMErrorRendering.unauthorized("The bearer token is unknown, expired or revoked.")
        }
        context.facts.tenant = authenticated
        var context = context
        context.logger[metadataKey: "tenant"] = "\(authenticated.tenant.id)"
        // Counted as a user of this backend until the response is built, so that a reload retiring
        // the backend lets the request finish on it.
        return try await authenticated.tenant.usage.use {
            try await next(request, context)
        }
    }

    /// The longest token looked at. Tokens are compared by their SHA-256 only (never a slow hash), and a
    /// longer header is refused before even that, so an unauthenticated client costs next to nothing.
    static let maximumTokenLength = 2048

    /// The token of an `Authorization: Bearer <token>` header; the scheme is compared without case.
    static func bearerToken(_ header: String?) -> String? {
        guard let header, header.utf8.count <= maximumTokenLength + 16 else { return nil }
        let trimmed = header.trimmingCharacters(in: .whitespaces)
        guard trimmed.count > 7, trimmed.prefix(7).lowercased() == "bearer " else { return nil }
        let token = trimmed.dropFirst(7).trimmingCharacters(in: .whitespaces)
        return token.isEmpty ? nil : token
    }
}

/// The SCIM base paths and how to recognise them.
public enum SCIMPaths {
    /// `/scim/v2` and `/api/scim/v2` (the URL Chamilo documents).
    public static let bases = ["/scim/v2", "/api/scim/v2"]

    /// The base path `path` starts with, if any.
    public static func base(of path: String) -> String? {
        bases.first { path == $0 || path.hasPrefix($0 + "/") }
    }

    /// Whether `path` is under a SCIM base path.
    public static func isSCIM(_ path: String) -> Bool {
        base(of: path) != nil
    }
}
