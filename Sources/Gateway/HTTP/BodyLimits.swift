/// Request body limits (DESIGN.md, Fixed details).
public enum BodyLimits {
    /// Every request body but Bulk: 1 MiB.
    public static let standard = 1 << 20
    /// `/Bulk` (`maxPayloadSize`): 4 MiB.
    public static let bulk = 4 << 20
    /// Operations in one Bulk request.
    public static let bulkOperations = 1000
    /// JSON nesting depth.
    public static let jsonDepth = 64
    /// Largest `count`.
    public static let maxResults = 1000
}
