import Backends
import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import SQLDrivers
import Testing

/// The exact bodies Entra ID and Okta send, through HTTP, down to the stored row.
@Suite struct AcceptanceIdPTests {
    static func patch(_ operations: String) -> String {
        #"{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":\#(operations)}"#
    }

    @Test func entraPatchDialect() async throws {
        let acceptance = try await AcceptanceGateway.make()
        defer { acceptance.close() }
        let token = acceptance.acmeToken
        try await acceptance.test { client in
            // A user created without an email, as Entra does when the source has none.
            let id = try Acceptance.createdID(
                try await Acceptance.send(
                    client,
                    .post,
                    "/scim/v2/Users",
                    token: token,
                    body: #"""
                        {"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"ann.lee@contoso.example",
                         "externalId":"0a21f0f2-8d2a-4f8e-bf98-7c1c1b2f1e11","active":true,
                         "name":{"givenName":"Ann","familyName":"Lee"}}
                        """#
                )
            )
            let update = try await Acceptance.send(
                client,
                .patch,
                "/scim/v2/Users/\(id)",
                token: token,
                body: Self.patch(
                    #"""
                    [{"op":"replace","value":{"name.givenName":"Anna","name.familyName":"Lee-Smith"}},
                     {"op":"Replace","path":"emails[type eq \"work\"].value","value":"Anna.Lee@Contoso.example"}]
                    """#
                )
            )
            #expect(update.status == .ok, "\(String(buffer: update.body))")
            let updated = try jsonObject(update)
            #expect(updated["name"] as? [String: String] == ["givenName": "Anna", "familyName": "Lee-Smith"])
            let emails = updated["emails"] as? [[String: Any]] ?? []
            #expect(emails.count == 1)
            #expect(emails.first?["value"] as? String == "Anna.Lee@Contoso.example")
            #expect(emails.first?["type"] as? String == "work")
            #expect(emails.first?["primary"] as? Bool == true)

            let deactivate = try await Acceptance.send(
                client,
                .patch,
                "/scim/v2/Users/\(id)",
                token: token,
                body: Self.patch(#"[{"op":"Replace","path":"active","value":"False"}]"#)
            )
            #expect(deactivate.status == .ok)
            #expect(try jsonObject(deactivate)["active"] as? Bool == false)
            #expect(deactivate.headers[.eTag] != update.headers[.eTag])

            // Deactivated, not deleted: still readable and listed.
            let read = try await Acceptance.send(client, .get, "/scim/v2/Users/\(id)", token: token)
            #expect(read.status == .ok)
            #expect(try jsonObject(read)["active"] as? Bool == false)
            let listed = try await Acceptance.send(
                client,
                .get,
                "/scim/v2/Users?filter=externalId%20eq%20%220a21f0f2-8d2a-4f8e-bf98-7c1c1b2f1e11%22",
                token: token
            )
            #expect(try jsonObject(listed)["totalResults"] as? Int == 1)

            let database = try await acceptance.database("acme")
            let row = try await Acceptance.row(database, table: "user", where: "id", equals: .integer(Int64(id) ?? -1))
            #expect(row["firstname"] == .text("Anna"))
            #expect(row["lastname"] == .text("Lee-Smith"))
            #expect(row["email"] == .text("Anna.Lee@Contoso.example"))
            #expect(row["email_canonical"] == .text("anna.lee@contoso.example"))
            #expect(row["active"] == .integer(0))
            #expect(row["enabled"] == .integer(0))
            #expect(try await Acceptance.extraField(database, "scim_deprovisioned", user: id) == nil)

            let reactivate = try await Acceptance.send(
                client,
                .patch,
                "/scim/v2/Users/\(id)",
                token: token,
                body: Self.patch(#"[{"op":"Replace","path":"active","value":"True"}]"#)
            )
            #expect(try jsonObject(reactivate)["active"] as? Bool == true)
            let reactivated = try await database.execute(
                "SELECT active, enabled FROM \"user\" WHERE id = ?",
                [.integer(Int64(id) ?? -1)]
            )
            #expect(reactivated == [[.integer(1), .integer(1)]])
            await database.close()
        }
    }

    @Test func oktaDeactivationByPatchAndByPut() async throws {
        let acceptance = try await AcceptanceGateway.make()
        defer { acceptance.close() }
        let token = acceptance.acmeToken
        try await acceptance.test { client in
            func oktaUser(_ login: String, active: Bool, familyName: String = "Lee") -> String {
                #"""
                {"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"\#(login)",
                 "name":{"givenName":"Ann","familyName":"\#(familyName)"},
                 "emails":[{"primary":true,"value":"\#(login)","type":"work"}],
                 "displayName":"Ann Lee","locale":"en-US","externalId":"00u-\#(login)","groups":[],
                 "password":"Okta-Pa55word","active":\#(active)}
                """#
            }
            let patched = try Acceptance.createdID(
                try await Acceptance.send(
                    client,
                    .post,
                    "/scim/v2/Users",
                    token: token,
                    body: oktaUser("ann@okta.example", active: true)
                )
            )
            let existence = try await Acceptance.send(
                client,
                .get,
                "/scim/v2/Users?filter=userName%20eq%20%22ANN@okta.example%22&startIndex=1&count=100",
                token: token
            )
            let found = try jsonObject(existence)
            #expect(found["totalResults"] as? Int == 1)
            #expect(found["startIndex"] as? Int == 1)
            #expect(found["itemsPerPage"] as? Int == 1)

            let deactivate = try await Acceptance.send(
                client,
                .patch,
                "/scim/v2/Users/\(patched)",
                token: token,
                body: Self.patch(#"[{"op":"replace","value":{"active":false}}]"#)
            )
            #expect(deactivate.status == .ok)
            #expect(try jsonObject(deactivate)["active"] as? Bool == false)

            let put = try Acceptance.createdID(
                try await Acceptance.send(
                    client,
                    .post,
                    "/scim/v2/Users",
                    token: token,
                    body: oktaUser("bea@okta.example", active: true)
                )
            )
            let replaced = try await Acceptance.send(
                client,
                .put,
                "/scim/v2/Users/\(put)",
                token: token,
                body: oktaUser("bea@okta.example", active: false, familyName: "Lee-Jones")
            )
            #expect(replaced.status == .ok, "\(String(buffer: replaced.body))")
            let resource = try jsonObject(replaced)
            #expect(resource["active"] as? Bool == false)
            #expect((resource["name"] as? [String: Any])?["familyName"] as? String == "Lee-Jones")
            // Stored as Chamilo's `english` (below), read back as Okta spelled it.
            #expect(resource["locale"] as? String == "en-US")

            let database = try await acceptance.database("acme")
            let rows = try await database.execute(
                "SELECT username, active, enabled, lastname, language FROM \"user\" ORDER BY id",
                []
            )
            #expect(
                rows == [
                    [.text("ann@okta.example"), .integer(0), .integer(0), .text("Lee"), .text("english")],
                    [.text("bea@okta.example"), .integer(0), .integer(0), .text("Lee-Jones"), .text("english")],
                ]
            )
            let list = try await Acceptance.send(client, .get, "/scim/v2/Users", token: token)
            #expect(try jsonObject(list)["totalResults"] as? Int == 2)
            await database.close()
        }
    }
}
