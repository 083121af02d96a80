import Backends
import Foundation
import HTTPTypes
import SCIM
import SQLDrivers
import Testing

/// Groups and their members as Okta and Entra manage them, and Bulk creating users then a group.
@Suite struct GroupScenarios {
    static let groupSchema = "urn:ietf:params:scim:schemas:core:2.0:Group"

    @Test(arguments: ScenarioEngine.supporting([.users, .groups]))
    func membership(engine: ScenarioEngine) async throws {
        try await ScenarioGateway.run(engine) { gateway, client in
            let ann = try await client.createUser(ScenarioUsers.json("ann"))
            let bob = try await client.createUser(ScenarioUsers.json("bob"))
            let cid = try await client.createUser(ScenarioUsers.json("cid"))

            let created = try await client.post(
                "/Groups",
                #"""
                {"schemas":["\#(Self.groupSchema)"],"displayName":"Chemistry 101","externalId":"grp-1",
                 "members":[{"value":"\#(ann)"},{"value":"\#(bob)","type":"User"}]}
                """#
            )
            #expect(created.status == .created, "\(created.text)")
            let group = try #require(created["id"]?.stringValue)
            #expect(created.headers[.location]?.hasSuffix("/scim/v2/Groups/\(group)") == true)
            #expect(created.headers[.eTag] != nil)
            #expect(try await members(client, group) == [ann, bob])

            func memberRows() async throws -> Int64? {
                try await gateway.sql(
                    #"SELECT COUNT(*) FROM "usergroup_rel_user" WHERE "usergroup_id" = ?"#,
                    [.integer(Int64(group) ?? -1)]
                ).first?.first?.scenarioInteger
            }

            // Adding an existing member is idempotent: no second row.
            let again = try await client.patch(
                "/Groups/\(group)",
                operations: #"[{"op":"add","path":"members","value":[{"value":"\#(ann)"}]}]"#
            )
            #expect([.ok, .noContent].contains(again.status), "\(again.text)")
            #expect(try await members(client, group) == [ann, bob])
            #expect(try await memberRows() == 2)

            // Entra adds with "$ref": null and a capitalised op.
            let added = try await client.patch(
                "/Groups/\(group)",
                operations: #"[{"op":"Add","path":"members","value":[{"$ref":null,"value":"\#(cid)"}]}]"#
            )
            #expect([.ok, .noContent].contains(added.status), "\(added.text)")
            #expect(try await members(client, group) == [ann, bob, cid])

            let user = try await client.get("/Users/\(cid)")
            if let groups = user["groups"]?.arrayValue {
                #expect(groups.compactMap { $0.objectValue?["value"]?.stringValue } == [group])
            }

            // Okta removes one member by filter; the others stay.
            let removed = try await client.patch(
                "/Groups/\(group)",
                operations: #"[{"op":"remove","path":"members[value eq \"\#(ann)\"]"}]"#
            )
            #expect([.ok, .noContent].contains(removed.status), "\(removed.text)")
            #expect(try await members(client, group) == [bob, cid])
            // Entra removes by value list.
            let entraRemoved = try await client.patch(
                "/Groups/\(group)",
                operations: #"[{"op":"Remove","path":"members","value":[{"value":"\#(bob)"}]}]"#
            )
            #expect([.ok, .noContent].contains(entraRemoved.status), "\(entraRemoved.text)")
            #expect(try await members(client, group) == [cid])
            #expect(try await memberRows() == 1)

            // An unknown member is refused and changes nothing.
            let unknown = try await client.patch(
                "/Groups/\(group)",
                operations: #"[{"op":"add","path":"members","value":[{"value":"987654321"}]}]"#
            )
            expectSCIMError(unknown, .badRequest, scimType: "invalidValue", detailContains: ["987654321"])
            let unknownCreate = try await client.post(
                "/Groups",
                #"{"schemas":["\#(Self.groupSchema)"],"displayName":"Ghosts","members":[{"value":"\#(UUID().uuidString)"}]}"#
            )
            expectSCIMError(unknownCreate, .badRequest, scimType: "invalidValue")
            #expect(try await members(client, group) == [cid])

            // Okta empties a group with replace [].
            let emptied = try await client.patch(
                "/Groups/\(group)",
                operations: #"[{"op":"replace","path":"members","value":[]}]"#
            )
            #expect([.ok, .noContent].contains(emptied.status), "\(emptied.text)")
            #expect(try await members(client, group).isEmpty)
            #expect(try await memberRows() == 0)
            #expect(try await client.get("/Users/\(cid)").status == .ok)

            // Entra's group look-up leaves members out.
            let found = try await client.list(
                "/Groups",
                filter: #"displayName eq "Chemistry 101""#,
                query: ["excludedAttributes": "members"]
            )
            #expect(found.ids == [group])
            #expect(found.resources.first?["members"] == nil)
            #expect(found.resources.first?["displayName"]?.stringValue == "Chemistry 101")
            let byExternalId = try await client.list("/Groups", filter: #"externalId eq "grp-1""#)
            #expect(byExternalId.ids == [group])
        }
    }

    @Test(arguments: ScenarioEngine.supporting([.users, .groups]))
    func bulkCreatesUsersThenTheirGroup(engine: ScenarioEngine) async throws {
        try await ScenarioGateway.run(engine) { _, client in
            let user = ScenarioUsers.json("bulk.one")
            let other = ScenarioUsers.json("bulk.two", given: "Two")
            let response = try await client.post(
                "/Bulk",
                #"""
                {"schemas":["urn:ietf:params:scim:api:messages:2.0:BulkRequest"],"Operations":[
                  {"method":"POST","path":"/Users","bulkId":"one","data":\#(user)},
                  {"method":"POST","path":"/Users","bulkId":"two","data":\#(other)},
                  {"method":"POST","path":"/Groups","bulkId":"class","data":{"schemas":["\#(Self.groupSchema)"],
                   "displayName":"Bulk class","members":[{"value":"bulkId:one"},{"value":"bulkId:two"}]}}
                ]}
                """#
            )
            #expect(response.status == .ok, "\(response.text)")
            let operations = response["Operations"]?.arrayValue?.compactMap(\.objectValue) ?? []
            #expect(operations.map { $0["status"]?.stringValue } == ["201", "201", "201"], "\(response.text)")
            let ids = operations.compactMap { $0["location"]?.stringValue?.split(separator: "/").last.map(String.init) }
            #expect(ids.count == 3)
            guard ids.count == 3 else { return }
            #expect(operations.map { $0["bulkId"]?.stringValue } == ["one", "two", "class"])
            #expect(try await members(client, ids[2]) == [ids[0], ids[1]])
            #expect(try await client.list(filter: #"userName eq "bulk.two""#).ids == [ids[1]])
        }
    }

    /// The member ids of a group.
    private func members(_ client: ScenarioClient, _ group: String) async throws -> Set<String> {
        let response = try await client.get("/Groups/\(group)")
        #expect(response.status == .ok, "\(response.text)")
        let values = response["members"]?.arrayValue?.compactMap { $0.objectValue?["value"]?.stringValue } ?? []
        #expect(Set(values).count == values.count, "duplicate members: \(values)")
        return Set(values)
    }
}
