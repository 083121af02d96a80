import Backends
import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import SQLDrivers
import Testing

/// Two tenants on separate SQLite files: a token reaches its own tenant's users only.
@Suite struct AcceptanceTenantIsolationTests {
    @Test func eachTokenSeesOnlyItsOwnTenant() async throws {
        let acceptance = try await AcceptanceGateway.make()
        defer { acceptance.close() }
        let (acme, beta) = (acceptance.acmeToken, acceptance.betaToken)
        try await acceptance.test { client in
            let acmeID = try Acceptance.createdID(
                try await Acceptance.send(client, .post, "/scim/v2/Users", token: acme, body: Acceptance.user("ann"))
            )
            let acmeSecond = try Acceptance.createdID(
                try await Acceptance.send(client, .post, "/scim/v2/Users", token: acme, body: Acceptance.user("amy"))
            )
            // The same userName in the other tenant is no conflict: it is another portal.
            let betaID = try Acceptance.createdID(
                try await Acceptance.send(client, .post, "/scim/v2/Users", token: beta, body: Acceptance.user("ann"))
            )

            func userNames(_ token: String, _ query: String = "") async throws -> [String] {
                let response = try await Acceptance.send(client, .get, "/scim/v2/Users\(query)", token: token)
                #expect(response.status == .ok)
                let resources = try jsonObject(response)["Resources"] as? [[String: Any]] ?? []
                return resources.compactMap { $0["userName"] as? String }.sorted()
            }
            #expect(try await userNames(acme) == ["amy", "ann"])
            #expect(try await userNames(beta) == ["ann"])
            #expect(try await userNames(beta, "?filter=userName%20eq%20%22amy%22").isEmpty)

            // An id only the other tenant has answers 404 to every operation (ids that both
            // databases happen to hold name each tenant's own row).
            for method in [HTTPRequest.Method.get, .delete] {
                let response = try await Acceptance.send(client, method, "/scim/v2/Users/\(acmeSecond)", token: beta)
                try Acceptance.expectSCIMError(response, .notFound)
            }
            let put = try await Acceptance.send(
                client,
                .put,
                "/scim/v2/Users/\(acmeSecond)",
                token: beta,
                body: Acceptance.user("amy", extra: #","active":false"#)
            )
            try Acceptance.expectSCIMError(put, .notFound)
            let patch = try await Acceptance.send(
                client,
                .patch,
                "/scim/v2/Users/\(acmeSecond)",
                token: beta,
                body:
                    #"{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"replace","value":{"active":false}}]}"#
            )
            try Acceptance.expectSCIMError(patch, .notFound)

            // Writes through beta's token changed beta's database only.
            let renamed = try await Acceptance.send(
                client,
                .patch,
                "/scim/v2/Users/\(betaID)",
                token: beta,
                body:
                    #"{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"replace","path":"name.givenName","value":"Beta"}]}"#
            )
            #expect(renamed.status == .ok)
            let acmeUser = try jsonObject(
                try await Acceptance.send(client, .get, "/scim/v2/Users/\(acmeID)", token: acme)
            )
            #expect((acmeUser["name"] as? [String: Any])?["givenName"] as? String == "Given")
            let amy = try await Acceptance.send(client, .get, "/scim/v2/Users/\(acmeSecond)", token: acme)
            #expect(try jsonObject(amy)["active"] as? Bool == true)

            let acmeDatabase = try await acceptance.database("acme")
            let betaDatabase = try await acceptance.database("beta")
            #expect(
                try await acmeDatabase.execute("SELECT username, firstname FROM \"user\" ORDER BY username", [])
                    == [[.text("amy"), .text("Given")], [.text("ann"), .text("Given")]]
            )
            #expect(
                try await betaDatabase.execute("SELECT username, firstname FROM \"user\" ORDER BY username", [])
                    == [[.text("ann"), .text("Beta")]]
            )
            await acmeDatabase.close()
            await betaDatabase.close()
        }
    }
}
