import Foundation
import SCIM

/// One provisioning-log entry: a SCIM request that reached a tenant.
///
/// It names the attributes a request changed or the mapping dropped, never their values, and never
/// carries a password or a bearer token. Its JSON form (``logs --json``, the admin API and the spool
/// file) always has exactly the keys below, `null` where a value is absent.
public struct ProvisioningLogEntry: Sendable, Hashable {
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
    public enum Key: String, Sendable, CaseIterable {
        case time, requestId, tenant, tokenId, client, method, path, operation, resourceType, resourceId
        case userName, externalId, status, scimType, detail, durationMs, attributes, dropped
    }

    /// The entry as a JSON object with exactly the documented keys in order, `null` where a value is
    /// absent, so scripts can rely on the shape.
    public var jsonValue: JSONValue {
        func text(_ value: String?) -> JSONValue { value.map(JSONValue.string) ?? .null }
        let members: [(Key, JSONValue)] = [
            (.time, .string(ProvisioningLogTime.format(time))),
            (.requestId, .string(requestId)),
            (.tenant, .string(tenant)),
            (.tokenId, text(tokenId)),
            (.client, text(client)),
            (.method, .string(method)),
            (.path, .string(path)),
            (.operation, .string(operation)),
            (.resourceType, text(resourceType)),
            (.resourceId, text(resourceId)),
            (.userName, text(userName)),
            (.externalId, text(externalId)),
            (.status, .integer(Int64(status))),
            (.scimType, text(scimType)),
            (.detail, text(detail)),
            (.durationMs, ProvisioningLogJSON.numberValue(durationMs)),
            (.attributes, ProvisioningLogJSON.listValue(attributes)),
            (.dropped, ProvisioningLogJSON.listValue(dropped)),
        ]
        return .object(JSONObject(members.map { ($0.0.rawValue, $0.1) }))
    }

    /// The entry as one line of JSON (no trailing newline), with exactly the documented keys in order.
    public func jsonLine() -> String {
        jsonValue.jsonString
    }

    /// Reads the JSON form (a line of ``jsonLine()``); `nil` when a required key is missing or a value
    /// has the wrong type. Absent optional keys read as `nil`, absent lists as empty.
    public init?(json: JSONValue) {
        guard let object = json.objectValue else { return nil }
        func required(_ key: Key) -> String? { object[key.rawValue]?.stringValue }
        func optional(_ key: Key) -> String?? {
            switch object[key.rawValue] {
            case nil, .null?: return .some(nil)
            case .string(let text)?: return .some(text)
            default: return nil
            }
        }
        func names(_ key: Key) -> [String]? {
            switch object[key.rawValue] {
            case nil, .null?: return []
            case .array(let values)?:
                let names = values.compactMap(\.stringValue)
                return names.count == values.count ? names : nil
            default: return nil
            }
        }
        guard let timeText = required(.time), let time = ProvisioningLogTime.parse(timeText),
            let requestId = required(.requestId), let tenant = required(.tenant), let method = required(.method),
            let path = required(.path), let operation = required(.operation),
            case .integer(let statusNumber)? = object[Key.status.rawValue], let status = Int(exactly: statusNumber),
            let durationMs = ProvisioningLogJSON.double(object[Key.durationMs.rawValue]),
            let tokenId = optional(.tokenId), let client = optional(.client),
            let resourceType = optional(.resourceType), let resourceId = optional(.resourceId),
            let userName = optional(.userName), let externalId = optional(.externalId),
            let scimType = optional(.scimType), let detail = optional(.detail),
            let attributes = names(.attributes), let dropped = names(.dropped)
        else { return nil }
        self.init(
            time: time,
            requestId: requestId,
            tenant: tenant,
            tokenId: tokenId,
            client: client,
            method: method,
            path: path,
            operation: operation,
            resourceType: resourceType,
            resourceId: resourceId,
            userName: userName,
            externalId: externalId,
            status: status,
            scimType: scimType,
            detail: detail,
            durationMs: durationMs,
            attributes: attributes,
            dropped: dropped
        )
    }

    /// Reads one line of JSON; `nil` when it is not an entry.
    public init?(jsonLine line: some Collection<UInt8>) {
        guard let value = try? JSONValue.parse(line) else { return nil }
        self.init(json: value)
    }
}

/// The log's JSON values, written with ``JSONValue``'s serializer.
enum ProvisioningLogJSON {
    /// A list of names as JSON text (the SQL store's `attributes` and `dropped` columns).
    static func list(_ names: [String]) -> String {
        listValue(names).jsonString
    }

    /// A list of names as a JSON array.
    static func listValue(_ names: [String]) -> JSONValue {
        .array(names.map(JSONValue.string))
    }

    /// Milliseconds as JSON text: rounded to microseconds, whole numbers without a fraction.
    static func number(_ value: Double) -> String {
        numberValue(value).jsonString
    }

    /// Milliseconds as a JSON number: rounded to microseconds, whole numbers as integers, a
    /// non-finite value as 0.
    static func numberValue(_ value: Double) -> JSONValue {
        guard value.isFinite else { return .integer(0) }
        let rounded = (value * 1000).rounded() / 1000
        if rounded == rounded.rounded(), abs(rounded) < 1e15, let whole = Int64(exactly: rounded) {
            return .integer(whole)
        }
        return .decimal(rounded)
    }

    /// A JSON number as a `Double`.
    static func double(_ value: JSONValue?) -> Double? {
        switch value {
        case .integer(let number)?: return Double(number)
        case .decimal(let number)?: return number
        default: return nil
        }
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
