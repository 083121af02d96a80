import Foundation
import Gateway
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import SCIM
import Testing

/// What a client writes comes back unchanged where Chamilo can hold it: value-mapped attributes use the
/// advertised canonical values, a `primary: false` mark and phone types are remembered, removed
/// attributes stay unassigned, and member references carry `$ref`.
@Suite struct RoundTripRoutesTests {
    func send(
        _ client: any TestClientProtocol,
        _ gateway: ChamiloGateway,
        _ method: HTTPRequest.Method,
        _ uri: String,
        _ body: String? = nil
    ) async throws -> TestResponse {
        try await client.execute(
            uri: uri,
            method: method,
            headers: gateway.headers(json: body != nil),
            body: body.map { ByteBuffer(string: $0) }
        )
    }

    static func patch(_ operations: String) -> String {
        #"{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[\#(operations)]}"#
    }

    @Test func valuesComeBackAsSentAndRemovalsStayRemoved() async throws {
        let gateway = try await ChamiloGateway.make()
        try await gateway.test { client in
            let created = try await send(
                client,
                gateway,
                .post,
                "/scim/v2/Users",
                #"""
                {"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"rt1","userType":"Teacher",
                 "locale":"fr","active":false,
                 "emails":[{"value":"rt1@example.org","type":"home","primary":false}],
                 "phoneNumbers":[{"value":"+33 1 23","type":"fax"}]}
                """#
            )
            #expect(created.status == .created)
            let body = try jsonObject(created)
            let id = try #require(body["id"] as? String)
            #expect(body["userType"] as? String == "Teacher")
            #expect(body["locale"] as? String == "fr")
            #expect(body["active"] as? Bool == false)
            let email = try #require((body["emails"] as? [[String: Any]])?.first)
            #expect(email["type"] as? String == "home")
            #expect(email["primary"] as? Bool == false)
            let phone = try #require((body["phoneNumbers"] as? [[String: Any]])?.first)
            #expect(phone["type"] as? String == "fax")
            #expect(phone["value"] as? String == "+33 1 23")
            // Each phone type has its own storage: the number reads back as sent, without a primary mark.
            #expect(phone["primary"] == nil)

            for attribute in ["userType", "locale", "active"] {
                let removed = try await send(
                    client,
                    gateway,
                    .patch,
                    "/scim/v2/Users/\(id)",
                    Self.patch(#"{"op":"remove","path":"\#(attribute)"}"#)
                )
                #expect(removed.status == .ok)
                #expect(try jsonObject(removed)[attribute] == nil, "\(attribute) is reported after its removal")
            }
            let fetched = try jsonObject(try await send(client, gateway, .get, "/scim/v2/Users/\(id)"))
            #expect(fetched["userType"] == nil)
            #expect(fetched["active"] == nil)

            let restored = try await send(
                client,
                gateway,
                .patch,
                "/scim/v2/Users/\(id)",
                Self.patch(#"{"op":"add","path":"userType","value":"Student"}"#)
            )
            #expect(try jsonObject(restored)["userType"] as? String == "Student")
            #expect(try jsonObject(restored)["active"] == nil)
        }
    }

    @Test func groupMembersCarryReferences() async throws {
        let gateway = try await ChamiloGateway.make()
        try await gateway.test { client in
            let user = try await send(
                client,
                gateway,
                .post,
                "/scim/v2/Users",
                #"{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"member1"}"#
            )
            let userID = try #require(try jsonObject(user)["id"] as? String)
            let group = try await send(
                client,
                gateway,
                .post,
                "/scim/v2/Groups",
                #"""
                {"schemas":["urn:ietf:params:scim:schemas:core:2.0:Group"],"displayName":"Class R",
                 "externalId":"grp-r","members":[{"value":"\#(userID)","$ref":null}]}
                """#
            )
            #expect(group.status == .created)
            let body = try jsonObject(group)
            #expect(body["externalId"] as? String == "grp-r")
            let member = try #require((body["members"] as? [[String: Any]])?.first)
            #expect(member["value"] as? String == userID)
            #expect((member["$ref"] as? String)?.hasSuffix("/scim/v2/Users/\(userID)") == true)
            #expect(member["display"] == nil)
        }
    }
}
