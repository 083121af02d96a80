import Foundation
import Gateway
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

@Suite struct BulkRoutesTests {
    @Test func operationsRunInOrderWithBulkIdsAndOneLogEntryEach() async throws {
        let gateway = try await ChamiloGateway.make()
        let request = """
            {"schemas":["urn:ietf:params:scim:api:messages:2.0:BulkRequest"],"Operations":[
              {"method":"POST","path":"/Users","bulkId":"u1",
               "data":{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"dora@example.org",
                       "name":{"givenName":"Dora","familyName":"Explorer"},
                       "emails":[{"value":"dora@example.org","primary":true}]}},
              {"method":"PATCH","path":"/Users/bulkId:u1",
               "data":{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
                       "Operations":[{"op":"replace","path":"name.givenName","value":"Dorothy"}]}},
              {"method":"DELETE","path":"/Users/999999"}
            ]}
            """
        try await gateway.test { client in
            let response = try await client.execute(
                uri: "/scim/v2/Bulk",
                method: .post,
                headers: gateway.headers(json: true),
                body: ByteBuffer(string: request)
            )
            #expect(response.status == .ok)
            let operations = try #require(try jsonObject(response)["Operations"] as? [[String: Any]])
            #expect(operations.compactMap { $0["status"] as? String } == ["201", "200", "404"])
            #expect((operations.first?["location"] as? String)?.contains("/scim/v2/Users/") == true)
        }
        await gateway.log.flush()
        let entries = gateway.store.entries
        #expect(entries.map(\.operation) == ["create", "patch", "delete"])
        #expect(entries.map(\.status) == [201, 200, 404])
        #expect(entries.first?.userName == "dora@example.org")
        #expect(Set(entries.map(\.requestId)).count == 1)
    }
}
