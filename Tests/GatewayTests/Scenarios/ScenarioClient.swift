import Backends
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import SCIM
import SQLDrivers
import Testing

/// A SCIM client over HummingbirdTesting: paths are relative to `/scim/v2`, the bearer token is sent
/// on every request, and bodies come back parsed.
struct ScenarioClient: Sendable {
    let client: any TestClientProtocol
    let token: String

    static let base = "/scim/v2"

    func request(
        _ method: HTTPRequest.Method,
        _ path: String,
        json: String? = nil,
        headers extra: HTTPFields = [:]
    ) async throws -> ScenarioResponse {
        var headers = extra
        headers[.authorization] = "Bearer \(token)"
        if json != nil { headers[.contentType] = "application/scim+json" }
        let response = try await client.execute(
            uri: Self.base + path,
            method: method,
            headers: headers,
            body: json.map { ByteBuffer(string: $0) }
        )
        return ScenarioResponse(response)
    }

    func get(_ path: String, headers: HTTPFields = [:]) async throws -> ScenarioResponse {
        try await request(.get, path, headers: headers)
    }

    func post(_ path: String, _ json: String, headers: HTTPFields = [:]) async throws -> ScenarioResponse {
        try await request(.post, path, json: json, headers: headers)
    }

    func put(_ path: String, _ json: String, headers: HTTPFields = [:]) async throws -> ScenarioResponse {
        try await request(.put, path, json: json, headers: headers)
    }

    /// A PATCH whose `Operations` are given as JSON text.
    func patch(_ path: String, operations: String, headers: HTTPFields = [:]) async throws -> ScenarioResponse {
        try await request(
            .patch,
            path,
            json: #"{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":\#(operations)}"#,
            headers: headers
        )
    }

    func delete(_ path: String, headers: HTTPFields = [:]) async throws -> ScenarioResponse {
        try await request(.delete, path, headers: headers)
    }

    /// `GET /Users?filter=…` (and further query items), percent-encoded.
    func list(
        _ endpoint: String = "/Users",
        filter: String? = nil,
        query items: [String: String] = [:]
    ) async throws
        -> ScenarioResponse
    {
        var query = items
        if let filter { query["filter"] = filter }
        let text = query.sorted { $0.key < $1.key }.map { "\($0.key)=\(Self.encode($0.value))" }
            .joined(separator: "&")
        return try await get(endpoint + (text.isEmpty ? "" : "?" + text))
    }

    /// Creates a user and returns its id, expecting 201.
    func createUser(_ json: String, sourceLocation: SourceLocation = #_sourceLocation) async throws -> String {
        let response = try await post("/Users", json)
        #expect(response.status == .created, "\(response.text)", sourceLocation: sourceLocation)
        return try #require(response["id"]?.stringValue, sourceLocation: sourceLocation)
    }

    static func encode(_ value: String) -> String {
        var allowed = CharacterSet.urlQueryAllowed
        allowed.remove(charactersIn: "&+=#?/")
        return value.addingPercentEncoding(withAllowedCharacters: allowed) ?? value
    }
}

/// A response with its body parsed as JSON (nil when empty or not JSON).
struct ScenarioResponse: Sendable {
    var status: HTTPResponse.Status
    var headers: HTTPFields
    var text: String
    var body: JSONValue?

    init(_ response: TestResponse) {
        status = response.status
        headers = response.headers
        text = String(buffer: response.body)
        body = text.isEmpty ? nil : try? JSONValue.parse(text)
    }

    /// A member by dotted path (`name.givenName`, `meta.version`); names compare case-insensitively.
    subscript(path: String) -> JSONValue? {
        var current = body
        for name in path.split(separator: ".") {
            current = current?.objectValue?[caseInsensitive: String(name)]
        }
        return current
    }

    /// An extension member (`urn:…:User` then `employeeNumber`).
    func member(_ schema: String, _ name: String) -> JSONValue? {
        body?.objectValue?[caseInsensitive: schema]?.objectValue?[caseInsensitive: name]
    }

    /// The `Resources` of a ListResponse.
    var resources: [JSONObject] {
        self["Resources"]?.arrayValue?.compactMap(\.objectValue) ?? []
    }

    /// The ids of a ListResponse's resources, in order.
    var ids: [String] {
        resources.compactMap { $0["id"]?.stringValue }
    }

    /// The `userName`s of a ListResponse's resources, in order.
    var userNames: [String] {
        resources.compactMap { $0[caseInsensitive: "userName"]?.stringValue }
    }

    var totalResults: Int? { integer("totalResults") }

    /// An integer member (JSON integers only, as clients such as Okta require).
    func integer(_ path: String) -> Int? {
        if case .integer(let number)? = self[path] { return Int(number) }
        return nil
    }
}

/// Expects a SCIM error: the status, a body with the Error schema, `status` as a string, the `scimType`
/// and a detail containing each of `detailContains` (case-insensitively), as `application/scim+json`.
func expectSCIMError(
    _ response: ScenarioResponse,
    _ status: HTTPResponse.Status,
    scimType: String? = nil,
    detailContains: [String] = [],
    sourceLocation: SourceLocation = #_sourceLocation
) {
    #expect(response.status == status, "\(response.text)", sourceLocation: sourceLocation)
    #expect(response.headers[.contentType] == "application/scim+json", sourceLocation: sourceLocation)
    let schemas = response["schemas"]?.arrayValue?.compactMap(\.stringValue) ?? []
    #expect(schemas == ["urn:ietf:params:scim:api:messages:2.0:Error"], sourceLocation: sourceLocation)
    #expect(response["status"]?.stringValue == String(status.code), sourceLocation: sourceLocation)
    if let scimType {
        #expect(response["scimType"]?.stringValue == scimType, "\(response.text)", sourceLocation: sourceLocation)
    }
    let detail = response["detail"]?.stringValue ?? ""
    #expect(!detail.isEmpty, sourceLocation: sourceLocation)
    for fragment in detailContains {
        #expect(detail.lowercased().contains(fragment.lowercased()), "\(detail)", sourceLocation: sourceLocation)
    }
}
