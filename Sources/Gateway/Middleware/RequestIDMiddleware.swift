import Foundation
import HTTPTypes
import Hummingbird
import Logging

/// Gives each request an id (the client's `X-Request-ID` when it is a sane token), puts it in the
/// logger's metadata and sends it back in `X-Request-ID`.
public struct RequestIDMiddleware: RouterMiddleware {
    public typealias Context = GatewayRequestContext

    /// The header carrying the id.
    public static let header = HTTPField.Name("X-Request-ID")!

    public init() {}

    public func handle(
        _ request: Request,
        context: Context,
        next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        let id = request.headers[Self.header].flatMap(Self.sanitised) ?? Self.makeID()
        context.facts.requestID = id
        var context = context
        context.logger[metadataKey: "request.id"] = "\(id)"
        var response = try await next(request, context)
        response.headers[Self.header] = id
        return response
    }

    static func sanitised(_ value: String) -> String? {
        guard (1...128).contains(value.utf8.count),
            value.unicodeScalars.allSatisfy({
                ("a"..."z").contains($0) || ("A"..."Z").contains($0) || ("0"..."9").contains($0)
                    || "-_.:".unicodeScalars.contains($0)
            })
        else { return nil }
        return value
    }

    static func makeID() -> String {
        UUID().uuidString.lowercased()
    }
}
