import Backends

/// One tenant file, `tenants.d/<id>.yaml`, as written by the operator and validated.
///
/// Secrets are never inline: the backend section names an environment variable
/// (`passwordEnv`) or a file (`passwordFile`) holding the password, and an inline `password`
/// is refused. Every unknown key is an error, so that a typo never passes silently.
public struct TenantConfiguration: Sendable, Hashable, Decodable {
    /// The tenant id: `[a-z0-9][a-z0-9-]{0,62}`, equal to the file name without `.yaml`.
    public var id: String
    /// A human-readable name for operators.
    public var name: String
    /// Where the tenant's users live.
    public var backend: BackendSection
    /// The mapping's name: `tenants.d/mappings/<mapping>.yaml`.
    public var mapping: String
    /// Values the mapping may use (`accessUrlId`, `passwordEncryption`), kept as text.
    public var settings: [String: String]
    /// What SCIM DELETE does.
    public var deprovision: DeprovisionMode
    /// Requests per second allowed for the tenant.
    public var rateLimit: RateLimit
    /// `oauth.accessTokenLifetime`: how long an access token from `/oauth/token` lives, in seconds
    /// (300 to 21,600; 3600 by default).
    public var accessTokenLifetime: Int = Self.defaultAccessTokenLifetime

    /// One hour, the lifetime Entra ID expects by default.
    public static let defaultAccessTokenLifetime = 3600
    /// The shortest and longest access-token lifetimes a tenant may set: 5 minutes to 6 hours.
    public static let accessTokenLifetimeRange = 300...21_600

    /// Makes a configuration from its parts (tests and tools; files are decoded).
    public init(
        id: String,
        name: String,
        backend: BackendSection,
        mapping: String,
        settings: [String: String] = [:],
        deprovision: DeprovisionMode = .deactivate,
        rateLimit: RateLimit = .default
    ) {
        self.id = id
        self.name = name
        self.backend = backend
        self.mapping = mapping
        self.settings = settings
        self.deprovision = deprovision
        self.rateLimit = rateLimit
    }

    /// The `backend` section of a tenant file.
    public struct BackendSection: Sendable, Hashable {
        /// The backend kind, one of the registry's kinds (`sqlite`, `postgres`, `mysql`, `chamilo-rest`).
        public var kind: String
        /// The connection URL, without a password.
        public var url: String?
        /// The SQLite database file, relative to the working directory unless absolute.
        public var path: String?
        /// The user name when the URL does not carry it.
        public var username: String?
        /// The environment variable holding the password.
        public var passwordEnv: String?
        /// The file holding the password (its first line), relative to the working directory unless absolute.
        public var passwordFile: String?
        /// `pool.max`: the most connections the tenant may open; `nil` for the backend's default.
        public var poolMax: Int?
        /// Seconds to wait for a connection; `nil` for the default.
        public var connectTimeout: Double?
        /// Seconds one statement or API call may take; `nil` for the default.
        public var statementTimeout: Double?

        /// Makes a backend section from its parts.
        public init(
            kind: String,
            url: String? = nil,
            path: String? = nil,
            username: String? = nil,
            passwordEnv: String? = nil,
            passwordFile: String? = nil,
            poolMax: Int? = nil,
            connectTimeout: Double? = nil,
            statementTimeout: Double? = nil
        ) {
            self.kind = kind
            self.url = url
            self.path = path
            self.username = username
            self.passwordEnv = passwordEnv
            self.passwordFile = passwordFile
            self.poolMax = poolMax
            self.connectTimeout = connectTimeout
            self.statementTimeout = statementTimeout
        }
    }
}

extension TenantConfiguration {
    /// Whether `id` is a valid tenant id: `[a-z0-9][a-z0-9-]{0,62}`.
    public static func isValidID(_ id: String) -> Bool {
        let bytes = Array(id.utf8)
        guard let first = bytes.first, bytes.count <= 63 else { return false }
        func isLowerAlphanumeric(_ byte: UInt8) -> Bool {
            (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z"))
                || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9"))
        }
        return isLowerAlphanumeric(first) && bytes.allSatisfy { isLowerAlphanumeric($0) || $0 == UInt8(ascii: "-") }
    }

    /// Ids that name files of the gateway itself (`admin.tokens`), never a tenant.
    public static let reservedIDs: Set<String> = ["admin"]

    /// The mapping a tenant carries when its file names none (only `chamilo-rest` tenants may omit it).
    public static let defaultMapping = "chamilo-1.11"

    /// Whether `name` may name a mapping file: letters, digits, `.`, `_`, `-`, starting with a
    /// letter or digit (so it never leaves `mappings/`).
    public static func isValidMappingName(_ name: String) -> Bool {
        let bytes = Array(name.utf8)
        guard let first = bytes.first, bytes.count <= 128 else { return false }
        func isAlphanumeric(_ byte: UInt8) -> Bool {
            (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z"))
                || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z"))
                || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9"))
        }
        let punctuation: Set<UInt8> = [UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "-")]
        return isAlphanumeric(first) && bytes.allSatisfy { isAlphanumeric($0) || punctuation.contains($0) }
    }
}
