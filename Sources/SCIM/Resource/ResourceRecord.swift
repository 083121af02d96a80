import Foundation

/// The two resource types this server provisions.
public enum ResourceKind: String, Sendable, Hashable, CaseIterable {
    case user = "User"
    case group = "Group"

    /// The standard resource type definition.
    public var resourceType: SCIMResourceType {
        switch self {
        case .user: return .user
        case .group: return .group
        }
    }
}

/// A resource as a backend stores it: its id, version and canonical attributes.
///
/// `attributes` holds canonical SCIM JSON without `id`, `meta` or `schemas` (the gateway adds
/// them): core attributes at the top level, extension attributes under their schema URI.
/// It never holds a password.
public struct ResourceRecord: Sendable, Hashable {
    public var id: String
    /// An opaque version that changes on every modification; the weak ETag is `W/"<version>"`.
    public var version: String
    public var created: Date?
    public var lastModified: Date?
    public var attributes: JSONObject

    public init(id: String, version: String, created: Date?, lastModified: Date?, attributes: JSONObject) {
        self.id = id
        self.version = version
        self.created = created
        self.lastModified = lastModified
        self.attributes = attributes
    }

    /// The weak entity tag of this version (RFC 7644 §3.14).
    public var etag: String { "W/\"\(version)\"" }
}

/// A list or search request as backends receive it, already validated.
public struct SearchQuery: Sendable, Hashable {
    public var filter: FilterExpression?
    public var sortBy: AttributePath?
    public var ascending: Bool
    /// 1-based index of the first result.
    public var startIndex: Int
    /// The page size; 0 asks for the total only.
    public var count: Int
    /// Cursor paging (RFC 9865): results ordered by the resource's key, after this position. When set,
    /// `startIndex` and `sortBy` are ignored; `ascending` gives the direction.
    public var keyset: KeysetPage?

    public init(
        filter: FilterExpression? = nil,
        sortBy: AttributePath? = nil,
        ascending: Bool = true,
        startIndex: Int = 1,
        count: Int = 100,
        keyset: KeysetPage? = nil
    ) {
        self.filter = filter
        self.sortBy = sortBy
        self.ascending = ascending
        self.startIndex = startIndex
        self.count = count
        self.keyset = keyset
    }
}

/// Where a keyset page starts: after the resource whose key the backend wrote into the previous
/// page's ``SearchResult/nextPosition``, or at the beginning.
public struct KeysetPage: Sendable, Hashable {
    /// The backend's position text; nil for the first page.
    public var after: String?

    public init(after: String? = nil) {
        self.after = after
    }
}

/// A page of results and the total number of matches.
public struct SearchResult: Sendable, Hashable {
    public var totalResults: Int
    public var resources: [ResourceRecord]
    /// Keyset pages only: the position after the last resource of this page when more follow.
    public var nextPosition: String?

    public init(totalResults: Int, resources: [ResourceRecord], nextPosition: String? = nil) {
        self.totalResults = totalResults
        self.resources = resources
        self.nextPosition = nextPosition
    }
}
