import Backends
import SCIM

/// A tenant (portal) as the gateway serves it.
public struct Tenant: Sendable {
    /// The tenant id, equal to its file name.
    public var id: String
}
