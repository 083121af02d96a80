/// Bounds on a filter the parser accepts; anything beyond them is a 400 `invalidFilter`.
public struct FilterLimits: Sendable, Hashable {
    /// The most Unicode scalars a filter may have.
    public var maxLength: Int
    /// The deepest nesting of parentheses, `not` and value filters.
    public var maxDepth: Int

    /// The gateway's published limits: 4096 characters, depth 32.
    public init(maxLength: Int = 4096, maxDepth: Int = 32) {
        self.maxLength = maxLength
        self.maxDepth = maxDepth
    }

    /// The parser recurses once per nesting level, so no caller-chosen depth may exhaust the stack.
    static let hardDepthCeiling = 256
}
