import Backends
import Foundation
import HTTPTypes
import SCIM
import Testing

/// Entity tags: stale `If-Match` is 412, current `If-None-Match` is 304, every PATCH makes a new version.
@Suite struct ETagScenarios {
    @Test(arguments: ScenarioEngine.supporting(.users))
    func versionsAndPreconditions(engine: ScenarioEngine) async throws {
        try await ScenarioGateway.run(engine) { _, client in
            let created = try await client.post("/Users", ScenarioUsers.json("versioned"))
            let id = try #require(created["id"]?.stringValue)
            let first = try #require(created.headers[.eTag])

            var etags = [first]
            for given in ["Once", "Twice", "Thrice"] {
                let patched = try await client.patch(
                    "/Users/\(id)",
                    operations: #"[{"op":"replace","path":"name.givenName","value":"\#(given)"}]"#
                )
                #expect(patched.status == .ok)
                let etag = try #require(patched.headers[.eTag])
                #expect(patched["meta.version"]?.stringValue == etag)
                etags.append(etag)
            }
            // Three modifications within the same second still make three versions.
            #expect(Set(etags).count == 4)
            let current = try #require(etags.last)

            var stale = HTTPFields()
            stale[.ifMatch] = first
            let refused = try await client.patch(
                "/Users/\(id)",
                operations: #"[{"op":"replace","path":"name.givenName","value":"Stale"}]"#,
                headers: stale
            )
            expectSCIMError(refused, .preconditionFailed)
            let refusedPut = try await client.put("/Users/\(id)", ScenarioUsers.json("versioned"), headers: stale)
            expectSCIMError(refusedPut, .preconditionFailed)
            #expect(try await client.get("/Users/\(id)")["name.givenName"]?.stringValue == "Thrice")

            var matching = HTTPFields()
            matching[.ifMatch] = current
            let accepted = try await client.patch(
                "/Users/\(id)",
                operations: #"[{"op":"replace","path":"name.givenName","value":"Matched"}]"#,
                headers: matching
            )
            #expect(accepted.status == .ok)
            let newest = try #require(accepted.headers[.eTag])

            var unchanged = HTTPFields()
            unchanged[.ifNoneMatch] = newest
            let notModified = try await client.get("/Users/\(id)", headers: unchanged)
            #expect(notModified.status == .notModified)
            #expect(notModified.text.isEmpty)
            #expect(notModified.headers[.eTag] == newest)
            var old = HTTPFields()
            old[.ifNoneMatch] = current
            #expect(try await client.get("/Users/\(id)", headers: old).status == .ok)
        }
    }
}
