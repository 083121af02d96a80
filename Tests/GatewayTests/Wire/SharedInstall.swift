import Backends
import Foundation
import SCIM
import SQLDrivers
import Testing

/// A multi-URL Chamilo install behind one wire gateway: four tenants on one database, two per access
/// URL (`deprovision: deactivate` and `delete`), with a platform administrator and a teacher linked to
/// both URLs, an anonymous system account on URL 1, and users each portal owns.
struct SharedInstall: Sendable {
    /// The mapping the tenants use (`chamilo-1.11` or `chamilo-2`).
    let mapping: String
    let gateway: WireGateway

    /// Tenant ids: `<prefix>-1`, `<prefix>-1d` (URL 1), `<prefix>-2`, `<prefix>-2d` (URL 2).
    let prefix: String
    var one: String { "\(prefix)-1" }
    var oneDelete: String { "\(prefix)-1d" }
    var two: String { "\(prefix)-2" }
    var twoDelete: String { "\(prefix)-2d" }
    var all: [String] { [one, oneDelete, two, twoDelete] }
    var onURLOne: [String] { [one, oneDelete] }
    var onURLTwo: [String] { [two, twoDelete] }

    /// The four tenants of one shared store.
    static func tenants(prefix: String, engine: ScenarioEngine, mapping: String) -> [WireTenant] {
        [(1, DeprovisionMode.deactivate, ""), (1, .delete, "d"), (2, .deactivate, ""), (2, .delete, "d")].map {
            WireTenant(
                "\(prefix)-\($0.0)\($0.2)",
                engine: engine,
                mapping: mapping,
                accessUrlId: $0.0,
                deprovision: $0.1,
                store: "shared-\(prefix)"
            )
        }
    }

    var hasGroups: Bool { mapping == "chamilo-1.11" }

    // MARK: Requests

    func send(
        _ method: String,
        _ target: String,
        _ tenant: String,
        _ body: String? = nil
    ) async throws
        -> RawHTTPResponse
    {
        try await gateway.request(
            method,
            target,
            tenant: tenant,
            body: body,
            headers: body == nil ? [] : [("Content-Type", "application/scim+json")]
        )
    }

    /// Creates a user through SCIM and returns its id.
    func create(_ userName: String, on tenant: String, password: String = "Initial-Pw-1") async throws -> String {
        let response = try await send(
            "POST",
            "/scim/v2/Users",
            tenant,
            Self.userBody(userName, family: "Own", password: password)
        )
        try #require(response.status == 201, "POST \(userName) on \(tenant): \(response.status) \(response.body)")
        return try #require(response.json?.objectValue?["id"]?.stringValue)
    }

    static func userBody(_ userName: String, family: String, password: String? = nil) -> String {
        let secret = password.map { #","password":"\#($0)""# } ?? ""
        return #"{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"\#(userName)","#
            + #""name":{"givenName":"Shared","familyName":"\#(family)"},"emails":[{"value":"\#(userName)@example.org","#
            + #""type":"work","primary":true}],"active":true\#(secret)}"#
    }

    static func patchBody(_ path: String, _ value: String) -> String {
        #"{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"replace","#
            + #""path":"\#(path)","value":\#(value)}]}"#
    }

    // MARK: SQL

    func sql(_ text: String, _ binds: [SQLValue] = []) async throws -> [[SQLValue]] {
        try await gateway.sql(one, text, binds)
    }

    /// The integer key of a user row.
    func key(of userName: String) async throws -> Int64 {
        let rows = try await sql(#"SELECT "id" FROM "user" WHERE "username" = ?"#, [.text(userName)])
        return try #require(rows.first?.first?.wireKey, "no user row \(userName)")
    }

    /// Links a user to another access URL (creating the URL's row when the install lacks it).
    /// Adds the access URL's row when the install lacks it (a real install has one per portal).
    func addURL(_ url: Int64) async throws {
        if try await sql(#"SELECT "id" FROM "access_url" WHERE "id" = ?"#, [.integer(url)]).isEmpty {
            _ = try await sql(
                #"INSERT INTO "access_url" ("id", "url", "description", "active", "created_by") VALUES (?, ?, ' ', 1, 1)"#,
                [.integer(url), .text("https://portal\(url).example/")]
            )
        }
    }

    func link(_ userName: String, toURL url: Int64) async throws {
        try await addURL(url)
        _ = try await sql(
            #"INSERT INTO "access_url_rel_user" ("access_url_id", "user_id") VALUES (?, ?)"#,
            [.integer(url), .integer(try await key(of: userName))]
        )
    }

    /// Makes a user a platform administrator as the mapping's Chamilo version records it.
    func makeAdministrator(_ userName: String) async throws {
        let key = try await key(of: userName)
        if mapping == "chamilo-2" {
            _ = try await sql(
                #"UPDATE "user" SET "roles" = ? WHERE "id" = ?"#,
                [.text(#"a:2:{i:0;s:9:"ROLE_USER";i:1;s:10:"ROLE_ADMIN";}"#), .integer(key)]
            )
        } else {
            _ = try await sql(#"INSERT INTO "admin" ("user_id") VALUES (?)"#, [.integer(key)])
        }
    }

    /// Everything a refused write could touch, in a fixed order.
    func snapshot() async throws -> [String: [[SQLValue]]] {
        var tables = [
            "user": #"SELECT * FROM "user" ORDER BY "id""#,
            "access_url_rel_user": #"SELECT "access_url_id", "user_id" FROM "access_url_rel_user" ORDER BY 1, 2"#,
            "extra_field_values": #"SELECT * FROM "extra_field_values" ORDER BY "id""#,
            "admin": #"SELECT * FROM "admin" ORDER BY "id""#,
            "usergroup_rel_user": #"SELECT * FROM "usergroup_rel_user" ORDER BY "id""#,
        ]
        if mapping == "chamilo-2" {
            tables["user_auth_source"] = #"SELECT * FROM "user_auth_source" ORDER BY "id""#
        } else {
            tables["usergroup"] = #"SELECT * FROM "usergroup" ORDER BY "id""#
            tables["access_url_rel_usergroup"] = #"SELECT * FROM "access_url_rel_usergroup" ORDER BY "id""#
        }
        var result: [String: [[SQLValue]]] = [:]
        for (name, text) in tables { result[name] = try await sql(text) }
        return result
    }

    /// Expects the database unchanged since `before`, naming the table that moved.
    func expectUnchanged(since before: [String: [[SQLValue]]], _ what: String) async throws {
        let after = try await snapshot()
        for (table, rows) in before.sorted(by: { $0.key < $1.key }) {
            #expect(after[table] == rows, "\(what) changed \(table)")
        }
    }
}

extension SQLValue {
    /// An integer column's value (MariaDB and PostgreSQL may hand some back as text).
    var wireKey: Int64? {
        switch self {
        case .integer(let value): return value
        case .text(let text): return Int64(text)
        default: return nil
        }
    }
}
