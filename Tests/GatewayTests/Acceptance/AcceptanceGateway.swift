import Backends
import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import SQLDrivers
import Tenants
import Testing

/// ``ChamiloGateway``'s tenants.d (tenant `acme`) with a second tenant `beta` on its own SQLite
/// file, and `acme` tokens the gateway must refuse: one expired, one revoked.
struct AcceptanceGateway {
    let gateway: ChamiloGateway
    let betaToken: String
    let expiredToken: String
    let revokedToken: String

    var acmeToken: String { gateway.token }
    var configDirectory: String { gateway.directory + "/tenants.d" }

    static func make() async throws -> AcceptanceGateway {
        let gateway = try await ChamiloGateway.make()
        let configDirectory = gateway.directory + "/tenants.d"
        let databasePath = gateway.directory + "/beta.sqlite"
        let database = try SQLDatabase.sqlite(
            SQLiteConfiguration(path: databasePath),
            maxConnections: 4,
            creatingFolder: true
        )
        try await database.executeScript(
            try String(
                contentsOf: ChamiloGateway.repositoryRoot.appendingPathComponent("schemas/sqlite/chamilo-1.11.sql"),
                encoding: .utf8
            )
        )
        await database.close()
        let tenantFile = """
            id: beta
            name: Beta College
            backend:
              kind: sqlite
              path: \(databasePath)
            mapping: chamilo-1.11
            settings:
              accessUrlId: 1
            deprovision: deactivate
            """
        try tenantFile.write(toFile: configDirectory + "/beta.yaml", atomically: true, encoding: .utf8)
        let store = TokenStore(configDirectory: configDirectory)
        let betaToken = try store.create(tenant: "beta", name: "tests", expiresIn: nil).token
        // Issued two hours ago for one minute.
        let past = TokenStore(configDirectory: configDirectory, now: { Date().addingTimeInterval(-7200) })
        let expiredToken = try past.create(tenant: "acme", name: "expired", expiresIn: .seconds(60)).token
        let revokedToken = try store.create(tenant: "acme", name: "revoked", expiresIn: nil).token
        try store.revoke(tenant: "acme", name: "revoked")
        let problems = await gateway.tenants.reload()
        #expect(problems.isEmpty, "tenants.d problems: \(problems)")
        return AcceptanceGateway(
            gateway: gateway,
            betaToken: betaToken,
            expiredToken: expiredToken,
            revokedToken: revokedToken
        )
    }

    func test(_ body: @Sendable (any TestClientProtocol) async throws -> Void) async throws {
        try await gateway.test(body)
    }

    /// Headers carrying `token` (none when nil), with a SCIM content type when a body follows.
    func headers(token: String?, json: Bool = false) -> HTTPFields {
        var headers = HTTPFields()
        if let token { headers[.authorization] = "Bearer \(token)" }
        if json { headers[.contentType] = "application/scim+json" }
        return headers
    }

    /// The tenant's own database file, opened beside the gateway's connections.
    func database(_ tenant: String) async throws -> SQLDatabase {
        try SQLDatabase.sqlite(
            SQLiteConfiguration(path: gateway.directory + "/\(tenant).sqlite"),
            maxConnections: 4,
            creatingFolder: true
        )
    }

    func close() {
        try? FileManager.default.removeItem(atPath: gateway.directory)
    }
}

/// Requests and checks shared by the acceptance tests.
enum Acceptance {
    static let enterprise = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"

    static func send(
        _ client: any TestClientProtocol,
        _ method: HTTPRequest.Method,
        _ uri: String,
        token: String?,
        body: String? = nil
    ) async throws -> TestResponse {
        var headers = HTTPFields()
        if let token { headers[.authorization] = "Bearer \(token)" }
        if body != nil { headers[.contentType] = "application/scim+json" }
        return try await client.execute(
            uri: uri,
            method: method,
            headers: headers,
            body: body.map { ByteBuffer(string: $0) }
        )
    }

    /// A minimal create body.
    static func user(_ userName: String, extra: String = "") -> String {
        #"{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"\#(userName)","#
            + #""name":{"givenName":"Given","familyName":"Family"},"#
            + #""emails":[{"value":"\#(userName)@example.org","type":"work","primary":true}]\#(extra)}"#
    }

    /// The id of a created resource; records an issue when the response is not a 201.
    static func createdID(_ response: TestResponse) throws -> String {
        #expect(response.status == .created, "\(String(buffer: response.body))")
        return try #require(try jsonObject(response)["id"] as? String)
    }

    /// Checks that a response is a SCIM error body with this status (and scimType), and returns its detail.
    @discardableResult
    static func expectSCIMError(
        _ response: TestResponse,
        _ status: HTTPResponse.Status,
        scimType: String? = nil,
        sourceLocation: SourceLocation = #_sourceLocation
    ) throws -> String {
        #expect(response.status == status, "\(String(buffer: response.body))", sourceLocation: sourceLocation)
        #expect(response.headers[.contentType] == "application/scim+json", sourceLocation: sourceLocation)
        let body = try jsonObject(response)
        #expect(
            body["schemas"] as? [String] == ["urn:ietf:params:scim:api:messages:2.0:Error"],
            sourceLocation: sourceLocation
        )
        #expect(body["status"] as? String == String(status.code), sourceLocation: sourceLocation)
        if let scimType {
            #expect(body["scimType"] as? String == scimType, sourceLocation: sourceLocation)
        }
        return body["detail"] as? String ?? ""
    }

    /// One row of a table as column → value, found by a condition on one column.
    static func row(
        _ database: SQLDatabase,
        table: String,
        where column: String,
        equals value: SQLValue
    ) async throws -> [String: SQLValue] {
        let names = try await database.execute("SELECT name FROM pragma_table_info(?) ORDER BY cid", [.text(table)])
            .compactMap { row -> String? in
                guard case .text(let name)? = row.first else { return nil }
                return name
            }
        let rows = try await database.execute("SELECT * FROM \"\(table)\" WHERE \"\(column)\" = ?", [value])
        guard let row = rows.first else { return [:] }
        return Dictionary(uniqueKeysWithValues: zip(names, row))
    }

    /// A user's value of one extra field (user fields are `extra_field_type` 1).
    static func extraField(_ database: SQLDatabase, _ variable: String, user: String) async throws -> SQLValue? {
        try await database.execute(
            """
            SELECT v.value FROM extra_field_values v JOIN extra_field f ON f.id = v.field_id
            WHERE f.variable = ? AND f.extra_field_type = 1 AND v.item_id = ?
            """,
            [.text(variable), .integer(Int64(user) ?? -1)]
        ).first?.first
    }
}
