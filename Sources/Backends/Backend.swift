import SCIM

/// What a backend can do; /ServiceProviderConfig, /ResourceTypes and /Schemas are derived from it.
public struct BackendCapabilities: Sendable, Hashable {
    /// Resource types the backend stores (always `.user`; `.group` when the mapping has Groups).
    public var resourceKinds: Set<ResourceKind>
    public var sorting: Bool
    public var etags: Bool
    public var changePassword: Bool
    /// Whether a create may carry a password although ``changePassword`` is false (the Chamilo REST API's
    /// `save_user` takes one, no later call does). Implied by ``changePassword``.
    public var passwordOnCreate: Bool
    /// Comparison operators it can answer; `pr`, `and`, `or`, `not` are assumed with any of them.
    public var filterOperators: Set<ComparisonOperator>
    /// Whether it pages by keyset (``SearchQuery/keyset``), which RFC 9865 cursors need.
    public var keysetPaging: Bool

    public init(
        resourceKinds: Set<ResourceKind>,
        sorting: Bool,
        etags: Bool,
        changePassword: Bool,
        passwordOnCreate: Bool? = nil,
        filterOperators: Set<ComparisonOperator>,
        keysetPaging: Bool = false
    ) {
        self.resourceKinds = resourceKinds
        self.sorting = sorting
        self.etags = etags
        self.changePassword = changePassword
        self.passwordOnCreate = passwordOnCreate ?? changePassword
        self.filterOperators = filterOperators
        self.keysetPaging = keysetPaging
    }
}

/// What SCIM DELETE does on a tenant.
public enum DeprovisionMode: String, Sendable, Hashable, Codable {
    /// Soft delete (RFC 7644 §3.6): the row stays inactive and marked; SCIM answers 404 for it.
    case deactivate
    /// Remove the row and its linked rows.
    case delete
}

/// A tenant's store of resources. Backends see neither HTTP nor raw SCIM JSON: they get
/// canonical attributes (see ``ResourceRecord``) and throw ``SCIMError`` for anything a client
/// should see (409 uniqueness, 404, 412, 503 with Retry-After, 400 invalidValue/invalidFilter).
public protocol Backend: Sendable {
    /// What this backend supports.
    var capabilities: BackendCapabilities { get }

    /// The schemas of a resource type restricted to the attributes the mapping stores (for /Schemas,
    /// filter validation and projection). `id` and `meta` are implied and not listed.
    func schemas(for kind: ResourceKind) -> [SCIMSchema]

    /// Creates a resource (or revives a soft-deleted one with the same unique name).
    /// `attributes` may carry a plain `password`, which the backend hashes as the portal expects.
    func create(_ kind: ResourceKind, attributes: JSONObject) async throws -> ResourceRecord

    /// The resource with this id; 404 when absent, soft-deleted or not this tenant's.
    func get(_ kind: ResourceKind, id: String) async throws -> ResourceRecord

    /// Replaces every writable attribute (PUT). `ifMatch` is a bare version as in ``ResourceRecord/version``
    /// (the Gateway reads the `If-Match` ETag), checked with ``ResourceRecord/requireVersion(_:)``.
    func replace(
        _ kind: ResourceKind,
        id: String,
        attributes: JSONObject,
        ifMatch: String?
    ) async throws
        -> ResourceRecord

    /// Adds and removes members of a group by id without reading its members, under the same ownership,
    /// visibility and version rules as ``modify(_:id:ifMatch:change:)``; answers the group's new version.
    /// `nil` when the backend has no such path (the caller then applies the PATCH to the whole group).
    func changeMembers(ofGroup id: String, _ changes: MemberChanges, ifMatch: String?) async throws -> String?

    /// Read-modify-write under the backend's row lock or version check: `change` receives the current
    /// state and returns the new attributes. Concurrent calls never lose an update.
    func modify(
        _ kind: ResourceKind,
        id: String,
        ifMatch: String?,
        change: @Sendable (ResourceRecord) throws -> JSONObject
    ) async throws -> ResourceRecord

    /// Deletes or deactivates the resource.
    func delete(_ kind: ResourceKind, id: String, mode: DeprovisionMode, ifMatch: String?) async throws

    /// Filters (pushed down), sorts and pages. A filter the mapping cannot answer is 400 invalidFilter.
    func search(_ kind: ResourceKind, query: SearchQuery) async throws -> SearchResult

    /// Problems with the configuration, one line each; with `connect`, also reaches the store and checks
    /// every mapped table and column. An empty list means healthy.
    func verify(connect: Bool) async -> [String]

    /// Closes connections. The backend is not used afterwards.
    func shutdown() async

    /// Whether the store answers, checked cheaply on a connection of its own (not the request pool):
    /// `nil` when it does, otherwise one line saying why not. `/readyz` calls it.
    func probeReachability() async -> String?
}

extension Backend {
    /// By default the first problem a connecting ``verify(connect:)`` finds.
    public func probeReachability() async -> String? {
        await verify(connect: true).first { !VerificationNote.isNote($0) }
    }
}

extension Backend {
    /// No member path: PATCHes of members go through ``modify(_:id:ifMatch:change:)``.
    public func changeMembers(ofGroup id: String, _ changes: MemberChanges, ifMatch: String?) async throws -> String? {
        nil
    }
}

/// Lines of ``Backend/verify(connect:)`` output that inform rather than report a problem start with
/// ``notePrefix`` (e.g. an extra field the gateway will create on first use).
public enum VerificationNote {
    /// The prefix of an informational line.
    public static let notePrefix = "note:"

    /// Whether the line is informational.
    public static func isNote(_ line: String) -> Bool {
        line.hasPrefix(notePrefix)
    }
}

extension ResourceRecord {
    /// 412 unless `ifMatch` is absent or this record's version. `ifMatch` is a bare version: the
    /// Gateway alone reads ETag syntax (`W/"v"`, `"v"`, `*`) and passes `v`, or `nil` for `*`.
    public func requireVersion(_ ifMatch: String?) throws {
        guard let ifMatch, ifMatch != version else { return }
        throw SCIMError.preconditionFailed(
            "The resource has changed since version \(ifMatch) was read (now \(version))."
        )
    }
}
