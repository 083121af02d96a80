import Hummingbird
import NIOCore

/// Collects request bodies up to 1 MiB (4 MiB for `/Bulk`); a larger one is a 413 naming the limit.
public struct BodyLimitMiddleware: RouterMiddleware {
    public typealias Context = GatewayRequestContext

    public init() {}

    public func handle(
        _ request: Request,
        context: Context,
        next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        guard request.method != .get, request.method != .head else {
            return try await next(request, context)
        }
        let limit = Self.limit(for: request.uri.path)
        if let length = request.headers[.contentLength].flatMap(Int.init), length > limit {
            throw SCIMErrorRendering.tooLarge(limit: limit)
        }
        var request = request
        do {
            _ = try await request.collectBody(upTo: limit)
        } catch is NIOTooManyBytesError {
            throw SCIMErrorRendering.tooLarge(limit: limit)
        }
        return try await next(request, context)
    }

    /// The limit for a path.
    static func limit(for path: String) -> Int {
        path.hasSuffix("/Bulk") ? BodyLimits.bulk : BodyLimits.standard
    }
}
