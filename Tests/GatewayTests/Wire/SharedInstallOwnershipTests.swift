import Backends
import Foundation
import SCIM
import SQLDrivers
import Testing

/// Many portals in one Chamilo database, through the real executable on a real socket: each
/// portal's tenant changes only the users it owns. Both shipped mappings on every SQL engine, one
/// gateway per engine (eight tenants: four per mapping on a store of their own).
@Suite(.serialized) struct SharedInstallOwnershipTests {
    @Test(arguments: [ScenarioEngine.sqlite, .postgres, .mysql])
    func aPortalChangesOnlyWhatItOwns(engine: ScenarioEngine) async throws {
        let tenants =
            SharedInstall.tenants(prefix: "old", engine: engine, mapping: "chamilo-1.11")
            + SharedInstall.tenants(prefix: "new", engine: engine, mapping: "chamilo-2")
        try await WireGateway.run(tenants) { gateway in
            let installs = [
                SharedInstall(mapping: "chamilo-1.11", gateway: gateway, prefix: "old"),
                SharedInstall(mapping: "chamilo-2", gateway: gateway, prefix: "new"),
            ]
            var seeded: [SharedInstall.Seed] = []
            for install in installs { seeded.append(try await install.seed()) }
            try await checkReportsReadOnlyUsers(gateway, installs)
            for (install, seed) in zip(installs, seeded) {
                try await install.refusesEveryForeignWrite(seed)
                try await install.refusesThroughBulk(seed)
                try await install.searchShowsNoForeignUser(seed)
                if install.hasGroups { try await install.membersAreUsersTheTenantSees(seed) }
                try await install.ownUsersAreFullyManageable(seed)
            }
        }
    }

    /// `check --connect` names, per tenant, how many visible users are read-only and why.
    func checkReportsReadOnlyUsers(_ gateway: WireGateway, _ installs: [SharedInstall]) async throws {
        let result = try await gateway.cli(["check", "--connect"])
        #expect(result.status == 0, "check --connect: \(result.stdout) \(result.stderr)")
        print(result.stderr)
        for install in installs {
            // Chamilo 2.0's mapping excludes the anonymous account from SCIM: not visible, not counted.
            let urlOne =
                install.mapping == "chamilo-2"
                ? "2 of 3 visible users are read-only to SCIM (2 shared with other portals, "
                    + "1 platform administrator, 0 system accounts)"
                : "3 of 4 visible users are read-only to SCIM (2 shared with other portals, "
                    + "1 platform administrator, 1 system account)"
            for tenant in install.onURLOne {
                #expect(
                    result.stderr.contains("tenant \(tenant): \(urlOne)"),
                    "\(result.stderr)"
                )
            }
            for tenant in install.onURLTwo {
                #expect(
                    result.stderr.contains(
                        "tenant \(tenant): 2 of 3 visible users are read-only to SCIM (2 shared with other portals, "
                            + "1 platform administrator, 0 system accounts)"
                    ),
                    "\(result.stderr)"
                )
            }
        }
    }
}

extension SharedInstall {
    /// The users and groups of the scenario, by SCIM id.
    struct Seed: Sendable {
        var administrator: String
        var teacher: String
        var anonymous: String
        var ownOne: String
        var ownTwo: String
        /// URL 1's soft-deleted user.
        var goneOne: String
        var groupOne: String?
        var groupTwo: String?
        var names: [String: String]
    }

    func name(_ role: String) -> String { "\(prefix)-\(role)" }

    /// Users created as each portal would have them, then shared, made administrator or system account
    /// with SQL as Chamilo's own screens would; one class per portal (1.11).
    func seed() async throws -> Seed {
        try await addURL(2)
        var names: [String: String] = [:]
        func make(_ role: String, on tenant: String) async throws -> String {
            let id = try await create(name(role), on: tenant)
            names[id] = name(role)
            return id
        }
        let administrator = try await make("platform-admin", on: one)
        let teacher = try await make("two-portals", on: one)
        let anonymous = try await make("anonymous", on: one)
        let ownOne = try await make("own1", on: one)
        let ownTwo = try await make("own2", on: two)
        let goneOne = try await make("gone1", on: one)
        #expect(try await send("DELETE", "/scim/v2/Users/\(goneOne)", one).status == 204)
        for role in ["platform-admin", "two-portals"] { try await link(name(role), toURL: 2) }
        try await makeAdministrator(name("platform-admin"))
        _ = try await sql(
            #"UPDATE "user" SET "status" = 6 WHERE "id" = ?"#,
            [.integer(try await key(of: name("anonymous")))]
        )
        var seed = Seed(
            administrator: administrator,
            teacher: teacher,
            anonymous: anonymous,
            ownOne: ownOne,
            ownTwo: ownTwo,
            goneOne: goneOne,
            names: names
        )
        if hasGroups {
            seed.groupOne = try await createGroup("\(prefix) class one", members: [teacher, ownOne], on: one)
            seed.groupTwo = try await createGroup("\(prefix) class two", members: [teacher, ownTwo], on: two)
        }
        return seed
    }

    func createGroup(_ name: String, members: [String], on tenant: String) async throws -> String {
        let list = members.map { #"{"value":"\#($0)"}"# }.joined(separator: ",")
        let body =
            #"{"schemas":["urn:ietf:params:scim:schemas:core:2.0:Group"],"displayName":"\#(name)","members":[\#(list)]}"#
        let response = try await send("POST", "/scim/v2/Groups", tenant, body)
        try #require(response.status == 201, "POST group on \(tenant): \(response.status) \(response.body)")
        return try #require(response.json?.objectValue?["id"]?.stringValue)
    }

    /// What a tenant may not do to a user: (who, expected status, words the 403 detail must carry).
    func expectations(_ seed: Seed, tenant: String) -> [(id: String, status: Int, reason: String?)] {
        let urlOne = onURLOne.contains(tenant)
        // Chamilo 2.0's mapping excludes the anonymous account from SCIM altogether (404 everywhere).
        let seesAnonymous = urlOne && mapping != "chamilo-2"
        return [
            (seed.administrator, 403, "platform administrator"),
            (seed.teacher, 403, "shared with other portals"),
            (seed.anonymous, seesAnonymous ? 403 : 404, seesAnonymous ? "system account" : nil),
            (urlOne ? seed.ownTwo : seed.ownOne, 404, nil),
        ]
    }

    /// Every write method from every tenant on every foreign or shared user is refused, and not one
    /// row (password hash, active, names, links, memberships, extra fields) changes.
    func refusesEveryForeignWrite(_ seed: Seed) async throws {
        let before = try await snapshot()
        for tenant in all {
            for (id, status, reason) in expectations(seed, tenant: tenant) {
                let path = "/scim/v2/Users/\(id)"
                let name = seed.names[id] ?? id
                let attempts: [(String, String?)] = [
                    ("PUT", Self.userBody(name, family: "Hijacked", password: "Hijacked-Pw-1")),
                    ("PATCH", Self.patchBody("name.familyName", #""Hijacked""#)),
                    ("PATCH", Self.patchBody("password", #""Hijacked-Pw-1""#)),
                    ("PATCH", Self.patchBody("active", "false")),
                    ("DELETE", nil),
                ]
                for (method, body) in attempts {
                    let response = try await send(method, path, tenant, body)
                    #expect(
                        response.status == status,
                        "\(tenant) \(method) \(name): \(response.status) \(response.body)"
                    )
                    if let reason {
                        let detail = response.json?.objectValue?["detail"]?.stringValue ?? ""
                        #expect(detail.contains(reason), "\(tenant) \(method) \(name): \(detail)")
                        #expect(response.json?.objectValue?["status"]?.stringValue == "403")
                    }
                }
                let collision = try await send(
                    "POST",
                    "/scim/v2/Users",
                    tenant,
                    Self.userBody(name, family: "Hijacked", password: "Hijacked-Pw-1")
                )
                #expect(collision.status == 409, "\(tenant) POST \(name): \(collision.status) \(collision.body)")
                #expect(collision.json?.objectValue?["scimType"]?.stringValue == "uniqueness")
            }
        }
        // Only the owner revives its soft-deleted users.
        for tenant in onURLTwo {
            let revive = try await send(
                "POST",
                "/scim/v2/Users",
                tenant,
                Self.userBody(name("gone1"), family: "Taken", password: "Taken-Pw-1")
            )
            #expect(revive.status == 409, "\(tenant) revived URL 1's user: \(revive.status) \(revive.body)")
        }
        try await expectUnchanged(since: before, "a refused write")
    }

    /// The same rules, operation by operation, inside one Bulk request from each tenant.
    func refusesThroughBulk(_ seed: Seed) async throws {
        let before = try await snapshot()
        for tenant in all {
            let admin = seed.administrator
            let teacher = seed.teacher
            // URL 2 may not revive URL 1's soft-deleted user; URL 1 may not take URL 2's user's name.
            let foreign = onURLOne.contains(tenant) ? name("own2") : name("gone1")
            let operations = [
                #"{"method":"PUT","path":"/Users/\#(admin)","data":\#(Self.userBody(name("platform-admin"), family: "Bulk"))}"#,
                #"{"method":"PATCH","path":"/Users/\#(teacher)","data":\#(Self.patchBody("password", #""Bulk-Pw-1""#))}"#,
                #"{"method":"DELETE","path":"/Users/\#(teacher)"}"#,
                #"{"method":"DELETE","path":"/Users/\#(admin)"}"#,
                #"{"method":"POST","path":"/Users","bulkId":"b1","data":\#(Self.userBody(name("two-portals"), family: "Bulk"))}"#,
                #"{"method":"POST","path":"/Users","bulkId":"b2","data":\#(Self.userBody(foreign, family: "Bulk"))}"#,
            ]
            let body =
                #"{"schemas":["urn:ietf:params:scim:api:messages:2.0:BulkRequest"],"Operations":["#
                + operations.joined(separator: ",") + "]}"
            let response = try await send("POST", "/scim/v2/Bulk", tenant, body)
            #expect(response.status == 200, "\(tenant) Bulk: \(response.status) \(response.body)")
            let statuses = (response.json?.objectValue?["Operations"]?.arrayValue ?? []).map {
                $0.objectValue?["status"]?.stringValue ?? "?"
            }
            #expect(statuses == ["403", "403", "403", "403", "409", "409"], "\(tenant) Bulk: \(response.body)")
        }
        try await expectUnchanged(since: before, "a refused Bulk operation")
    }
}
