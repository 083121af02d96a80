import Foundation
import SCIM
import SQLDrivers
import Testing

/// Bodies and checks the wire tests share.
enum Wire {
    static let userSchema = "urn:ietf:params:scim:schemas:core:2.0:User"
    static let groupSchema = "urn:ietf:params:scim:schemas:core:2.0:Group"
    static let enterprise = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"
    static let patchSchema = "urn:ietf:params:scim:api:messages:2.0:PatchOp"
    static let bulkSchema = "urn:ietf:params:scim:api:messages:2.0:BulkRequest"

    /// A minimal user body as an IdP writes it.
    static func user(_ userName: String, externalId: String? = nil, extra: String = "") -> String {
        var members = [
            #""schemas":["\#(userSchema)"]"#, #""userName":"\#(userName)""#, #""active":true"#,
            #""name":{"givenName":"Ada","familyName":"Lovelace"}"#,
            #""emails":[{"value":"\#(userName)","type":"work","primary":true}]"#,
        ]
        if let externalId { members.append(#""externalId":"\#(externalId)""#) }
        if !extra.isEmpty { members.append(extra) }
        return "{" + members.joined(separator: ",") + "}"
    }

    /// Creates a user and returns its id.
    @discardableResult
    static func createUser(
        _ gateway: WireGateway,
        _ tenant: String,
        _ userName: String,
        externalId: String? = nil,
        extra: String = ""
    ) async throws -> String {
        let response = try await gateway.request(
            "POST",
            "/scim/v2/Users",
            tenant: tenant,
            body: user(userName, externalId: externalId, extra: extra)
        )
        try #require(response.status == 201, "create \(userName): \(response)")
        return try #require(response["id"]?.stringValue)
    }

    /// The `Resources` of a ListResponse.
    static func resources(_ response: RawHTTPResponse) -> [JSONObject] {
        response["Resources"]?.arrayValue?.compactMap(\.objectValue) ?? []
    }

    /// The `totalResults` of a ListResponse.
    static func total(_ response: RawHTTPResponse) -> Int64? {
        response["totalResults"]?.wireInteger
    }

    /// Waits until `condition` holds (the provisioning log is written in batches), for up to 15 s.
    static func eventually(_ condition: () async throws -> Bool) async throws -> Bool {
        for _ in 0..<150 {
            if try await condition() { return true }
            try await Task.sleep(for: .milliseconds(100))
        }
        return try await condition()
    }
}

extension JSONValue {
    /// The integer, when this is an integer (test helper).
    var wireInteger: Int64? {
        if case .integer(let value) = self { return value }
        return nil
    }
}
