import Backends
import Foundation
import SCIM
import SQLDrivers
import Testing

extension SharedInstall {
    func totalResults(_ response: RawHTTPResponse) -> Int64? {
        if case .integer(let total)? = response.json?.objectValue?["totalResults"] { return total }
        return nil
    }

    func listedNames(_ response: RawHTTPResponse) -> Set<String> {
        Set(
            (response.json?.objectValue?["Resources"]?.arrayValue ?? []).compactMap {
                $0.objectValue?["userName"]?.stringValue
            }
        )
    }

    /// `/.search` (resource and root), filters and lists never show another portal's users; shared
    /// users are visible (read is allowed) to both.
    func searchShowsNoForeignUser(_ seed: Seed) async throws {
        for tenant in all {
            let foreign = onURLOne.contains(tenant) ? name("own2") : name("own1")
            let own = onURLOne.contains(tenant) ? name("own1") : name("own2")
            for path in ["/scim/v2/Users/.search", "/scim/v2/.search"] {
                let body =
                    #"{"schemas":["urn:ietf:params:scim:api:messages:2.0:SearchRequest"],"#
                    + #""filter":"userName eq \"\#(foreign)\" or userName eq \"\#(name("gone1"))\""}"#
                let response = try await send("POST", path, tenant, body)
                #expect(response.status == 200, "\(tenant) \(path): \(response.status) \(response.body)")
                #expect(totalResults(response) == 0, "\(tenant) \(path) showed: \(response.body)")
            }
            let everyone = try await send(
                "POST",
                "/scim/v2/Users/.search",
                tenant,
                #"{"schemas":["urn:ietf:params:scim:api:messages:2.0:SearchRequest"],"count":100}"#
            )
            let names = listedNames(everyone)
            #expect(
                names.isSuperset(of: [own, name("platform-admin"), name("two-portals")]),
                "\(tenant) listed \(names): \(everyone.body.prefix(300))"
            )
            #expect(!names.contains(foreign) && !names.contains(name("gone1")), "\(tenant) listed \(names)")
            let filtered = try await send("GET", "/scim/v2/Users?filter=userName+eq+%22\(foreign)%22", tenant)
            #expect(totalResults(filtered) == 0, "\(tenant) filter showed: \(filtered.body)")
            let byID = try await send(
                "GET",
                "/scim/v2/Users/\(onURLOne.contains(tenant) ? seed.ownTwo : seed.ownOne)",
                tenant
            )
            #expect(byID.status == 404)
        }
    }

    /// A portal's own users: PUT, PATCH (password too), soft delete and revive by the owner, hard
    /// delete that removes the user's rows and leaves every other user's links.
    func ownUsersAreFullyManageable(_ seed: Seed) async throws {
        let path = "/scim/v2/Users/\(seed.ownOne)"
        let key = try await key(of: name("own1"))
        func password() async throws -> SQLValue? {
            try await sql(#"SELECT "password" FROM "user" WHERE "id" = ?"#, [.integer(key)]).first?.first
        }
        let put = try await send("PUT", path, one, Self.userBody(name("own1"), family: "Replaced"))
        #expect(put.status == 200, "PUT own: \(put.status) \(put.body)")
        let hashed = try await password()
        let patch = try await send("PATCH", path, one, Self.patchBody("password", #""Changed-Pw-2""#))
        #expect([200, 204].contains(patch.status), "PATCH password: \(patch.status) \(patch.body)")
        #expect(try await password() != hashed, "the owner's password change must rehash")
        let rename = try await send("PATCH", path, one, Self.patchBody("name.familyName", #""Patched""#))
        #expect([200, 204].contains(rename.status))
        #expect(try await send("DELETE", path, one).status == 204)
        #expect(try await send("GET", path, one).status == 404)
        let revived = try await send("POST", "/scim/v2/Users", one, Self.userBody(name("own1"), family: "Back"))
        #expect(revived.status == 201, "the owner revives: \(revived.status) \(revived.body)")
        #expect(revived.json?.objectValue?["id"]?.stringValue == seed.ownOne)
        #expect(try await self.key(of: name("own1")) == key)

        // Hard delete by URL 2's delete tenant of its own user: the row and its links go, nothing else.
        let shared = try await links(of: [name("platform-admin"), name("two-portals")])
        let ownTwo = try await self.key(of: name("own2"))
        #expect(try await send("DELETE", "/scim/v2/Users/\(seed.ownTwo)", twoDelete).status == 204)
        #expect(try await sql(#"SELECT "id" FROM "user" WHERE "id" = ?"#, [.integer(ownTwo)]).isEmpty)
        #expect(
            try await sql(#"SELECT "user_id" FROM "access_url_rel_user" WHERE "user_id" = ?"#, [.integer(ownTwo)])
                .isEmpty
        )
        #expect(
            try await sql(#"SELECT "user_id" FROM "usergroup_rel_user" WHERE "user_id" = ?"#, [.integer(ownTwo)])
                .isEmpty
        )
        #expect(try await links(of: [name("platform-admin"), name("two-portals")]) == shared)
        // And URL 1's delete tenant removes a user it owns.
        let temporary = try await create(name("temp1"), on: oneDelete)
        #expect(try await send("DELETE", "/scim/v2/Users/\(temporary)", oneDelete).status == 204)
        #expect(try await sql(#"SELECT "id" FROM "user" WHERE "username" = ?"#, [.text(name("temp1"))]).isEmpty)
        #expect(try await links(of: [name("platform-admin"), name("two-portals")]) == shared)
    }

    /// The access URL links of some users, sorted.
    func links(of userNames: [String]) async throws -> [[SQLValue]] {
        var result: [[SQLValue]] = []
        for userName in userNames {
            result += try await sql(
                #"SELECT "access_url_id", "user_id" FROM "access_url_rel_user" WHERE "user_id" = ? ORDER BY 1"#,
                [.integer(try await key(of: userName))]
            )
        }
        return result
    }

    func members(of group: String, on tenant: String) async throws -> Set<String> {
        let response = try await send("GET", "/scim/v2/Groups/\(group)", tenant)
        return Set(
            (response.json?.objectValue?["members"]?.arrayValue ?? []).compactMap {
                $0.objectValue?["value"]?.stringValue
            }
        )
    }

    /// Group members are users the tenant sees: a soft-deleted member leaves the portal's classes and
    /// blocks no later change; a revive brings back only what the IdP sends; memberships of users the
    /// tenant does not see are neither listed nor removed.
    func membersAreUsersTheTenantSees(_ seed: Seed) async throws {
        let groupOne = try #require(seed.groupOne)
        let groupTwo = try #require(seed.groupTwo)
        await #expect(try members(of: groupOne, on: one) == [seed.teacher, seed.ownOne])
        let outsider = try await create(name("class-member"), on: one)
        #expect(try await send("DELETE", "/scim/v2/Users/\(seed.ownOne)", one).status == 204)
        await #expect(try members(of: groupOne, on: one) == [seed.teacher])
        let add = try await send(
            "PATCH",
            "/scim/v2/Groups/\(groupOne)",
            one,
            #"{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"add","#
                + #""path":"members","value":[{"value":"\#(outsider)"}]}]}"#
        )
        #expect([200, 204].contains(add.status), "PATCH after a member's soft delete: \(add.status) \(add.body)")
        await #expect(try members(of: groupOne, on: one) == [seed.teacher, outsider])
        let revived = try await send("POST", "/scim/v2/Users", one, Self.userBody(name("own1"), family: "Again"))
        #expect(revived.status == 201)
        await #expect(
            try members(of: groupOne, on: one) == [seed.teacher, outsider],
            "a revive must not restore classes"
        )

        // A user of URL 2 put into URL 1's class by hand: not listed, and kept by URL 1's PUT.
        let stranger = try await create(name("stranger2"), on: two)
        let groupKey = try #require(Int64(groupOne))
        _ = try await sql(
            #"INSERT INTO "usergroup_rel_user" ("usergroup_id", "user_id", "relation_type") VALUES (?, ?, 0)"#,
            [.integer(groupKey), .integer(try await key(of: name("stranger2")))]
        )
        await #expect(try members(of: groupOne, on: one) == [seed.teacher, outsider])
        let replace = try await send(
            "PUT",
            "/scim/v2/Groups/\(groupOne)",
            one,
            #"{"schemas":["urn:ietf:params:scim:schemas:core:2.0:Group"],"displayName":"\#(prefix) class one","#
                + #""members":[{"value":"\#(seed.teacher)"},{"value":"\#(stranger)"}]}"#
        )
        #expect(replace.status == 200, "PUT group: \(replace.status) \(replace.body)")
        await #expect(try members(of: groupOne, on: one) == [seed.teacher])
        let newcomer = try await create(name("newcomer2"), on: two)
        let foreign = try await send(
            "PATCH",
            "/scim/v2/Groups/\(groupOne)",
            one,
            #"{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"add","#
                + #""path":"members","value":[{"value":"\#(newcomer)"}]}]}"#
        )
        #expect(foreign.status == 400, "another portal's user became a member: \(foreign.body)")
        let strangerRows = try await sql(
            #"SELECT "user_id" FROM "usergroup_rel_user" WHERE "usergroup_id" = ? AND "user_id" = ?"#,
            [.integer(groupKey), .integer(try await key(of: name("stranger2")))]
        )
        #expect(strangerRows.count == 1, "URL 1's PUT removed a membership of a user it does not see")
        await #expect(try members(of: groupTwo, on: two).contains(seed.teacher))
    }
}
