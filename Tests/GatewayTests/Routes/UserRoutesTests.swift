import Foundation
import Gateway
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import SCIM
import Testing

@Suite struct UserRoutesTests {
    static let alice = """
        {"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],
         "userName":"alice@example.org","externalId":"ext-alice",
         "name":{"givenName":"Alice","familyName":"Liddell"},
         "emails":[{"value":"alice@example.org","type":"work","primary":true}],
         "active":true,"password":"Secret-Passw0rd!","nickName":"Al"}
        """

    func create(
        _ client: any TestClientProtocol,
        gateway: ChamiloGateway,
        body: String = alice
    ) async throws
        -> TestResponse
    {
        try await client.execute(
            uri: "/scim/v2/Users",
            method: .post,
            headers: gateway.headers(json: true),
            body: ByteBuffer(string: body)
        )
    }

    @Test func createThenGetWithLocationAndETag() async throws {
        let gateway = try await ChamiloGateway.make()
        try await gateway.test { client in
            let created = try await create(client, gateway: gateway)
            #expect(created.status == .created)
            #expect(created.headers[.contentType] == "application/scim+json")
            let body = try jsonObject(created)
            let id = try #require(body["id"] as? String)
            #expect(body["userName"] as? String == "alice@example.org")
            #expect(body["password"] == nil)
            let location = try #require(created.headers[.location])
            #expect(location.hasSuffix("/scim/v2/Users/\(id)"))
            let etag = try #require(created.headers[.eTag])
            #expect(etag.hasPrefix("W/\""))

            let fetched = try await client.execute(
                uri: "/scim/v2/Users/\(id)",
                method: .get,
                headers: gateway.headers()
            )
            #expect(fetched.status == .ok)
            #expect(try jsonObject(fetched)["userName"] as? String == "alice@example.org")

            var conditional = HTTPFields()
            conditional[.ifNoneMatch] = etag
            let notModified = try await client.execute(
                uri: "/scim/v2/Users/\(id)",
                method: .get,
                headers: gateway.headers(conditional)
            )
            #expect(notModified.status == .notModified)
        }
    }

    @Test func locationHonoursForwardedHeaders() async throws {
        let gateway = try await ChamiloGateway.make()
        try await gateway.test { client in
            var extra = HTTPFields()
            extra[HTTPField.Name("X-Forwarded-Proto")!] = "https"
            extra[HTTPField.Name("X-Forwarded-Host")!] = "sso.example.org"
            let created = try await client.execute(
                uri: "/api/scim/v2/Users",
                method: .post,
                headers: gateway.headers(extra, json: true),
                body: ByteBuffer(string: Self.alice)
            )
            #expect(created.status == .created)
            let location = try #require(created.headers[.location])
            #expect(location.hasPrefix("https://sso.example.org/api/scim/v2/Users/"))
            let meta = try #require(try jsonObject(created)["meta"] as? [String: Any])
            #expect(meta["location"] as? String == location)
        }
    }

    @Test func listFiltersAndRejectsUnknownAttributes() async throws {
        let gateway = try await ChamiloGateway.make()
        try await gateway.test { client in
            _ = try await create(client, gateway: gateway)
            let found = try await client.execute(
                uri: "/scim/v2/Users?filter=userName%20eq%20%22ALICE@example.org%22",
                method: .get,
                headers: gateway.headers()
            )
            #expect(found.status == .ok)
            let list = try jsonObject(found)
            #expect(list["totalResults"] as? Int == 1)
            #expect((list["Resources"] as? [[String: Any]])?.first?["userName"] as? String == "alice@example.org")

            let unknown = try await client.execute(
                uri: "/scim/v2/Users?filter=shoeSize%20eq%20%2242%22",
                method: .get,
                headers: gateway.headers()
            )
            #expect(unknown.status == .badRequest)
            let error = try jsonObject(unknown)
            #expect(error["scimType"] as? String == "invalidFilter")
            #expect((error["detail"] as? String)?.contains("shoeSize") == true)
        }
    }

    @Test func rootSearchTreatsUnknownAttributesAsUnassigned() async throws {
        let gateway = try await ChamiloGateway.make()
        try await gateway.test { client in
            _ = try await create(client, gateway: gateway)
            let response = try await client.execute(
                uri: "/scim/v2/.search",
                method: .post,
                headers: gateway.headers(json: true),
                body: ByteBuffer(
                    string:
                        #"{"schemas":["urn:ietf:params:scim:api:messages:2.0:SearchRequest"],"filter":"shoeSize eq \"42\" or userName eq \"alice@example.org\""}"#
                )
            )
            #expect(response.status == .ok)
            #expect(try jsonObject(response)["totalResults"] as? Int == 1)
        }
    }

    @Test func replaceWithStaleIfMatchIs412() async throws {
        let gateway = try await ChamiloGateway.make()
        try await gateway.test { client in
            let created = try await create(client, gateway: gateway)
            let id = try #require(try jsonObject(created)["id"] as? String)
            var extra = HTTPFields()
            extra[.ifMatch] = "W/\"stale-version\""
            let response = try await client.execute(
                uri: "/scim/v2/Users/\(id)",
                method: .put,
                headers: gateway.headers(extra, json: true),
                body: ByteBuffer(string: #"{"userName":"alice@example.org","name":{"givenName":"Alicia"}}"#)
            )
            #expect(response.status == .preconditionFailed)
        }
    }

    @Test func patchChangesTheUserAndLogsAttributeNames() async throws {
        let gateway = try await ChamiloGateway.make()
        try await gateway.test { client in
            let created = try await create(client, gateway: gateway)
            let id = try #require(try jsonObject(created)["id"] as? String)
            let patched = try await client.execute(
                uri: "/scim/v2/Users/\(id)",
                method: .patch,
                headers: gateway.headers(json: true),
                body: ByteBuffer(
                    string:
                        #"{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"replace","path":"name.givenName","value":"Alicia"}]}"#
                )
            )
            #expect(patched.status == .ok)
            let name = try #require(try jsonObject(patched)["name"] as? [String: Any])
            #expect(name["givenName"] as? String == "Alicia")
            #expect(patched.headers[.eTag] != created.headers[.eTag])
        }
        await gateway.log.flush()
        let entries = gateway.store.entries
        #expect(entries.map(\.operation) == ["create", "patch"])
        let creation = try #require(entries.first)
        #expect(creation.userName == "alice@example.org")
        #expect(creation.externalId == "ext-alice")
        #expect(creation.status == 201)
        #expect(creation.attributes.contains("userName"))
        let patch = try #require(entries.last)
        #expect(patch.attributes == ["name"])
        for entry in entries {
            #expect(!entry.jsonLine().contains("Secret-Passw0rd!"))
        }
    }

    @Test func deleteDeprovisionsAndHidesTheUser() async throws {
        let gateway = try await ChamiloGateway.make()
        try await gateway.test { client in
            let created = try await create(client, gateway: gateway)
            let id = try #require(try jsonObject(created)["id"] as? String)
            let deleted = try await client.execute(
                uri: "/scim/v2/Users/\(id)",
                method: .delete,
                headers: gateway.headers()
            )
            #expect(deleted.status == .noContent)
            let gone = try await client.execute(uri: "/scim/v2/Users/\(id)", method: .get, headers: gateway.headers())
            #expect(gone.status == .notFound)
            #expect(gone.headers[.contentType] == "application/scim+json")
        }
    }

    @Test func duplicateUserNameIs409Uniqueness() async throws {
        let gateway = try await ChamiloGateway.make()
        try await gateway.test { client in
            _ = try await create(client, gateway: gateway)
            let again = try await create(client, gateway: gateway)
            #expect(again.status == .conflict)
            #expect(try jsonObject(again)["scimType"] as? String == "uniqueness")
        }
    }
}
