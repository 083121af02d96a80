import Foundation
import SCIM
import Testing

/// Through the real executable on an SQLite tenant, as an IdP's burst after a large assignment sends
/// it: many creates and many PATCHes of one user at the same moment, each on its own connection. Every
/// one must be answered 2xx and land; the PATCHes one after another, each with a version of its own.
@Suite struct WireConcurrentWriteTests {
    @Test func aBurstOfCreatesAndPatchesAllLand() async throws {
        try await WireGateway.run([WireTenant("acme")]) { gateway in
            let id = try await Wire.createUser(gateway, "acme", "target@example.org")
            let send = { (method: String, path: String, body: String) in
                Task { try await gateway.request(method, path, tenant: "acme", body: body) }
            }
            let creates = (0..<30).map { send("POST", "/scim/v2/Users", Wire.user("burst\($0)@example.org")) }
            let patches = (0..<20).map { index in
                send(
                    "PATCH",
                    "/scim/v2/Users/\(id)",
                    #"{"schemas":["\#(Wire.patchSchema)"],"Operations":[{"op":"replace","#
                        + #""path":"name.givenName","value":"Given\#(index)"}]}"#
                )
            }
            for create in creates {
                let response = try await create.value
                #expect(response.status == 201, "\(response.body)")
            }
            var versions: [String] = []
            for patch in patches {
                let response = try await patch.value
                #expect(response.status == 200, "\(response.body)")
                if let version = response["meta"]?.objectValue?["version"]?.stringValue { versions.append(version) }
            }
            #expect(Set(versions).count == 20, "two PATCHes answered the same version: \(versions)")

            let listed = try await gateway.request(
                "GET",
                "/scim/v2/Users?filter=userName+sw+%22burst%22&count=100",
                tenant: "acme"
            )
            #expect(listed["totalResults"] == .integer(30), "\(listed.body)")
            let final = try await gateway.request("GET", "/scim/v2/Users/\(id)", tenant: "acme")
            let given = final["name"]?.objectValue?["givenName"]?.stringValue ?? ""
            #expect((0..<20).map { "Given\($0)" }.contains(given), "\(final.body)")
            #expect(final.header("ETag").map { versions.contains($0) } == true, "\(final.headers)")
        }
    }
}
