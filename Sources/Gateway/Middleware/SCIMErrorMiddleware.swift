import Hummingbird

/// Renders every error as a SCIM error body in `application/scim+json`, and logs each 5xx once with its cause.
public struct SCIMErrorMiddleware: RouterMiddleware {
    public typealias Context = GatewayRequestContext

    public init() {}

    public func handle(
        _ request: Request,
        context: Context,
        next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        do {
            return try await next(request, context)
        } catch {
            let (scimError, headers) = SCIMErrorRendering.scimError(for: error)
            SCIMErrorRendering.logServerError(error, answered: scimError, logger: context.logger)
            return SCIMResponse.error(scimError, headers: headers)
        }
    }
}
