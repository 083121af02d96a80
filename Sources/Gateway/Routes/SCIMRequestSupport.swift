import Backends
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import SCIM
import Tenants

/// Helpers shared by the SCIM routes: bodies, URLs, entity tags, query items.
enum SCIMRequestSupport {
    static let forwardedProto = HTTPField.Name("X-Forwarded-Proto")!
    static let forwardedHost = HTTPField.Name("X-Forwarded-Host")!

    /// The JSON body (already collected by ``BodyLimitMiddleware``); an empty or malformed body is 400.
    static func jsonBody(_ request: Request, limit: Int = BodyLimits.standard) async throws -> JSONValue {
        var request = request
        let buffer = try await request.collectBody(upTo: limit)
        guard buffer.readableBytes > 0 else {
            throw SCIMError.invalidSyntax("The request has no body; send a JSON object.")
        }
        let bytes = buffer.readableBytesView
        do {
            return try JSONValue.parse(bytes, maxDepth: BodyLimits.jsonDepth)
        } catch let error as SCIMError {
            throw error
        } catch {
            throw SCIMError.invalidSyntax("The request body is not valid JSON: \(error)")
        }
    }

    /// `scheme://host` + base path as the client addressed it (`X-Forwarded-Proto` and
    /// `X-Forwarded-Host` from a reverse proxy are honoured).
    static func baseURL(_ request: Request, basePath: String) -> String {
        func first(_ name: HTTPField.Name) -> String? {
            request.headers[name]?.split(separator: ",").first
                .map { $0.trimmingCharacters(in: .whitespaces) }
                .flatMap { $0.isEmpty ? nil : $0 }
        }
        let scheme =
            first(forwardedProto).flatMap { ["http", "https"].contains($0.lowercased()) ? $0.lowercased() : nil }
            ?? "http"
        // HTTP/1 `Host` arrives as the request's authority.
        let host =
            first(forwardedHost).flatMap(sanitisedHost) ?? request.head.authority.flatMap(sanitisedHost) ?? "localhost"
        return "\(scheme)://\(host)\(basePath)"
    }

    /// A host[:port] without characters that could break out of a URL.
    static func sanitisedHost(_ host: String) -> String? {
        let allowed = CharacterSet.alphanumerics.union(CharacterSet(charactersIn: ".-:[]_"))
        guard !host.isEmpty, host.count <= 255, host.unicodeScalars.allSatisfy(allowed.contains) else { return nil }
        return host
    }

    /// The version an `If-Match` / `If-None-Match` header names: `W/"v"` or `"v"` → `v`; `*` → `nil`
    /// (any version). The first tag of a list is used.
    static func version(fromETagHeader header: String?) -> String?? {
        guard let header else { return .none }
        let first = header.split(separator: ",").first.map { $0.trimmingCharacters(in: .whitespaces) } ?? ""
        if first == "*" { return .some(nil) }
        var tag = Substring(first)
        if tag.hasPrefix("W/") || tag.hasPrefix("w/") { tag = tag.dropFirst(2) }
        if tag.hasPrefix("\""), tag.hasSuffix("\""), tag.count >= 2 { tag = tag.dropFirst().dropLast() }
        return .some(String(tag))
    }

    /// Whether `If-None-Match` names this record's version.
    static func ifNoneMatchHits(_ header: String?, record: ResourceRecord) -> Bool {
        guard let header else { return false }
        for item in header.split(separator: ",") {
            let tag = item.trimmingCharacters(in: .whitespaces)
            if tag == "*" { return true }
            if let version = version(fromETagHeader: tag), version == record.version { return true }
        }
        return false
    }

    /// The `If-Match` version to pass to a backend (`nil` when absent or `*`).
    static func ifMatch(_ request: Request) -> String? {
        switch version(fromETagHeader: request.headers[.ifMatch]) {
        case .some(.some(let version)): return version
        default: return nil
        }
    }

    /// The query items decoded as `application/x-www-form-urlencoded` (`+` is a space, then
    /// percent-escapes), later duplicates winning.
    static func queryItems(_ request: Request) -> [String: String] {
        var items: [String: String] = [:]
        for (name, value) in FormURLEncoding.pairs(request.uri.query ?? "") {
            items[name] = value
        }
        return items
    }

    /// Headers of a resource response: `Location` and `ETag`.
    static func resourceHeaders(location: String, record: ResourceRecord) -> HTTPFields {
        var headers = HTTPFields()
        headers[.location] = location
        headers[.eTag] = record.etag
        return headers
    }

    /// Whether the attributes carry a password.
    static func carriesPassword(_ attributes: JSONObject) -> Bool {
        attributes[caseInsensitive: "password"].map { !$0.isUnassigned } ?? false
    }

    /// 400 `invalidValue` when a password is sent to a backend that cannot take it: on a create, one that
    /// cannot set a password at all; afterwards, one that cannot change passwords.
    static func checkPassword(_ attributes: JSONObject, backend: any Backend, creating: Bool = false) throws {
        let capabilities = backend.capabilities
        let accepted = capabilities.changePassword || (creating && capabilities.passwordOnCreate)
        if carriesPassword(attributes), !accepted {
            throw SCIMError.invalidValue(
                "This tenant's backend cannot set or change passwords (changePassword is not supported); "
                    + "send the request without a password."
            )
        }
    }

    /// Names of the members of `attributes`, extension members as `urn:…:name`; never values.
    static func attributeNames(_ attributes: JSONObject) -> [String] {
        var names: [String] = []
        for (key, value) in attributes {
            if key.lowercased().hasPrefix("urn:"), let object = value.objectValue {
                names += object.keys.map { "\(key):\($0)" }
            } else {
                names.append(key)
            }
        }
        return names
    }

    /// Names of the attributes whose values differ between two states.
    static func changedAttributeNames(from old: JSONObject, to new: JSONObject) -> [String] {
        var names: [String] = []
        var seen = Set<String>()
        for (key, value) in new {
            seen.insert(key.lowercased())
            let before = old[caseInsensitive: key]
            if key.lowercased().hasPrefix("urn:"), let object = value.objectValue {
                let oldObject = before?.objectValue ?? JSONObject()
                names += changedAttributeNames(from: oldObject, to: object).map { "\(key):\($0)" }
            } else if before != value {
                names.append(key)
            }
        }
        for (key, _) in old where !seen.contains(key.lowercased()) {
            names.append(key)
        }
        return names
    }

    /// The `userName` (or a group's `displayName`) and `externalId` of attributes, for the log.
    static func identity(_ attributes: JSONObject, kind: ResourceKind) -> (name: String?, externalId: String?) {
        let nameKey = kind == .user ? "userName" : "displayName"
        return (
            attributes[caseInsensitive: nameKey]?.stringValue, attributes[caseInsensitive: "externalId"]?.stringValue
        )
    }
}
