import Foundation
import Hummingbird
import SCIM

/// Requires `application/scim+json` or `application/json` on SCIM request bodies (POST, PUT, PATCH);
/// anything else is a 415.
public struct ContentTypeMiddleware: RouterMiddleware {
    public typealias Context = GatewayRequestContext

    static let accepted: Set<String> = ["application/scim+json", "application/json"]
    static let methodsWithBody: Set<HTTPRequest.Method> = [.post, .put, .patch]

    public init() {}

    public func handle(
        _ request: Request,
        context: Context,
        next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        guard Self.methodsWithBody.contains(request.method), SCIMPaths.isSCIM(request.uri.path) else {
            return try await next(request, context)
        }
        let contentType = request.headers[.contentType]
        if contentType == nil, request.headers[.contentLength] == "0" {
            return try await next(request, context)
        }
        guard let contentType, Self.accepted.contains(Self.mediaType(contentType)) else {
            throw SCIMError(
                status: 415,
                detail: "Send the request body as application/scim+json or application/json"
                    + (contentType.map { " (got \($0.prefix(100)))" } ?? " (no Content-Type was sent)") + "."
            )
        }
        return try await next(request, context)
    }

    /// The media type without parameters, lower-cased.
    static func mediaType(_ header: String) -> String {
        String(header.split(separator: ";", maxSplits: 1).first ?? "")
            .trimmingCharacters(in: .whitespaces).lowercased()
    }
}
