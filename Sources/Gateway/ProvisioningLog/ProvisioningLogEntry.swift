import Foundation

/// One provisioning-log entry: a SCIM request that reached a tenant.
///
/// It names the attributes a request changed or the mapping dropped, never their values, and never
/// carries a password or a bearer token. Its JSON form (``logs --json``, the admin API and the spool
/// file) always has exactly the keys below, `null` where a value is absent.
public struct ProvisioningLogEntry: Sendable, Hashable, Codable {
    /// When the request arrived.
    public var time: Date
    /// The request id (also sent back in `X-Request-ID`).
    public var requestId: String
    /// The tenant id.
    public var tenant: String
    /// The id of the token that authenticated the request (never the token).
    public var tokenId: String?
    /// The client address.
    public var client: String?
    /// The HTTP method.
    public var method: String
    /// The request path, without the query string.
    public var path: String
    /// What the request did: `create`, `get`, `list`, `search`, `replace`, `patch`, `delete`, `bulk`, …
    public var operation: String
    /// `User` or `Group`, when the request addressed a resource type.
    public var resourceType: String?
    /// The resource id, when known.
    public var resourceId: String?
    /// The user's `userName` (or the group's `displayName`), when known.
    public var userName: String?
    /// The resource's `externalId`, when known.
    public var externalId: String?
    /// The HTTP status answered.
    public var status: Int
    /// The SCIM `scimType` of an error.
    public var scimType: String?
    /// The error detail sent to the client.
    public var detail: String?
    /// How long the request took, in milliseconds.
    public var durationMs: Double
    /// Names of the attributes the request wrote and the backend stored; never values.
    public var attributes: [String]
    /// Names of the attributes the request sent that the tenant's mapping cannot store; never values.
    public var dropped: [String]

    /// Makes an entry.
    public init(
        time: Date,
        requestId: String,
        tenant: String,
        tokenId: String? = nil,
        client: String? = nil,
        method: String,
        path: String,
        operation: String,
        resourceType: String? = nil,
        resourceId: String? = nil,
        userName: String? = nil,
        externalId: String? = nil,
        status: Int,
        scimType: String? = nil,
        detail: String? = nil,
        durationMs: Double,
        attributes: [String] = [],
        dropped: [String] = []
    ) {
        self.time = time
        self.requestId = requestId
        self.tenant = tenant
        self.tokenId = tokenId
        self.client = client
        self.method = method
        self.path = path
        self.operation = operation
        self.resourceType = resourceType
        self.resourceId = resourceId
        self.userName = userName
        self.externalId = externalId
        self.status = status
        self.scimType = scimType
        self.detail = detail
        self.durationMs = durationMs
        self.attributes = attributes
        self.dropped = dropped
    }

    /// The JSON keys, in the order they are written.
    public enum CodingKeys: String, CodingKey, CaseIterable {
        case time, requestId, tenant, tokenId, client, method, path, operation, resourceType, resourceId
        case userName, externalId, status, scimType, detail, durationMs, attributes, dropped
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let timeText = try container.decode(String.self, forKey: .time)
        guard let time = ProvisioningLogTime.parse(timeText) else {
            throw DecodingError.dataCorruptedError(
                forKey: .time,
                in: container,
                debugDescription: "not an ISO 8601 time: \(timeText)"
            )
        }
        self.time = time
        self.requestId = try container.decode(String.self, forKey: .requestId)
        self.tenant = try container.decode(String.self, forKey: .tenant)
        self.tokenId = try container.decodeIfPresent(String.self, forKey: .tokenId)
        self.client = try container.decodeIfPresent(String.self, forKey: .client)
        self.method = try container.decode(String.self, forKey: .method)
        self.path = try container.decode(String.self, forKey: .path)
        self.operation = try container.decode(String.self, forKey: .operation)
        self.resourceType = try container.decodeIfPresent(String.self, forKey: .resourceType)
        self.resourceId = try container.decodeIfPresent(String.self, forKey: .resourceId)
        self.userName = try container.decodeIfPresent(String.self, forKey: .userName)
        self.externalId = try container.decodeIfPresent(String.self, forKey: .externalId)
        self.status = try container.decode(Int.self, forKey: .status)
        self.scimType = try container.decodeIfPresent(String.self, forKey: .scimType)
        self.detail = try container.decodeIfPresent(String.self, forKey: .detail)
        self.durationMs = try container.decode(Double.self, forKey: .durationMs)
        self.attributes = try container.decodeIfPresent([String].self, forKey: .attributes) ?? []
        self.dropped = try container.decodeIfPresent([String].self, forKey: .dropped) ?? []
    }

    public func encode(to encoder: any Encoder) throws {
        // Every key is written, `null` included, so scripts can rely on the shape.
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(ProvisioningLogTime.format(time), forKey: .time)
        try container.encode(requestId, forKey: .requestId)
        try container.encode(tenant, forKey: .tenant)
        try container.encode(tokenId, forKey: .tokenId)
        try container.encode(client, forKey: .client)
        try container.encode(method, forKey: .method)
        try container.encode(path, forKey: .path)
        try container.encode(operation, forKey: .operation)
        try container.encode(resourceType, forKey: .resourceType)
        try container.encode(resourceId, forKey: .resourceId)
        try container.encode(userName, forKey: .userName)
        try container.encode(externalId, forKey: .externalId)
        try container.encode(status, forKey: .status)
        try container.encode(scimType, forKey: .scimType)
        try container.encode(detail, forKey: .detail)
        try container.encode(durationMs, forKey: .durationMs)
        try container.encode(attributes, forKey: .attributes)
        try container.encode(dropped, forKey: .dropped)
    }

    /// The entry as one line of JSON (no trailing newline), with exactly the documented keys in order.
    public func jsonLine() -> String {
        func text(_ value: String?) -> String { value.map(ProvisioningLogJSON.quoted) ?? "null" }
        let members: [(CodingKeys, String)] = [
            (.time, ProvisioningLogJSON.quoted(ProvisioningLogTime.format(time))),
            (.requestId, text(requestId)),
            (.tenant, text(tenant)),
            (.tokenId, text(tokenId)),
            (.client, text(client)),
            (.method, text(method)),
            (.path, text(path)),
            (.operation, text(operation)),
            (.resourceType, text(resourceType)),
            (.resourceId, text(resourceId)),
            (.userName, text(userName)),
            (.externalId, text(externalId)),
            (.status, String(status)),
            (.scimType, text(scimType)),
            (.detail, text(detail)),
            (.durationMs, ProvisioningLogJSON.number(durationMs)),
            (.attributes, ProvisioningLogJSON.list(attributes)),
            (.dropped, ProvisioningLogJSON.list(dropped)),
        ]
        return "{" + members.map { "\"\($0.0.rawValue)\":\($0.1)" }.joined(separator: ",") + "}"
    }
}

/// JSON text for log lines, written by hand so that key order is fixed.
enum ProvisioningLogJSON {
    static func quoted(_ text: String) -> String {
        var result = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case "\n": result += "\\n"
            case "\r": result += "\\r"
            case "\t": result += "\\t"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                result += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result + "\""
    }

    static func list(_ names: [String]) -> String {
        "[" + names.map(quoted).joined(separator: ",") + "]"
    }

    static func number(_ value: Double) -> String {
        guard value.isFinite else { return "0" }
        let rounded = (value * 1000).rounded() / 1000
        if rounded == rounded.rounded(), abs(rounded) < 1e15 {
            return String(Int64(rounded))
        }
        return String(rounded)
    }
}

/// Times in the log: UTC, ISO 8601 with milliseconds, so that text order is time order.
enum ProvisioningLogTime {
    static func format(_ date: Date) -> String {
        date.formatted(
            Date.ISO8601FormatStyle(includingFractionalSeconds: true, timeZone: TimeZone(secondsFromGMT: 0) ?? .gmt)
        )
    }

    static func parse(_ text: String) -> Date? {
        if let date = try? Date.ISO8601FormatStyle(includingFractionalSeconds: true).parse(text) {
            return date
        }
        return try? Date.ISO8601FormatStyle().parse(text)
    }

    /// Milliseconds since 1970, the indexed form in the SQL store. A date outside what 64 bits of
    /// milliseconds hold (some 292 million years either way) is clamped, never trapped on.
    static func milliseconds(_ date: Date) -> Int64 {
        let value = (date.timeIntervalSince1970 * 1000).rounded(.down)
        guard value.isFinite else { return value > 0 ? .max : .min }
        return Int64(exactly: value) ?? (value > 0 ? .max : .min)
    }

    static func date(milliseconds: Int64) -> Date {
        Date(timeIntervalSince1970: Double(milliseconds) / 1000)
    }
}
