/// An error as a SCIM client sees it (RFC 7644 §3.12): an HTTP status, an optional `scimType`
/// and a `detail` a person can act on. Details never carry passwords or other secrets.
public struct SCIMError: Error, Sendable, Hashable, CustomStringConvertible, CustomDebugStringConvertible {
    /// The `scimType` keywords of RFC 7644 §3.12, the ones of RFC 7644 §3.7.3 for Bulk, and RFC 9865's
    /// cursor errors.
    public enum SCIMType: String, Sendable, Hashable {
        case invalidFilter
        case tooMany
        case uniqueness
        case mutability
        case invalidSyntax
        case invalidPath
        case noTarget
        case invalidValue
        case invalidVers
        case sensitive
        case tooLarge
        /// RFC 9865: the cursor is not one this server issued for this query.
        case invalidCursor
        /// RFC 9865: the cursor was valid but is older than `cursorTimeout`.
        case expiredCursor
    }

    /// The HTTP status code.
    public var status: Int
    /// The detail error keyword, when the status has one.
    public var scimType: SCIMType?
    /// A human-readable explanation.
    public var detail: String
    /// Seconds after which the client may retry (503 and 429).
    public var retryAfter: Int?
    /// What caused a server-side failure (the underlying error's debug description), for the server
    /// log only: never rendered to a client, and not part of equality.
    public var cause: String?

    public init(status: Int, scimType: SCIMType? = nil, detail: String, retryAfter: Int? = nil, cause: String? = nil) {
        self.status = status
        self.scimType = scimType
        self.detail = detail
        self.retryAfter = retryAfter
        self.cause = cause
    }

    public var description: String {
        "SCIM error \(status)\(scimType.map { " \($0.rawValue)" } ?? ""): \(detail)"
    }

    /// The description with the cause, for the server log.
    public var debugDescription: String {
        description + (cause.map { " (cause: \($0))" } ?? "")
    }

    public static func == (lhs: SCIMError, rhs: SCIMError) -> Bool {
        lhs.status == rhs.status && lhs.scimType == rhs.scimType && lhs.detail == rhs.detail
            && lhs.retryAfter == rhs.retryAfter
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(status)
        hasher.combine(scimType)
        hasher.combine(detail)
        hasher.combine(retryAfter)
    }

    /// 400 `invalidValue`.
    public static func invalidValue(_ detail: String) -> SCIMError {
        SCIMError(status: 400, scimType: .invalidValue, detail: detail)
    }

    /// 400 `invalidSyntax`.
    public static func invalidSyntax(_ detail: String) -> SCIMError {
        SCIMError(status: 400, scimType: .invalidSyntax, detail: detail)
    }

    /// 400 `invalidFilter`.
    public static func invalidFilter(_ detail: String) -> SCIMError {
        SCIMError(status: 400, scimType: .invalidFilter, detail: detail)
    }

    /// 400 `invalidPath`.
    public static func invalidPath(_ detail: String) -> SCIMError {
        SCIMError(status: 400, scimType: .invalidPath, detail: detail)
    }

    /// 400 `noTarget`.
    public static func noTarget(_ detail: String) -> SCIMError {
        SCIMError(status: 400, scimType: .noTarget, detail: detail)
    }

    /// 400 `mutability`.
    public static func mutability(_ detail: String) -> SCIMError {
        SCIMError(status: 400, scimType: .mutability, detail: detail)
    }

    /// 409 `uniqueness`.
    public static func uniqueness(_ detail: String) -> SCIMError {
        SCIMError(status: 409, scimType: .uniqueness, detail: detail)
    }

    /// 404 for a resource that does not exist (or is not visible to this tenant).
    public static func notFound(_ detail: String) -> SCIMError {
        SCIMError(status: 404, detail: detail)
    }

    /// 412 when `If-Match` does not match the current version.
    public static func preconditionFailed(_ detail: String) -> SCIMError {
        SCIMError(status: 412, detail: detail)
    }

    /// 503 with `Retry-After` when a backend cannot be reached; `cause` goes to the server log only.
    public static func unavailable(_ detail: String, retryAfter: Int = 5, cause: (any Error)? = nil) -> SCIMError {
        SCIMError(status: 503, detail: detail, retryAfter: retryAfter, cause: cause.map { String(reflecting: $0) })
    }

    /// 500 with a generic detail; the cause belongs in the server log, not in the response.
    public static func internalError(
        _ detail: String = "The server could not complete the request.",
        cause: (any Error)? = nil
    ) -> SCIMError {
        SCIMError(status: 500, detail: detail, cause: cause.map { String(reflecting: $0) })
    }
}
