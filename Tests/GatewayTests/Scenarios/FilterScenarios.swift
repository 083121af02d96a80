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
