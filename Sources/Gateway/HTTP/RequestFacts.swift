import SCIM
import Synchronization
import Tenants

/// What the layers of one request learn about it: shared by reference because Hummingbird passes the
/// context down the middleware chain by value, while the metrics and provisioning-log layers, which
/// sit outside the routes, need what the routes found out.
public final class RequestFacts: Sendable {
    /// The resource-level facts a route reports for the provisioning log.
    public struct Operation: Sendable, Hashable {
        /// `create`, `get`, `list`, `search`, `replace`, `patch`, `delete`, `bulk`, `discovery`, …
        public var name: String?
        /// `User` or `Group`.
        public var resourceType: String?
        public var resourceId: String?
        public var userName: String?
        public var externalId: String?
        /// Names of attributes the request wrote and the backend stored; never values.
        public var attributes: [String] = []
        /// Names of attributes the request sent that the tenant's mapping cannot store.
        public var dropped: [String] = []
        /// Set when the route wrote its own entries (Bulk) and the request needs none of its own.
        public var loggedByRoute = false

        public init() {}
    }

    private struct State {
        var requestID = ""
        var tenant: AuthenticatedTenant?
        var client: String?
        var operation = Operation()
    }

    private let state = Locked(State())

    /// An empty set of facts.
    public init() {}

    /// The request id.
    public var requestID: String {
        get { state.withLock { $0.requestID } }
        set { state.withLock { $0.requestID = newValue } }
    }

    /// The tenant and token that authenticated the request.
    public var tenant: AuthenticatedTenant? {
        get { state.withLock { $0.tenant } }
        set { state.withLock { $0.tenant = newValue } }
    }

    /// The client's address for the log: the peer, or the first `X-Forwarded-For` hop when the peer
    /// is a trusted proxy (set by ``ClientAddressMiddleware``).
    public var client: String? {
        get { state.withLock { $0.client } }
        set { state.withLock { $0.client = newValue } }
    }

    /// What the request did, as the route reported it.
    public var operation: Operation {
        state.withLock { $0.operation }
    }

    /// Updates the operation facts.
    public func updateOperation(_ change: (inout Operation) -> Void) {
        state.withLock { change(&$0.operation) }
    }
}
