import Foundation
import Gateway
import Hummingbird
import HummingbirdTesting
import NIOCore
import SCIM
import Testing

@Suite struct DiscoveryRoutesTests {
    @Test func serviceProviderConfigFollowsTheBackend() async throws {
        let gateway = try await ChamiloGateway.make()
        try await gateway.test { client in
            let response = try await client.execute(
                uri: "/scim/v2/ServiceProviderConfig",
                method: .get,
                headers: gateway.headers()
            )
            #expect(response.status == .ok)
            #expect(response.headers[.contentType] == "application/scim+json")
            let body = try jsonObject(response)
            #expect((body["patch"] as? [String: Any])?["supported"] as? Bool == true)
            #expect((body["filter"] as? [String: Any])?["maxResults"] as? Int == 1000)
        }
    }

    @Test func resourceTypesAndSchemasListWhatTheMappingStores() async throws {
        let gateway = try await ChamiloGateway.make()
        try await gateway.test { client in
            let types = try jsonObject(
                try await client.execute(uri: "/scim/v2/ResourceTypes", method: .get, headers: gateway.headers())
            )
            let names = (types["Resources"] as? [[String: Any]])?.compactMap { $0["name"] as? String } ?? []
            #expect(names.contains("User"))
            let user = try await client.execute(
                uri: "/scim/v2/ResourceTypes/User",
                method: .get,
                headers: gateway.headers()
            )
            #expect(user.status == .ok)

            let schemas = try jsonObject(
                try await client.execute(uri: "/scim/v2/Schemas", method: .get, headers: gateway.headers())
            )
            let resources = schemas["Resources"] as? [[String: Any]] ?? []
            let userSchema = try #require(resources.first { $0["id"] as? String == SCIMSchemaURI.user })
            let attributeNames =
                (userSchema["attributes"] as? [[String: Any]])?.compactMap { $0["name"] as? String } ?? []
            #expect(attributeNames.contains("userName"))
            #expect(!attributeNames.contains("x509Certificates"))
            let one = try await client.execute(
                uri: "/scim/v2/Schemas/\(SCIMSchemaURI.user)",
                method: .get,
                headers: gateway.headers()
            )
            #expect(one.status == .ok)
        }
    }
}
