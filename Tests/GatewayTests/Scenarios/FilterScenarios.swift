import Backends
import Foundation
import HTTPTypes
import SCIM
import Testing

/// The RFC's filter grammar, pushed down to the SQL engines.
@Suite struct FilterScenarios {
    @Test(arguments: ScenarioEngine.supporting([.users, .fullFilters]))
    func fullGrammar(engine: ScenarioEngine) async throws {
        try await ScenarioGateway.run(engine) { _, client in
            let ada = try await client.createUser(
                ScenarioUsers.json(
                    "ada.lovelace@example.org",
                    email: "ada@example.org",
                    externalId: "ext-ada",
                    employeeNumber: "E-100"
                )
            )
            let grace = try await client.createUser(
                ScenarioUsers.json(
                    "grace.hopper@navy.example",
                    given: "Grace",
                    family: "Hopper",
                    email: "grace@navy.example",
                    active: false,
                    employeeNumber: "E-200"
                )
            )
            let alan = try await client.createUser(
                ScenarioUsers.json("alan.turing@example.org", given: "Alan", family: "Turing")
            )
            let cases: [(String, Set<String>)] = [
                (#"userName co "LOVELACE""#, [ada]),
                (#"userName sw "grace""#, [grace]),
                (#"userName ew "@EXAMPLE.ORG""#, [ada, alan]),
                (#"emails pr"#, [ada, grace]),
                (#"externalId pr"#, [ada]),
                (#"name.familyName eq "turing""#, [alan]),
                (#"active eq false"#, [grace]),
                (#"meta.lastModified gt "2000-01-01T00:00:00Z""#, [ada, grace, alan]),
                (#"meta.lastModified lt "2000-01-01T00:00:00Z""#, []),
                (#"meta.lastModified gt "2999-01-01T00:00:00Z""#, []),
                (#"meta.created lt "2999-01-01T00:00:00Z" and active eq true"#, [ada, alan]),
                (#"(userName sw "ada" or userName sw "alan") and not (name.givenName eq "Alan")"#, [ada]),
                (#"not (userName co "example.org") or name.givenName eq "Alan""#, [grace, alan]),
                (#"emails[type eq "work" and value co "@navy"]"#, [grace]),
                (#"emails[type eq "home"]"#, []),
                (#"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber eq "E-200""#, [grace]),
                (#"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber pr"#, [ada, grace]),
            ]
            for (filter, expected) in cases {
                let response = try await client.list(filter: filter)
                #expect(response.status == .ok, "\(filter): \(response.text)")
                #expect(Set(response.ids) == expected, "\(filter)")
                #expect(response.totalResults == expected.count, "\(filter)")
            }
            let searched = try await client.post(
                "/Users/.search",
                #"{"schemas":["urn:ietf:params:scim:api:messages:2.0:SearchRequest"],"filter":"userName sw \"ada\""}"#
            )
            #expect(searched.ids == [ada])

            for (filter, name) in [(#"shoeSize eq "42""#, "shoeSize"), (#"name.middle co "x""#, "name.middle")] {
                let refused = try await client.list(filter: filter)
                expectSCIMError(refused, .badRequest, scimType: "invalidFilter", detailContains: [name])
            }
            let broken = try await client.list(filter: #"userName eq"#)
            expectSCIMError(broken, .badRequest, scimType: "invalidFilter")
        }
    }
}

/// `sortBy`, `sortOrder`, `startIndex` and `count`.
@Suite struct SortingAndPagingScenarios {
    @Test(arguments: ScenarioEngine.supporting([.users, .sorting]))
    func sortAndPage(engine: ScenarioEngine) async throws {
        try await ScenarioGateway.run(engine) { _, client in
            let names = ["delta", "Alpha", "echo", "charlie", "Bravo"]
            for name in names {
                _ = try await client.createUser(ScenarioUsers.json("\(name)@example.org"))
            }
            let sorted = names.map { "\($0)@example.org" }.sorted { $0.lowercased() < $1.lowercased() }

            let ascending = try await client.list(query: ["sortBy": "userName"])
            #expect(ascending.userNames == sorted)
            let explicit = try await client.list(query: ["sortBy": "userName", "sortOrder": "ascending"])
            #expect(explicit.userNames == sorted)
            let descending = try await client.list(query: ["sortBy": "userName", "sortOrder": "descending"])
            #expect(descending.userNames == sorted.reversed())

            let page = try await client.list(query: ["sortBy": "userName", "startIndex": "2", "count": "2"])
            #expect(page.userNames == Array(sorted[1...2]))
            #expect(page.totalResults == 5)
            #expect(page.integer("startIndex") == 2)
            #expect(page.integer("itemsPerPage") == 2)
            let last = try await client.list(query: ["sortBy": "userName", "startIndex": "5", "count": "10"])
            #expect(last.userNames == [sorted[4]])
            let beyond = try await client.list(query: ["sortBy": "userName", "startIndex": "9"])
            #expect(beyond.resources.isEmpty)
            #expect(beyond.totalResults == 5)

            let countOnly = try await client.list(query: ["count": "0"])
            #expect(countOnly.status == .ok)
            #expect(countOnly.totalResults == 5)
            #expect(countOnly.resources.isEmpty)
            #expect(countOnly.integer("itemsPerPage") == 0)

            let filtered = try await client.list(
                filter: #"not (userName sw "echo")"#,
                query: ["sortBy": "userName", "sortOrder": "descending", "count": "2"]
            )
            #expect(filtered.totalResults == 4)
            #expect(filtered.userNames == ["delta@example.org", "charlie@example.org"])
        }
    }
}

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
