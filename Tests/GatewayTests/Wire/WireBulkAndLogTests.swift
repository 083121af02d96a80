import Foundation
import SCIM
import Testing

/// Bulk ordering (RFC 7644 §3.7.2) and the provisioning log's view of refused requests, through the
/// real executable.
@Suite(.serialized) struct WireBulkAndLogTests {
    /// A group operation may refer to a user the same request creates later in its list.
    @Test func bulkResolvesReferencesInAnyOrder() async throws {
        try await WireGateway.run([WireTenant("acme")]) { gateway in
            let body = """
                {"schemas":["\(Wire.bulkSchema)"],"Operations":[
                 {"method":"POST","path":"/Groups","bulkId":"g1","data":{"schemas":["\(Wire.groupSchema)"],
                  "displayName":"Physics","members":[{"value":"bulkId:u1"},{"value":"bulkId:u2"}]}},
                 {"method":"PATCH","path":"/Users/bulkId:u2","data":{"schemas":["\(Wire.patchSchema)"],
                  "Operations":[{"op":"replace","path":"name.givenName","value":"Patched"}]}},
                 {"method":"POST","path":"/Users","bulkId":"u1","data":\(Wire.user("u1@example.org"))},
                 {"method":"POST","path":"/Users","bulkId":"u2","data":\(Wire.user("u2@example.org"))}
                ]}
                """
            let response = try await gateway.request("POST", "/scim/v2/Bulk", tenant: "acme", body: body)
            #expect(response.status == 200, "\(response)")
            let results = response["Operations"]?.arrayValue?.compactMap(\.objectValue) ?? []
            // Answers keep the client's order.
            #expect(results.map { $0["method"]?.stringValue } == ["POST", "PATCH", "POST", "POST"], "\(response)")
            #expect(
                results.map { $0["status"]?.stringValue ?? $0["status"]?.wireInteger.map(String.init) }
                    == ["201", "200", "201", "201"],
                "\(response)"
            )
            #expect(results.first?["bulkId"]?.stringValue == "g1")
            let groups = try await gateway.request(
                "GET",
                "/scim/v2/Groups?filter=displayName+eq+%22Physics%22",
                tenant: "acme"
            )
            let members = Wire.resources(groups).first?["members"]?.arrayValue ?? []
            #expect(members.count == 2, "\(groups)")
            let patched = try await gateway.request(
                "GET",
                "/scim/v2/Users?filter=userName+eq+%22u2%40example.org%22",
                tenant: "acme"
            )
            #expect(Wire.resources(patched).first?["name"]?.objectValue?["givenName"]?.stringValue == "Patched")
        }
    }

    /// A circle of references fails the operations in it with 409; the others run.
    @Test func bulkCycleIsAConflictForItsOperations() async throws {
        try await WireGateway.run([WireTenant("acme")]) { gateway in
            let body = """
                {"schemas":["\(Wire.bulkSchema)"],"Operations":[
                 {"method":"POST","path":"/Groups","bulkId":"a","data":{"schemas":["\(Wire.groupSchema)"],
                  "displayName":"A","members":[{"value":"bulkId:b"}]}},
                 {"method":"POST","path":"/Groups","bulkId":"b","data":{"schemas":["\(Wire.groupSchema)"],
                  "displayName":"B","members":[{"value":"bulkId:a"}]}},
                 {"method":"POST","path":"/Users","bulkId":"c","data":\(Wire.user("c@example.org"))}
                ]}
                """
            let response = try await gateway.request("POST", "/scim/v2/Bulk", tenant: "acme", body: body)
            #expect(response.status == 200, "\(response)")
            let results = response["Operations"]?.arrayValue?.compactMap(\.objectValue) ?? []
            let statuses = results.map { $0["status"]?.stringValue ?? $0["status"]?.wireInteger.map(String.init) }
            #expect(statuses == ["409", "409", "201"], "\(response)")
            let detail = results.first?["response"]?.objectValue?["detail"]?.stringValue ?? ""
            #expect(detail.contains("circle"), "\(detail)")
            let groups = try await gateway.request("GET", "/scim/v2/Groups", tenant: "acme")
            #expect(Wire.total(groups) == 0, "\(groups)")
        }
    }

    /// "User X never arrived": refused creates are found under the user's name (DESIGN.md `logs --json`).
    @Test func refusedCreatesAreLoggedUnderTheirUserName() async throws {
        try await WireGateway.run([WireTenant("acme")]) { gateway in
            let name = "ada@example.org"
            let tooLong = String(repeating: "x", count: 300)
            let invalid = try await gateway.request(
                "POST",
                "/scim/v2/Users",
                tenant: "acme",
                body: Wire.user(name, extra: #""userType":"Wizard","title":"\#(tooLong)""#)
            )
            #expect(invalid.status == 400, "\(invalid)")
            let id = try await Wire.createUser(
                gateway,
                "acme",
                name,
                extra: #""ims":[{"value":"ada@jabber.example","type":"xmpp"}]"#
            )
            let duplicate = try await gateway.request(
                "POST",
                "/scim/v2/Users",
                tenant: "acme",
                body: Wire.user(name.uppercased())
            )
            #expect(duplicate.status == 409 && duplicate["scimType"]?.stringValue == "uniqueness", "\(duplicate)")
            let patch = try await gateway.request(
                "PATCH",
                "/scim/v2/Users/\(id)",
                tenant: "acme",
                body:
                    #"{"schemas":["\#(Wire.patchSchema)"],"Operations":[{"op":"replace","path":"userType","value":"Wizard"}]}"#
            )
            #expect(patch.status == 400, "\(patch)")

            var lines: [JSONObject] = []
            let found = try await Wire.eventually {
                let result = try await gateway.cli(["logs", "--user", name, "--failed", "--json"])
                lines = result.stdout.split(separator: "\n").compactMap { try? JSONValue.parse(String($0)).objectValue }
                return result.status == 0 && lines.count >= 3
            }
            #expect(found, "logs --user --failed: \(lines)")
            #expect(lines.map { $0["status"]?.wireInteger } == [400, 409, 400], "\(lines)")
            #expect(lines.map { $0["operation"]?.stringValue } == ["create", "create", "patch"])
            for line in lines {
                #expect(line["userName"]?.stringValue?.lowercased() == name, "\(line)")
                #expect(line["dropped"]?.arrayValue != nil && line["attributes"]?.arrayValue != nil, "\(line)")
            }
            #expect(lines[1]["scimType"]?.stringValue == "uniqueness")

            // The successful create lists what was stored apart from what the mapping dropped.
            let all = try await gateway.cli(["logs", "--user", name, "--json"])
            let created = all.stdout.split(separator: "\n").compactMap { try? JSONValue.parse(String($0)).objectValue }
                .first { $0["status"]?.wireInteger == 201 }
            let attributes = created?["attributes"]?.arrayValue?.compactMap(\.stringValue) ?? []
            let dropped = created?["dropped"]?.arrayValue?.compactMap(\.stringValue) ?? []
            #expect(attributes.contains("userName") && !attributes.contains("ims"), "\(attributes)")
            #expect(dropped.contains { $0.lowercased().hasSuffix("ims") }, "\(dropped)")

            // The table keeps status and scimType in their own aligned columns.
            let table = try await gateway.cli(["logs", "--user", name, "--failed"])
            let rows = table.stdout.split(separator: "\n").map(String.init)
            let header = try #require(rows.first)
            #expect(header.contains("STATUS") && header.contains("SCIMTYPE"), "\(header)")
            let userColumn = try #require(header.range(of: "USER")).lowerBound.utf16Offset(in: header)
            for row in rows.dropFirst() {
                let cell = row.utf16.dropFirst(userColumn).prefix(name.count)
                #expect(String(cell)?.lowercased() == name, "misaligned row: \(row)")
            }

            // DELETE by id names the target too.
            let deleted = try await gateway.request("DELETE", "/scim/v2/Users/\(id)", tenant: "acme")
            #expect(deleted.status == 204, "\(deleted)")
            let deletion = try await Wire.eventually {
                let result = try await gateway.cli(["logs", "--user", name, "--json"])
                return result.stdout.contains("\"operation\":\"delete\"")
            }
            #expect(deletion)
        }
    }

    /// `--log-store none` (for measuring the log's cost): the gateway serves, says at start that nothing
    /// is recorded, writes no log file, and `logs` against it explains instead of printing nothing.
    @Test func noLogStoreServesAndRecordsNothing() async throws {
        try await WireGateway.run([WireTenant("acme")], logStore: "none") { gateway in
            let created = try await gateway.request(
                "POST",
                "/scim/v2/Users",
                tenant: "acme",
                body: Wire.user("nolog@example.org")
            )
            #expect(created.status == 201, "\(created)")
            let found = try await gateway.request(
                "GET",
                "/scim/v2/Users?filter=userName+eq+%22nolog%40example.org%22",
                tenant: "acme"
            )
            #expect(Wire.total(found) == 1, "\(found)")
            #expect(gateway.serverOutput().contains("no provisioning log is kept"), "\(gateway.serverOutput())")
            let written = FileManager.default.enumerator(atPath: gateway.root)?.compactMap { $0 as? String } ?? []
            #expect(!written.contains { $0.contains("provisioning") }, "\(written)")
            let logs = try await gateway.cli(["logs", "--user", "nolog@example.org"])
            #expect(logs.status != 0, "\(logs)")
            #expect(logs.stderr.contains("--log-store none keeps no provisioning log"), "\(logs)")
        }
    }
}
