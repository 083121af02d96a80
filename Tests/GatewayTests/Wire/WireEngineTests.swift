import Backends
import Foundation
import SCIM
import SQLDrivers
import Testing

/// The same bytes on every SQL engine: a create from a raw IdP body lands as a Chamilo row, read back with SQL.
@Suite struct WireEngineTests {
    static let engines = ScenarioEngine.supporting(.sqlRows)

    @Test(arguments: engines)
    func createLandsAsAChamiloRow(engine: ScenarioEngine) async throws {
        try await WireGateway.run([WireTenant("acme", engine: engine)]) { gateway in
            let id = try await Wire.createUser(gateway, "acme", "ada@example.org", externalId: "ext-1")
            let rows = try await gateway.sql(
                "acme",
                #"SELECT "username", "active", "auth_source" FROM "user" WHERE "id" = ?"#,
                [.integer(try #require(Int64(id)))]
            )
            #expect(rows.first?.first == .text("ada@example.org"), "\(rows)")
            let found = try await gateway.request(
                "GET",
                "/scim/v2/Users?filter=externalId+eq+%22ext-1%22",
                tenant: "acme"
            )
            #expect(Wire.total(found) == 1, "\(found)")
        }
    }

    /// Two portals of one database (access URLs 1 and 2): each sees only the users linked to its URL.
    @Test(arguments: engines)
    func sharedStoreKeepsPortalsApart(engine: ScenarioEngine) async throws {
        let tenants = [
            WireTenant("url1", engine: engine, accessUrlId: 1, store: "shared"),
            WireTenant("url2", engine: engine, accessUrlId: 2, store: "shared"),
        ]
        try await WireGateway.run(tenants) { gateway in
            try await gateway.sql(
                "url1",
                #"INSERT INTO "access_url" ("id", "url", "description", "active", "created_by") VALUES (2, 'http://two.example/', ' ', 1, 1)"#
            )
            let id = try await Wire.createUser(gateway, "url1", "ada@example.org")
            let own = try await gateway.request("GET", "/scim/v2/Users/\(id)", tenant: "url1")
            #expect(own.status == 200, "\(own)")
            let foreign = try await gateway.request("GET", "/scim/v2/Users/\(id)", tenant: "url2")
            #expect(foreign.status == 404, "\(foreign)")
            let links = try await gateway.sql("url2", #"SELECT "access_url_id" FROM "access_url_rel_user""#)
            #expect(links == [[.integer(1)]], "\(links)")
        }
    }

    /// A create answers exactly what a read of the new user answers (RFC 7644 §3.3: the response body
    /// is the resource as created), its ETag included: the answer is built from what was written.
    @Test(arguments: engines)
    func aCreateAnswersWhatAReadReturns(engine: ScenarioEngine) async throws {
        try await WireGateway.run([WireTenant("acme", engine: engine)]) { gateway in
            let body = """
                {"schemas":["urn:ietf:params:scim:schemas:core:2.0:User",
                  "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"],
                 "externalId":"0a21f0f2-8d2a-4f8a-b7ce-dbd1b5a5b5ad","userName":"Grace.Hopper@example.org",
                 "active":true,"displayName":"Grace Hopper","title":"Rear Admiral","preferredLanguage":"en-US",
                 "name":{"givenName":"Grace","familyName":"Hopper","formatted":"Grace Hopper"},
                 "emails":[{"primary":true,"type":"work","value":"grace.hopper@example.org"}],
                 "phoneNumbers":[{"type":"work","value":"+1 555 0100"}],
                 "addresses":[{"type":"work","country":"US","locality":"Arlington"}],
                 "password":"Sup3r-Secret!",
                 "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User":{"department":"Navy","employeeNumber":"42"}}
                """
            let created = try await gateway.request("POST", "/scim/v2/Users", tenant: "acme", body: body)
            #expect(created.status == 201, "\(created)")
            let id = try #require(created["id"]?.stringValue)
            let read = try await gateway.request("GET", "/scim/v2/Users/\(id)", tenant: "acme")
            #expect(read.status == 200, "\(read)")
            #expect(created.json == read.json, "POST: \(created.body)\nGET: \(read.body)")
            #expect(created.header("ETag") == read.header("ETag"), "\(created.headers) / \(read.headers)")
            let again = try await gateway.request("POST", "/scim/v2/Users", tenant: "acme", body: body)
            #expect(again.status == 409, "\(again)")
        }
    }
}
