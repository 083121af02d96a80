/// A mapping file (`tenants.d/mappings/<name>.yaml`): where each SCIM attribute lives.
public struct Mapping: Sendable, Decodable {
    /// The mapping's name.
    public var name: String
}
