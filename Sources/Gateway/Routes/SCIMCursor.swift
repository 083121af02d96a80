import Crypto
import Foundation
import SCIM
import Tenants

/// The RFC 9865 cursor a client passes back to get the next page: opaque to it, bound to the tenant
/// and to the query (resource type, filter, direction) it was issued for, and valid for
/// ``timeout``.
///
/// Keyset cursors hold no server state: a cursor only says "after key K" for a query its bearer may
/// run anyway, so every node that serves the tenant accepts it. Its integrity check (a SHA-256 over the
/// payload) catches a cursor that was altered, truncated or pasted from elsewhere; the tenant and the
/// query inside it are compared with the request's, so one tenant's cursor never pages another's data.
struct SCIMCursor: Sendable, Hashable {
    /// How long a cursor stays valid (`cursorTimeout`).
    static let timeout: Duration = .seconds(3600)
    /// Longer cursors are refused unread.
    static let maxLength = 512

    var tenant: String
    /// A digest of the query the cursor continues.
    var query: String
    /// The backend's position (``SearchResult/nextPosition``).
    var position: String
    /// Seconds since 1970 when the cursor was issued.
    var issued: Int64

    /// The text sent as `nextCursor`: base64url(payload) "." base64url(check).
    func encoded() -> String {
        let payload: JSONValue = .object([
            "t": .string(tenant), "q": .string(query), "p": .string(position), "i": .integer(issued),
        ])
        let bytes = payload.serialized()
        return Self.base64URL(bytes) + "." + Self.base64URL(Self.check(bytes))
    }

    /// Reads a cursor the client sent; 400 invalidCursor for anything this server did not issue for this
    /// tenant and query, 400 expiredCursor once it is older than ``timeout``.
    static func decode(_ text: String, tenant: String, query: String, now: Date = Date()) throws -> SCIMCursor {
        let invalid = SCIMError(
            status: 400,
            scimType: .invalidCursor,
            detail: "The cursor is not one this server issued for this query; start again with cursor= (empty)."
        )
        guard text.utf8.count <= maxLength else { throw invalid }
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 2, let payload = bytes(base64URL: parts[0]), let check = bytes(base64URL: parts[1]),
            check == Self.check(payload),
            case .object(let object)? = try? JSONValue.parse(payload, maxDepth: 2),
            case .string(let cursorTenant)? = object["t"], case .string(let cursorQuery)? = object["q"],
            case .string(let position)? = object["p"], case .integer(let issued)? = object["i"]
        else { throw invalid }
        guard cursorTenant == tenant, cursorQuery == query else {
            throw SCIMError(
                status: 400,
                scimType: .invalidCursor,
                detail: "The cursor belongs to another query or tenant; a cursor continues only the query it came from."
            )
        }
        // The check is no key, so `i` may be anything a client writes: a time too far in the past to
        // subtract is expired, not an overflow.
        let (age, overflow) = Int64(now.timeIntervalSince1970.rounded(.down)).subtractingReportingOverflow(issued)
        guard !overflow, age <= timeout.components.seconds else {
            throw SCIMError(
                status: 400,
                scimType: .expiredCursor,
                detail:
                    "The cursor expired (cursorTimeout is \(timeout.components.seconds) s); start again with cursor=."
            )
        }
        return SCIMCursor(tenant: tenant, query: query, position: position, issued: issued)
    }

    /// The digest binding a cursor to its query: the resource type, the filter as parsed, the direction.
    static func queryDigest(kind: ResourceKind, filter: FilterExpression?, ascending: Bool) -> String {
        let text = "\(kind.rawValue)\u{1}\(filter.map(\.description) ?? "")\u{1}\(ascending)"
        return base64URL(Array(SHA256.hash(data: Array(text.utf8))).prefix(12))
    }

    private static func check(_ payload: [UInt8]) -> [UInt8] {
        Array(SHA256.hash(data: Array("scim-gateway cursor 1\u{0}".utf8) + payload).prefix(16))
    }

    static func base64URL(_ bytes: some Collection<UInt8>) -> String {
        Base64URL.encode(Array(bytes))
    }

    /// The bytes of `text`, only in the one spelling this server writes (``Base64URL/decode(_:)``), so
    /// that no two texts name the same cursor.
    static func bytes(base64URL text: Substring) -> [UInt8]? {
        Base64URL.decode(String(text))
    }
}
