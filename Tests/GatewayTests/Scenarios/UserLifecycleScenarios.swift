import Backends
import Foundation
import HTTPTypes
import SCIM
import SQLDrivers
import Testing

/// Create, read, find, replace and PATCH a User as identity providers do, on every engine.
@Suite struct UserLifecycleScenarios {
    @Test(arguments: ScenarioEngine.supporting(.users))
    func createReadAndFind(engine: ScenarioEngine) async throws {
        try await ScenarioGateway.run(engine) { _, client in
            let created = try await client.post(
                "/Users",
                ScenarioUsers.full("Ada.Lovelace@example.org", engine: engine)
            )
            #expect(created.status == .created, "\(created.text)")
            #expect(created.headers[.contentType] == "application/scim+json")
            let id = try #require(created["id"]?.stringValue)
            let location = try #require(created.headers[.location])
            #expect(location.hasSuffix("/scim/v2/Users/\(id)"))
            #expect(created["meta.location"]?.stringValue == location)
            let etag = try #require(created.headers[.eTag])
            #expect(etag.hasPrefix("W/\""))
            #expect(created["meta.version"]?.stringValue == etag)
            #expect(created["userName"]?.stringValue == "Ada.Lovelace@example.org")
            #expect(created["name.givenName"]?.stringValue == "Ada")
            #expect(created["externalId"]?.stringValue == "ext-ada")
            #expect(created["active"] == .bool(true))
            #expect(created["password"] == nil)
            let email = try #require(created["emails"]?.arrayValue?.first?.objectValue)
            #expect(email["value"]?.stringValue == "ada@example.org")
            #expect(email["type"]?.stringValue == "work")
            if engine.capabilities.contains(.enterpriseUser) {
                #expect(created.member(ScenarioUsers.enterprise, "employeeNumber")?.stringValue == "E-1815")
            }

            let read = try await client.get("/Users/\(id)")
            #expect(read.status == .ok)
            #expect(read.headers[.eTag] == etag)
            #expect(read["userName"]?.stringValue == "Ada.Lovelace@example.org")

            // Okta's existence check: case-insensitive userName, integers for the paging numbers.
            let byName = try await client.list(
                filter: #"userName eq "ada.LOVELACE@EXAMPLE.ORG""#,
                query: ["startIndex": "1", "count": "100"]
            )
            #expect(byName.status == .ok)
            #expect(byName.ids == [id])
            #expect(byName.totalResults == 1)
            #expect(byName.integer("startIndex") == 1)
            #expect(byName.integer("itemsPerPage") == 1)
            let schemas = byName["schemas"]?.arrayValue?.compactMap(\.stringValue)
            #expect(schemas == ["urn:ietf:params:scim:api:messages:2.0:ListResponse"])

            let byExternalId = try await client.list(filter: #"externalId eq "ext-ada""#)
            #expect(byExternalId.ids == [id])
            let byId = try await client.list(filter: #"id eq "\#(id)""#)
            #expect(byId.ids == [id])

            // Entra's "test connection": a random GUID is an empty list, not a 404.
            let guid = UUID().uuidString.lowercased()
            for filter in [#"id eq "\#(guid)""#, #"userName eq "\#(guid)""#] {
                let empty = try await client.list(filter: filter)
                #expect(empty.status == .ok, "\(empty.text)")
                #expect(empty.totalResults == 0)
                #expect(empty.resources.isEmpty)
            }
        }
    }

    @Test(arguments: ScenarioEngine.supporting(.users))
    func oktaReplaceAndPatchDeactivate(engine: ScenarioEngine) async throws {
        try await ScenarioGateway.run(engine) { _, client in
            let id = try await client.createUser(ScenarioUsers.full("okta.user", engine: engine))
            // A custom Okta app sends every update, deactivation included, as a full PUT.
            let replaced = try await client.put(
                "/Users/\(id)",
                ScenarioUsers.json(
                    "okta.user",
                    given: "Augusta",
                    family: "King",
                    email: "augusta@example.org",
                    active: false,
                    externalId: "ext-ada"
                )
            )
            #expect(replaced.status == .ok, "\(replaced.text)")
            #expect(replaced["active"] == .bool(false))
            let read = try await client.get("/Users/\(id)")
            #expect(read.status == .ok)
            #expect(read["active"] == .bool(false))
            #expect(read["name.givenName"]?.stringValue == "Augusta")
            #expect(read["emails"]?.arrayValue?.first?.objectValue?["value"]?.stringValue == "augusta@example.org")
            let listed = try await client.list(filter: #"userName eq "okta.user""#)
            #expect(listed.ids == [id])
            #expect(listed.resources.first?["active"] == .bool(false))

            // A catalogue Okta app: path-less replace of active.
            let reactivated = try await client.patch(
                "/Users/\(id)",
                operations: #"[{"op":"replace","value":{"active":true}}]"#
            )
            #expect(reactivated.status == .ok, "\(reactivated.text)")
            #expect(reactivated["active"] == .bool(true))
            let deactivated = try await client.patch(
                "/Users/\(id)",
                operations: #"[{"op":"replace","value":{"active":false}}]"#
            )
            #expect(deactivated["active"] == .bool(false))
            let after = try await client.get("/Users/\(id)")
            #expect(after.status == .ok)
            #expect(after["active"] == .bool(false))
        }
    }

    @Test(arguments: ScenarioEngine.supporting(.users))
    func entraPatchDialect(engine: ScenarioEngine) async throws {
        try await ScenarioGateway.run(engine) { _, client in
            let id = try await client.createUser(ScenarioUsers.full("entra.user", engine: engine))
            // Without aadOptscim062020: capitalised ops and booleans as strings.
            let off = try await client.patch(
                "/Users/\(id)",
                operations: #"[{"op":"Replace","path":"active","value":"False"}]"#
            )
            #expect(off.status == .ok, "\(off.text)")
            #expect(off["active"] == .bool(false))
            let on = try await client.patch(
                "/Users/\(id)",
                operations: #"[{"op":"Replace","path":"active","value":"True"}]"#
            )
            #expect(on["active"] == .bool(true))
            // With the flag: a path-less replace whose value has dotted keys.
            let renamed = try await client.patch(
                "/Users/\(id)",
                operations:
                    #"[{"op":"replace","value":{"name.givenName":"Augusta","name.familyName":"King","active":false}}]"#
            )
            #expect(renamed.status == .ok, "\(renamed.text)")
            #expect(renamed["name.givenName"]?.stringValue == "Augusta")
            #expect(renamed["name.familyName"]?.stringValue == "King")
            #expect(renamed["active"] == .bool(false))
            let read = try await client.get("/Users/\(id)")
            #expect(read["name.givenName"]?.stringValue == "Augusta")
            #expect(read["active"] == .bool(false))

            // A filtered replace of a work email the user does not have creates it.
            let bare = try await client.createUser(
                ScenarioUsers.json(
                    "no.mail",
                    given: "Grace",
                    family: "Hopper",
                    password: engine.capabilities.contains(.passwords) ? "Cobol-1959-Compiler" : nil
                )
            )
            let mailed = try await client.patch(
                "/Users/\(bare)",
                operations: #"[{"op":"Replace","path":"emails[type eq \"work\"].value","value":"grace@example.org"}]"#
            )
            #expect(mailed.status == .ok, "\(mailed.text)")
            let email = try #require(try await client.get("/Users/\(bare)")["emails"]?.arrayValue?.first?.objectValue)
            #expect(email["value"]?.stringValue == "grace@example.org")
            #expect(email["type"]?.stringValue == "work")
        }
    }

    @Test(arguments: ScenarioEngine.supporting(.users))
    func errorsAreSCIMErrors(engine: ScenarioEngine) async throws {
        try await ScenarioGateway.run(engine) { _, client in
            let id = try await client.createUser(ScenarioUsers.full("Grace.Hopper", engine: engine))
            let duplicate = try await client.post("/Users", ScenarioUsers.full("grace.HOPPER", engine: engine))
            expectSCIMError(duplicate, .conflict, scimType: "uniqueness")

            for unknown in ["987654321", UUID().uuidString] {
                let missing = try await client.get("/Users/\(unknown)")
                expectSCIMError(missing, .notFound)
                let patched = try await client.patch(
                    "/Users/\(unknown)",
                    operations: #"[{"op":"replace","path":"active","value":false}]"#
                )
                expectSCIMError(patched, .notFound)
            }

            let malformed = try await client.post("/Users", #"{"userName": "broken", "name": {"#)
            expectSCIMError(malformed, .badRequest, scimType: "invalidSyntax")
            let malformedPatch = try await client.request(.patch, "/Users/\(id)", json: "[1, 2")
            expectSCIMError(malformedPatch, .badRequest, scimType: "invalidSyntax")

            let unknownFilter = try await client.list(filter: #"shoeSize eq "42""#)
            expectSCIMError(unknownFilter, .badRequest, scimType: "invalidFilter", detailContains: ["shoeSize"])

            if !engine.capabilities.contains(.passwords) {
                let password = try await client.patch(
                    "/Users/\(id)",
                    operations: #"[{"op":"replace","path":"password","value":"New-Secret-2024"}]"#
                )
                expectSCIMError(password, .badRequest, scimType: "invalidValue", detailContains: ["password"])
            }
            if !engine.capabilities.contains(.fullFilters) {
                let contains = try await client.list(filter: #"userName co "grace""#)
                expectSCIMError(contains, .badRequest, scimType: "invalidFilter")
            }
        }
    }

    @Test(arguments: ScenarioEngine.supporting([.users, .sqlRows]))
    func tooLongValueNamesTheAttribute(engine: ScenarioEngine) async throws {
        try await ScenarioGateway.run(engine) { _, client in
            let long = String(repeating: "x", count: 61)
            let created = try await client.post("/Users", ScenarioUsers.json("long.name", given: long))
            expectSCIMError(created, .badRequest, scimType: "invalidValue", detailContains: ["givenName"])
            let id = try await client.createUser(ScenarioUsers.json("short.name"))
            let patched = try await client.patch(
                "/Users/\(id)",
                operations: #"[{"op":"replace","path":"name.givenName","value":"\#(long)"}]"#
            )
            expectSCIMError(patched, .badRequest, scimType: "invalidValue", detailContains: ["givenName"])
            #expect(try await client.get("/Users/\(id)")["name.givenName"]?.stringValue == "Ada")
        }
    }
}
