import Backends
import Foundation
import HTTPTypes
import SCIM
import SQLDrivers
import TestSupport
import Testing

/// DELETE on a `deprovision: deactivate` tenant (soft delete, revived by a new POST) and on a
/// `deprovision: delete` tenant (the row and its linked rows are gone).
@Suite struct DeprovisionScenarios {
    @Test(arguments: ScenarioEngine.supporting(.users))
    func deactivateHidesAndRePostRevives(engine: ScenarioEngine) async throws {
        try await ScenarioGateway.run(engine) { gateway, client in
            let id = try await client.createUser(ScenarioUsers.full("leaver", engine: engine))
            let deleted = try await client.delete("/Users/\(id)")
            #expect(deleted.status == .noContent, "\(deleted.text)")
            #expect(deleted.text.isEmpty)

            guard engine.capabilities.contains(.softDelete) else {
                // The Chamilo API cannot hide a user: the deactivated user stays visible, inactive.
                let read = try await client.get("/Users/\(id)")
                #expect(read.status == .ok)
                #expect(read["active"] == .bool(false))
                return
            }
            expectSCIMError(try await client.get("/Users/\(id)"), .notFound)
            expectSCIMError(try await client.delete("/Users/\(id)"), .notFound)
            let patched = try await client.patch(
                "/Users/\(id)",
                operations: #"[{"op":"replace","path":"active","value":true}]"#
            )
            expectSCIMError(patched, .notFound)
            #expect(try await client.list(filter: #"userName eq "leaver""#).totalResults == 0)
            #expect(try await client.list(filter: #"externalId eq "ext-ada""#).totalResults == 0)
            #expect(!(try await client.list()).ids.contains(id))

            // The row stays, inactive, so that the portal keeps the learner's history.
            let rows = try await gateway.sql(#"SELECT "active" FROM "user" WHERE "username" = ?"#, [.text("leaver")])
            #expect(rows.map { $0.first?.scenarioInteger } == [0])

            let revived = try await client.post(
                "/Users",
                ScenarioUsers.json("LEAVER", given: "Back", email: "back@example.org", externalId: "ext-back")
            )
            #expect(revived.status == .created, "\(revived.text)")
            #expect(revived["id"]?.stringValue == id)
            #expect(revived["active"] == .bool(true))
            #expect(revived["name.givenName"]?.stringValue == "Back")
            #expect(revived["externalId"]?.stringValue == "ext-back")
            let read = try await client.get("/Users/\(id)")
            #expect(read.status == .ok)
            #expect(try await client.list(filter: #"userName eq "leaver""#).ids == [id])
            let count = try await gateway.sql(
                #"SELECT COUNT(*) FROM "user" WHERE "username_canonical" = ?"#,
                [.text("leaver")]
            )
            #expect(count.first?.first?.scenarioInteger == 1)
        }
    }

    @Test(arguments: ScenarioEngine.supporting(.users))
    func deleteRemovesTheRow(engine: ScenarioEngine) async throws {
        var options = ScenarioGateway.Options()
        options.deprovision = .delete
        try await ScenarioGateway.run(engine, options) { gateway, client in
            let id = try await client.createUser(ScenarioUsers.full("gone", engine: engine))
            let kept = try await client.createUser(ScenarioUsers.json("kept"))
            #expect(try await client.delete("/Users/\(id)").status == .noContent)
            expectSCIMError(try await client.get("/Users/\(id)"), .notFound)
            let listed = try await client.list().ids
            #expect(!listed.contains(id))
            #expect(listed.contains(kept))
            if let portal = gateway.portal {
                #expect(await portal.state.user(named: "gone") == nil)
            }
            if gateway.rows != nil {
                let users = try await gateway.sql(#"SELECT COUNT(*) FROM "user" WHERE "username" = ?"#, [.text("gone")])
                #expect(users.first?.first?.scenarioInteger == 0)
                let links = try await gateway.sql(
                    #"SELECT COUNT(*) FROM "access_url_rel_user" WHERE "user_id" = ?"#,
                    [.integer(Int64(id) ?? -1)]
                )
                #expect(links.first?.first?.scenarioInteger == 0)
                let extras = try await gateway.sql(
                    #"SELECT COUNT(*) FROM "extra_field_values" v JOIN "extra_field" f ON f."id" = v."field_id" WHERE f."extra_field_type" = 1 AND v."item_id" = ?"#,
                    [.integer(Int64(id) ?? -1)]
                )
                #expect(extras.first?.first?.scenarioInteger == 0)
            }
            #expect(try await client.get("/Users/\(kept)").status == .ok)
        }
    }
}
