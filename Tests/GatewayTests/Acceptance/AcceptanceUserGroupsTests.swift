import Backends
import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing

/// A User's read-only `groups` through HTTP: listed with `$ref`, filterable, advertised in /Schemas,
/// and ignored when a client sends it back.
@Suite struct AcceptanceUserGroupsTests {
    @Test func usersListTheirClasses() async throws {
        let acceptance = try await AcceptanceGateway.make()
        defer { acceptance.close() }
        let token = acceptance.acmeToken
        try await acceptance.test { client in
            let member = try Acceptance.createdID(
                try await Acceptance.send(client, .post, "/scim/v2/Users", token: token, body: Acceptance.user("pupil"))
            )
            let loner = try Acceptance.createdID(
                try await Acceptance.send(client, .post, "/scim/v2/Users", token: token, body: Acceptance.user("loner"))
            )
            let group = try Acceptance.createdID(
                try await Acceptance.send(
                    client,
                    .post,
                    "/scim/v2/Groups",
                    token: token,
                    body:
                        #"{"schemas":["urn:ietf:params:scim:schemas:core:2.0:Group"],"displayName":"Class 1A","members":[{"value":"\#(member)"}]}"#
                )
            )

            let read = try await Acceptance.send(client, .get, "/scim/v2/Users/\(member)", token: token)
            let groups = try jsonObject(read)["groups"] as? [[String: String]] ?? []
            #expect(groups.count == 1)
            #expect(groups.first?["value"] == group)
            #expect(groups.first?["display"] == "Class 1A")
            #expect(groups.first?["type"] == "direct")
            #expect(groups.first?["$ref"]?.hasSuffix("/scim/v2/Groups/\(group)") == true)
            let lonely = try await Acceptance.send(client, .get, "/scim/v2/Users/\(loner)", token: token)
            #expect(try jsonObject(lonely)["groups"] == nil)

            let filtered = try await Acceptance.send(
                client,
                .get,
                "/scim/v2/Users?filter=groups.value%20eq%20%22\(group)%22",
                token: token
            )
            #expect(filtered.status == .ok)
            let resources = try jsonObject(filtered)["Resources"] as? [[String: Any]] ?? []
            #expect(resources.compactMap { $0["id"] as? String } == [member])

            // A PUT carrying what the client read (groups included) succeeds and leaves the membership alone.
            let echoed = try await Acceptance.send(
                client,
                .put,
                "/scim/v2/Users/\(member)",
                token: token,
                body: String(buffer: read.body)
            )
            #expect(echoed.status == .ok, "\(String(buffer: echoed.body))")
            #expect((try jsonObject(echoed)["groups"] as? [[String: String]])?.first?["value"] == group)

            let schemas = try await Acceptance.send(
                client,
                .get,
                "/scim/v2/Schemas/urn:ietf:params:scim:schemas:core:2.0:User",
                token: token
            )
            let attributes = try jsonObject(schemas)["attributes"] as? [[String: Any]] ?? []
            let advertised = attributes.first { $0["name"] as? String == "groups" }
            #expect(advertised?["mutability"] as? String == "readOnly")
        }
    }
}
