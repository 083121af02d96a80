import Backends
import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing

/// Every failure through HTTP is a SCIM error body with the right status and scimType, and the
/// gateway keeps serving afterwards.
@Suite struct AcceptanceErrorTests {
    @Test func requestErrorsAreSCIMErrors() async throws {
        let acceptance = try await AcceptanceGateway.make()
        defer { acceptance.close() }
        let token = acceptance.acmeToken
        try await acceptance.test { client in
            let id = try Acceptance.createdID(
                try await Acceptance.send(client, .post, "/scim/v2/Users", token: token, body: Acceptance.user("grace"))
            )

            let duplicate = try await Acceptance.send(
                client,
                .post,
                "/scim/v2/Users",
                token: token,
                body: Acceptance.user("GRACE")
            )
            try Acceptance.expectSCIMError(duplicate, .conflict, scimType: "uniqueness")

            for method in [HTTPRequest.Method.get, .delete] {
                let missing = try await Acceptance.send(client, method, "/scim/v2/Users/999999", token: token)
                try Acceptance.expectSCIMError(missing, .notFound)
            }
            let missingPut = try await Acceptance.send(
                client,
                .put,
                "/scim/v2/Users/999999",
                token: token,
                body: Acceptance.user("nobody")
            )
            try Acceptance.expectSCIMError(missingPut, .notFound)
            let missingPatch = try await Acceptance.send(
                client,
                .patch,
                "/scim/v2/Users/2819c223-7f76-453a-919d-413861904646",
                token: token,
                body:
                    #"{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"replace","value":{"active":false}}]}"#
            )
            try Acceptance.expectSCIMError(missingPatch, .notFound)

            for malformed in [#"{"userName": "x","#, "not json", #"{"userName": "x"} trailing"#] {
                let response = try await Acceptance.send(client, .post, "/scim/v2/Users", token: token, body: malformed)
                try Acceptance.expectSCIMError(response, .badRequest, scimType: "invalidSyntax")
            }

            let noUserName = try await Acceptance.send(
                client,
                .post,
                "/scim/v2/Users",
                token: token,
                body: #"{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"name":{"givenName":"No"}}"#
            )
            let detail = try Acceptance.expectSCIMError(noUserName, .badRequest, scimType: "invalidValue")
            #expect(detail.contains("userName"))

            let longName = String(repeating: "n", count: 101)
            let tooLong = try await Acceptance.send(
                client,
                .post,
                "/scim/v2/Users",
                token: token,
                body: Acceptance.user(longName)
            )
            let tooLongDetail = try Acceptance.expectSCIMError(tooLong, .badRequest, scimType: "invalidValue")
            #expect(tooLongDetail.contains("userName"))
            let longGiven = String(repeating: "g", count: 61)
            let tooLongPatch = try await Acceptance.send(
                client,
                .patch,
                "/scim/v2/Users/\(id)",
                token: token,
                body:
                    #"{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"replace","path":"name.givenName","value":"\#(longGiven)"}]}"#
            )
            let givenDetail = try Acceptance.expectSCIMError(tooLongPatch, .badRequest, scimType: "invalidValue")
            #expect(givenDetail.contains("name.givenName"))

            // Still serving, and nothing half-written.
            let list = try await Acceptance.send(client, .get, "/scim/v2/Users", token: token)
            #expect(list.status == .ok)
            let resources = try jsonObject(list)["Resources"] as? [[String: Any]] ?? []
            #expect(resources.compactMap { $0["userName"] as? String } == ["grace"])
            #expect((resources.first?["name"] as? [String: Any])?["givenName"] as? String == "Given")
        }
    }

    @Test func refusedTokensAre401WithBearerChallenge() async throws {
        let acceptance = try await AcceptanceGateway.make()
        defer { acceptance.close() }
        let refused: [(String, String?)] = [
            ("missing", nil),
            ("unknown", "sgw_" + String(repeating: "A", count: 43)),
            ("expired", acceptance.expiredToken),
            ("revoked", acceptance.revokedToken),
        ]
        try await acceptance.test { client in
            for (label, token) in refused {
                for (method, uri, body) in [
                    (HTTPRequest.Method.get, "/scim/v2/Users", nil as String?),
                    (.post, "/scim/v2/Users", Acceptance.user("intruder")),
                ] {
                    let response = try await Acceptance.send(client, method, uri, token: token, body: body)
                    #expect(response.status == .unauthorized, "\(label) token")
                    #expect(
                        response.headers[.wwwAuthenticate]?.hasPrefix("Bearer") == true,
                        "\(label) token"
                    )
                    try Acceptance.expectSCIMError(response, .unauthorized)
                }
            }
            let basic = try await client.execute(
                uri: "/scim/v2/Users",
                method: .get,
                headers: [.authorization: "Basic YWRtaW46YWRtaW4="]
            )
            try Acceptance.expectSCIMError(basic, .unauthorized)

            let allowed = try await Acceptance.send(client, .get, "/scim/v2/Users", token: acceptance.acmeToken)
            #expect(allowed.status == .ok)
            #expect(try jsonObject(allowed)["totalResults"] as? Int == 0)
        }
    }
}
