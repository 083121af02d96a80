import Foundation
import Hummingbird
import NIOCore
import SCIM
import Tenants

/// The request context of every gateway route: Hummingbird's core storage plus the facts middleware
/// and routes share about one request.
public struct GatewayRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// Facts set by inner layers (tenant, operation, resource) and read by outer ones (metrics, log).
    public let facts: RequestFacts
    /// When the request arrived, for durations.
    public let startInstant: ContinuousClock.Instant
    /// When the request arrived, for the provisioning log.
    public let receivedAt: Date
    /// The peer's IP address, when the channel has one.
    public let peerAddress: String?

    /// Makes the context of a new request.
    public init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        self.facts = RequestFacts()
        self.startInstant = .now
        self.receivedAt = Date()
        self.peerAddress = source.channel.remoteAddress?.ipAddress
    }

    /// Bodies are limited by ``BodyLimitMiddleware``; this is only Hummingbird's own ceiling.
    public var maxUploadSize: Int { BodyLimits.bulk }

    /// The authenticated tenant, or a 401 when the request carries none.
    public func requireTenant() throws -> AuthenticatedTenant {
        guard let tenant = facts.tenant else {
            throw SCIMErrorRendering.unauthorized("Authentication required: send Authorization: Bearer <token>.")
        }
        return tenant
    }
}
