import Backends
import Foundation
import SCIM
import SQLDrivers
import Testing

/// Through the real executable: a group larger than SQLite's bound-variable limit, and what the
/// `logs` command prints from hostile values.
@Suite struct MembershipAndOperatorWireTests {
    @Test func aGroupBeyondSQLitesVariableLimitIsWrittenAndChangedByOne() async throws {
        try await WireGateway.run([WireTenant("acme", store: "big")]) { gateway in
            let database = try gateway.sqlitePath("acme")
            let count = 33_000
            let seed = try String(
                contentsOf: ScenarioGateway.repositoryRoot.appendingPathComponent("bench/seed-users.sql"),
                encoding: .utf8
            )
            _ = try await BoundsSupport.sqlite(database, ["-cmd", ".parameter set :count \(count)"], input: seed)
            #expect(try await gateway.sql("acme", #"SELECT COUNT(*) FROM "user""#) == [[.integer(Int64(count))]])

            let members = (1...count).map { #"{"value":"\#($0)"}"# }.joined(separator: ",")
            let created = try await gateway.request(
                "POST",
                "/scim/v2/Groups",
                tenant: "acme",
                body: #"{"schemas":["urn:ietf:params:scim:schemas:core:2.0:Group"],"displayName":"All","members":["#
                    + members + "]}"
            )
            #expect(created.status == 201, "\(created)")
            let id = try #require(created["id"]?.stringValue)
            func memberCount() async throws -> [[SQLValue]] {
                try await gateway.sql(
                    "acme",
                    #"SELECT COUNT(*) FROM "usergroup_rel_user" WHERE "usergroup_id" = ?"#,
                    [.integer(Int64(id) ?? 0)]
                )
            }
            #expect(try await memberCount() == [[.integer(Int64(count))]])

            let patch = #"{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[OPS]}"#
            let removed = try await gateway.request(
                "PATCH",
                "/scim/v2/Groups/\(id)",
                tenant: "acme",
                body: patch.replacingOccurrences(of: "OPS", with: #"{"op":"remove","path":"members[value eq \"7\"]"}"#)
            )
            #expect([200, 204].contains(removed.status), "\(removed)")
            #expect(try await memberCount() == [[.integer(Int64(count - 1))]])
            let added = try await gateway.request(
                "PATCH",
                "/scim/v2/Groups/\(id)",
                tenant: "acme",
                body: patch.replacingOccurrences(
                    of: "OPS",
                    with: #"{"op":"add","path":"members","value":[{"value":"7"},{"value":"7"}]}"#
                )
            )
            #expect([200, 204].contains(added.status), "\(added)")
            #expect(try await memberCount() == [[.integer(Int64(count))]])
            #expect(gateway.isAlive)
        }
    }

    @Test func theLogsTableStripsControlCharacters() async throws {
        try await WireGateway.run([WireTenant("acme")]) { gateway in
            let hostile = #"ada\u001b[2J\u001b[31mred\u0007\u009b"#
            let created = try await gateway.request(
                "POST",
                "/scim/v2/Users",
                tenant: "acme",
                body: Wire.user("x").replacingOccurrences(of: #""userName":"x""#, with: #""userName":"\#(hostile)""#)
            )
            #expect([201, 400].contains(created.status), "\(created)")
            // The log is written off the request path; the admin query flushes it.
            _ = try await gateway.logEntries("tenant=acme")
            let table = try await gateway.cli(["logs"])
            #expect(table.status == 0, "\(table)")
            #expect(table.stdout.contains("POST"))
            if created.status == 201 { #expect(table.stdout.contains("ada[2J[31mred")) }
            #expect(!table.stdout.unicodeScalars.contains { $0.value == 0x1B || $0.value == 0x07 || $0.value == 0x9B })
        }
    }
}
