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
}
