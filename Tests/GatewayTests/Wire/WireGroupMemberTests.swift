import Backends
import Foundation
import SCIM
import SQLDrivers
import Testing

/// Member-only PATCHes of a group (Okta's batches, Entra's removes) are written as the difference they
/// make and answered 204 with the new ETag; every rule of a full PATCH still holds.
@Suite struct WireGroupMemberTests {
    static let engines = ScenarioEngine.supporting(.sqlRows)
    static let patch = #""schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"]"#

    @Test(arguments: engines)
    func memberPatchesWriteTheDifference(engine: ScenarioEngine) async throws {
        try await WireGateway.run([WireTenant("acme", engine: engine)]) { gateway in
            var users: [String] = []
            for index in 0..<5 { users.append(try await Wire.createUser(gateway, "acme", "m\(index)@example.org")) }
            let created = try await gateway.request(
                "POST",
                "/scim/v2/Groups",
                tenant: "acme",
                body:
                    #"{"schemas":["\#(Wire.groupSchema)"],"displayName":"Physics","members":[{"value":"\#(users[0])"}]}"#
            )
            #expect(created.status == 201, "\(created)")
            let group = try #require(created["id"]?.stringValue)
            let before = try #require(created.header("ETag"))

            // Okta: a batch of adds (one already a member), then a filtered remove.
            let adds = users[0...3].map { #"{"value":"\#($0)","display":"x"}"# }.joined(separator: ",")
            let add = try await gateway.request(
                "PATCH",
                "/scim/v2/Groups/\(group)",
                tenant: "acme",
                body: #"{\#(Self.patch),"Operations":[{"op":"add","path":"members","value":[\#(adds)]}]}"#
            )
            #expect(add.status == 204, "\(add)")
            let after = try #require(add.header("ETag"))
            #expect(after != before)
            let remove = try await gateway.request(
                "PATCH",
                "/scim/v2/Groups/\(group)",
                tenant: "acme",
                body: #"{\#(Self.patch),"Operations":[{"op":"remove","path":"members[value eq \"\#(users[1])\"]"}]}"#,
                headers: [("If-Match", after)]
            )
            #expect(remove.status == 204, "\(remove)")
            // Entra: Remove with a value list, and a stale If-Match is 412.
            let stale = try await gateway.request(
                "PATCH",
                "/scim/v2/Groups/\(group)",
                tenant: "acme",
                body:
                    #"{\#(Self.patch),"Operations":[{"op":"Remove","path":"members","value":[{"value":"\#(users[2])"}]}]}"#,
                headers: [("If-Match", after)]
            )
            #expect(stale.status == 412, "\(stale)")
            let entra = try await gateway.request(
                "PATCH",
                "/scim/v2/Groups/\(group)",
                tenant: "acme",
                body:
                    #"{\#(Self.patch),"Operations":[{"op":"Remove","path":"members","value":[{"value":"\#(users[2])"}]}]}"#
            )
            #expect(entra.status == 204, "\(entra)")

            let read = try await gateway.request("GET", "/scim/v2/Groups/\(group)", tenant: "acme")
            let members = Set(read["members"]?.arrayValue?.compactMap { $0.objectValue?["value"]?.stringValue } ?? [])
            #expect(members == [users[0], users[3]], "\(read)")
            #expect(read.header("ETag") == entra.header("ETag"))
            let rows = try await gateway.sql("acme", #"SELECT COUNT(*) FROM "usergroup_rel_user""#)
            #expect(rows.first?.first == .integer(2))

            // An unknown user is refused and changes nothing; asking for attributes gets the resource.
            let unknown = try await gateway.request(
                "PATCH",
                "/scim/v2/Groups/\(group)",
                tenant: "acme",
                body: #"{\#(Self.patch),"Operations":[{"op":"add","path":"members","value":[{"value":"999999"}]}]}"#
            )
            #expect(unknown.status == 400 && unknown["scimType"]?.stringValue == "invalidValue", "\(unknown)")
            let nobody = try await gateway.request(
                "PATCH",
                "/scim/v2/Groups/\(group)",
                tenant: "acme",
                body: #"{\#(Self.patch),"Operations":[{"op":"remove","path":"members[value eq \"no-such-member\"]"}]}"#
            )
            #expect(nobody.status == 204, "\(nobody)")
            let represented = try await gateway.request(
                "PATCH",
                "/scim/v2/Groups/\(group)?attributes=members",
                tenant: "acme",
                body:
                    #"{\#(Self.patch),"Operations":[{"op":"add","path":"members","value":[{"value":"\#(users[4])"}]}]}"#
            )
            #expect(represented.status == 200 && represented["members"]?.arrayValue?.count == 3, "\(represented)")
            let missing = try await gateway.request(
                "PATCH",
                "/scim/v2/Groups/424242",
                tenant: "acme",
                body:
                    #"{\#(Self.patch),"Operations":[{"op":"add","path":"members","value":[{"value":"\#(users[4])"}]}]}"#
            )
            #expect(missing.status == 404, "\(missing)")
        }
    }
}
