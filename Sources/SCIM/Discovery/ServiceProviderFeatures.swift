/// What one tenant's SCIM service supports, published as /ServiceProviderConfig (RFC 7643 §5).
public struct ServiceProviderFeatures: Sendable, Hashable {
    /// Bulk support and its limits (RFC 7644 §3.7).
    public struct Bulk: Sendable, Hashable {
        public var supported: Bool
        /// The most operations one bulk request may carry.
        public var maxOperations: Int
        /// The largest bulk request body, in bytes.
        public var maxPayloadSize: Int

        /// Bulk settings; the defaults are the gateway's: 1000 operations, 4 MiB.
        public init(supported: Bool = true, maxOperations: Int = 1000, maxPayloadSize: Int = 4 * 1024 * 1024) {
            self.supported = supported
            self.maxOperations = maxOperations
            self.maxPayloadSize = maxPayloadSize
        }
    }

    /// Filter support and the most resources one response returns.
    public struct Filter: Sendable, Hashable {
        public var supported: Bool
        public var maxResults: Int

        /// Filter settings; by default supported with `maxResults` 1000.
        public init(supported: Bool = true, maxResults: Int = 1000) {
            self.supported = supported
            self.maxResults = maxResults
        }
    }

    /// RFC 9865 `pagination`: which paging methods the tenant offers and their limits.
    public struct Pagination: Sendable, Hashable {
        public var cursor: Bool
        public var index: Bool
        public var defaultPageSize: Int
        public var maxPageSize: Int
        /// Seconds a cursor stays valid.
        public var cursorTimeout: Int

        /// Pagination settings; index paging by default, cursors where the backend pages by keyset.
        public init(
            cursor: Bool = false,
            index: Bool = true,
            defaultPageSize: Int = 1000,
            maxPageSize: Int = 1000,
            cursorTimeout: Int = 3600
        ) {
            self.cursor = cursor
            self.index = index
            self.defaultPageSize = defaultPageSize
            self.maxPageSize = maxPageSize
            self.cursorTimeout = cursorTimeout
        }
    }

    /// Paging methods (RFC 9865).
    public var pagination = Pagination()
    /// Whether PATCH is supported.
    public var patch: Bool
    /// Bulk support and limits.
    public var bulk: Bulk
    /// Filter support and `maxResults`.
    public var filter: Filter
    /// Whether a client may change a password (Chamilo REST tenants cannot).
    public var changePassword: Bool
    /// Whether `sortBy` is honoured.
    public var sort: Bool
    /// Whether resources carry ETags and `If-Match` is honoured.
    public var etag: Bool
    /// A page for people about this service, when there is one.
    public var documentationUri: String?
    /// How clients authenticate, the first one primary; a static bearer token by default.
    public var authenticationSchemes: [AuthenticationScheme] = [.bearerToken]

    /// Features with the gateway's usual values.
    public init(
        patch: Bool = true,
        bulk: Bulk = Bulk(),
        filter: Filter = Filter(),
        changePassword: Bool = true,
        sort: Bool = true,
        etag: Bool = true,
        documentationUri: String? = nil
    ) {
        self.patch = patch
        self.bulk = bulk
        self.filter = filter
        self.changePassword = changePassword
        self.sort = sort
        self.etag = etag
        self.documentationUri = documentationUri
    }
}

/// One way a client authenticates (RFC 7643 §5 `authenticationSchemes`).
public struct AuthenticationScheme: Sendable, Hashable {
    /// `oauthbearertoken`, `oauth2`, `httpbasic`, …
    public var type: String
    /// The scheme's name for people.
    public var name: String
    /// How a client uses it (the token endpoint's URL for client credentials).
    public var description: String
    /// The specification that defines it.
    public var specUri: String

    /// Makes a scheme.
    public init(type: String, name: String, description: String, specUri: String) {
        self.type = type
        self.name = name
        self.description = description
        self.specUri = specUri
    }

    /// A static bearer token issued to the tenant (RFC 6750).
    public static let bearerToken = AuthenticationScheme(
        type: "oauthbearertoken",
        name: "OAuth Bearer Token",
        description: "Authentication with a bearer token issued to the tenant.",
        specUri: "https://www.rfc-editor.org/info/rfc6750"
    )

    /// Access tokens from the gateway's token endpoint by the client-credentials grant (RFC 6749 §4.4).
    public static func clientCredentials(tokenEndpoint: String) -> AuthenticationScheme {
        AuthenticationScheme(
            type: "oauthbearertoken",
            name: "OAuth 2.0 client credentials",
            description: "Bearer access tokens from the token endpoint \(tokenEndpoint) "
                + "(grant_type=client_credentials, client authenticated by HTTP Basic or form fields).",
            specUri: "https://www.rfc-editor.org/info/rfc6749"
        )
    }
}
