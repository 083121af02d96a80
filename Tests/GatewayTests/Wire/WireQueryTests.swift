import Foundation
import SCIM
import Testing

/// Query strings exactly as form-encoding clients write them (.NET's HttpUtility, Java's URLEncoder,
/// Python's requests: a space is `+`), through the real executable (DESIGN.md "Query strings").
@Suite(.serialized) struct WireQueryTests {
    @Test func formEncodedQueriesAreDecoded() async throws {
        try await WireGateway.run([WireTenant("acme")]) { gateway in
            let id = try await Wire.createUser(gateway, "acme", "ada@example.org", externalId: "jyoung")
            try await Wire.createUser(gateway, "acme", "a+b@example.org")
            try await Wire.createUser(gateway, "acme", "grace@example.org")

            // `+` for spaces and `%20` are the same request; Okta's case-insensitive userName check.
            for target in [
                "/scim/v2/Users?filter=userName+eq+%22ada%40example.org%22",
                "/scim/v2/Users?filter=userName%20eq%20%22ada%40example.org%22",
                "/scim/v2/Users?filter=userName+eq+%22ADA%40Example.org%22&startIndex=1&count=100",
                "/api/scim/v2/Users?filter=userName+eq+%22ada%40example.org%22",
            ] {
                let response = try await gateway.request("GET", target, tenant: "acme")
                #expect(response.status == 200, "\(target): \(response)")
                #expect(Wire.total(response) == 1, "\(target): \(response)")
                #expect(Wire.resources(response).first?["id"]?.stringValue == id, "\(target)")
            }
            // A literal plus arrives as %2B; a raw `+` is a space and matches nobody.
            let plus = try await gateway.request(
                "GET",
                "/scim/v2/Users?filter=userName+eq+%22a%2Bb%40example.org%22",
                tenant: "acme"
            )
            #expect(Wire.total(plus) == 1, "\(plus)")
            let space = try await gateway.request(
                "GET",
                "/scim/v2/Users?filter=userName+eq+%22a+b%40example.org%22",
                tenant: "acme"
            )
            #expect(space.status == 200 && Wire.total(space) == 0, "\(space)")

            // Microsoft's documented unquoted value.
            let bare = try await gateway.request("GET", "/scim/v2/Users?filter=externalId+eq+jyoung", tenant: "acme")
            #expect(bare.status == 200 && Wire.total(bare) == 1, "\(bare)")
            let bareSpaces = try await gateway.request(
                "GET",
                "/scim/v2/Users?filter=externalId%20eq%20jyoung",
                tenant: "acme"
            )
            #expect(Wire.total(bareSpaces) == 1, "\(bareSpaces)")

            // Entra's "test connection": a random GUID answers an empty list, not 404.
            let guid = UUID().uuidString.lowercased()
            for target in [
                "/scim/v2/Users?filter=id+eq+%22\(guid)%22", "/scim/v2/Users?filter=userName+eq+%22\(guid)%22",
            ] {
                let probe = try await gateway.request("GET", target, tenant: "acme")
                #expect(probe.status == 200 && Wire.total(probe) == 0, "\(target): \(probe)")
            }

            // Every other parameter goes through the same decoding.
            let projected = try await gateway.request(
                "GET",
                "/scim/v2/Users?filter=userName+sw+%22ada%22&attributes=userName%2CexternalId",
                tenant: "acme"
            )
            let first = try #require(Wire.resources(projected).first, "\(projected)")
            #expect(first["externalId"]?.stringValue == "jyoung")
            #expect(first["name"] == nil && first["emails"] == nil, "\(first)")
            let excluded = try await gateway.request(
                "GET",
                "/scim/v2/Users?filter=userName+eq+%22ada%40example.org%22&excludedAttributes=emails%2Cname",
                tenant: "acme"
            )
            let excludedFirst = try #require(Wire.resources(excluded).first, "\(excluded)")
            #expect(excludedFirst["emails"] == nil && excludedFirst["userName"] != nil, "\(excludedFirst)")
            let sorted = try await gateway.request(
                "GET",
                "/scim/v2/Users?sortBy=userName&sortOrder=descending&startIndex=1&count=2&filter=userName+co+%22example%22",
                tenant: "acme"
            )
            #expect(Wire.total(sorted) == 3, "\(sorted)")
            #expect(
                Wire.resources(sorted).compactMap { $0["userName"]?.stringValue }
                    == ["grace@example.org", "ada@example.org"],
                "\(sorted)"
            )
            let single = try await gateway.request("GET", "/scim/v2/Users/\(id)?attributes=userName", tenant: "acme")
            #expect(single.status == 200 && single["emails"] == nil && single["userName"] != nil, "\(single)")
        }
    }

    /// The tenants are loaded before the server listens: the first request after a start is served.
    @Test func firstRequestAfterStartIsServed() async throws {
        try await WireGateway.run([WireTenant("acme"), WireTenant("beta")]) { gateway in
            let response = try await gateway.request("GET", "/scim/v2/Users?count=1", tenant: "beta")
            #expect(response.status == 200, "\(response)")
        }
    }

    @Test func emptyAndMalformedFiltersAreInvalid() async throws {
        try await WireGateway.run([WireTenant("acme")]) { gateway in
            try await Wire.createUser(gateway, "acme", "ada@example.org")
            for target in [
                "/scim/v2/Users?filter=", "/scim/v2/Users?filter=+", "/scim/v2/Users?filter=%20%20",
                "/scim/v2/Users?filter=userName+eq", "/scim/v2/Users?filter=%22unterminated",
                "/scim/v2/Users?filter=userName+eq+%22x%", "/scim/v2/Groups?filter=",
            ] {
                let response = try await gateway.request("GET", target, tenant: "acme")
                #expect(response.status == 400, "\(target): \(response)")
                #expect(response["scimType"]?.stringValue == "invalidFilter", "\(target): \(response)")
                #expect((response["detail"]?.stringValue ?? "").count > 10, "\(target): \(response)")
            }
            let search = try await gateway.request(
                "POST",
                "/scim/v2/Users/.search",
                tenant: "acme",
                body: #"{"schemas":["urn:ietf:params:scim:api:messages:2.0:SearchRequest"],"filter":""}"#
            )
            #expect(search.status == 400 && search["scimType"]?.stringValue == "invalidFilter", "\(search)")
            // Malformed escapes are kept literally (WHATWG), so the process answers and keeps serving.
            let odd = try await gateway.request("GET", "/scim/v2/Users?filter=userName+eq+%22%zz%22", tenant: "acme")
            #expect(odd.status == 200 && Wire.total(odd) == 0, "\(odd)")
            #expect(gateway.isAlive)
        }
    }

    @Test func groupLookUpAsEntraSendsIt() async throws {
        try await WireGateway.run([WireTenant("acme")]) { gateway in
            let created = try await gateway.request(
                "POST",
                "/scim/v2/Groups",
                tenant: "acme",
                body: #"{"schemas":["\#(Wire.groupSchema)"],"displayName":"Class A 2026","externalId":"g-1"}"#
            )
            #expect(created.status == 201, "\(created)")
            let found = try await gateway.request(
                "GET",
                "/scim/v2/Groups?excludedAttributes=members&filter=displayName+eq+%22Class+A+2026%22",
                tenant: "acme"
            )
            #expect(found.status == 200 && Wire.total(found) == 1, "\(found)")
            #expect(Wire.resources(found).first?["members"] == nil)
        }
    }
}
