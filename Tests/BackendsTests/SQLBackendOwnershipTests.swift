import Foundation
import SCIM
import SQLDrivers
import Testing

@testable import Backends

/// The ownership rules at the backend boundary: two portals' backends on one SQLite file.
@Suite struct SQLBackendOwnershipTests {
    static let ownership = Ownership(
        portalLink: "access_url_rel_user",
        administrators: [.row(table: "admin", keyColumn: "user_id")],
        systemAccounts: [.values(column: "status", [.integer(6)])]
    )

    /// A fixture on URL 1 and a second backend on URL 2 of the same database.
    static func install() async throws -> (ChamiloFixture, SQLBackend) {
        var mapping = chamiloMapping()
        mapping.ownership = ownership
        let fixture = try await ChamiloFixture.make(mapping: mapping)
        _ = try await fixture.execute(
            "INSERT INTO access_url (id, url, description, active, created_by) VALUES (2, 'https://two/', ' ', 1, 1)"
        )
        let second = try SQLBackend.sqlite(
            BackendConfiguration(
                tenantID: "beta",
                kind: "sqlite",
                path: fixture.path,
                settings: ["accessUrlId": "2"],
                mapping: mapping
            )
        )
        return (fixture, second)
    }

    static func error(_ body: () async throws -> Void) async -> SCIMError? {
        do {
            try await body()
            return nil
        } catch {
            return error as? SCIMError
        }
    }

    @Test func refusalsNameTheReasonAndChangeNothing() async throws {
        let (fixture, second) = try await Self.install()
        defer {
            Task {
                await fixture.close()
                await second.shutdown()
            }
        }
        let backend = fixture.backend
        let admin = try await backend.create(.user, attributes: userAttributes("admin1"))
        let teacher = try await backend.create(.user, attributes: userAttributes("teacher1"))
        let anonymous = try await backend.create(.user, attributes: userAttributes("anon1"))
        try await fixture.execute("INSERT INTO admin (user_id) VALUES (?)", [.integer(Int64(admin.id) ?? 0)])
        try await fixture.execute("UPDATE \"user\" SET status = 6 WHERE id = ?", [.integer(Int64(anonymous.id) ?? 0)])
        for id in [admin.id, teacher.id] {
            try await fixture.execute(
                "INSERT INTO access_url_rel_user (access_url_id, user_id) VALUES (2, ?)",
                [.integer(Int64(id) ?? 0)]
            )
        }
        let before = try await fixture.execute("SELECT * FROM \"user\" ORDER BY id")
        let cases: [(SQLBackend, String, Int, String?)] = [
            (backend, admin.id, 403, "platform administrator"), (second, admin.id, 403, "platform administrator"),
            (backend, teacher.id, 403, "shared with other portals"),
            (second, teacher.id, 403, "shared with other portals"),
            (backend, anonymous.id, 403, "system account"), (second, anonymous.id, 404, nil),
        ]
        for (target, id, status, reason) in cases {
            for mode in [DeprovisionMode.deactivate, .delete] {
                let refused = await Self.error { try await target.delete(.user, id: id, mode: mode, ifMatch: nil) }
                #expect(refused?.status == status)
                if let reason { #expect(refused?.detail.contains(reason) == true) }
            }
            let patched = await Self.error {
                _ = try await target.modify(.user, id: id, ifMatch: nil) { _ in userAttributes("renamed", password: "x")
                }
            }
            #expect(patched?.status == status)
        }
        #expect(try await fixture.execute("SELECT * FROM \"user\" ORDER BY id") == before)
        let report = try #require(await backend.verify(connect: true).first { $0.contains("read-only") })
        #expect(report.contains("3 of 3 visible users are read-only to SCIM (2 shared with other portals"))
    }

    @Test func onlyTheOwnerRevivesItsSoftDeletedUser() async throws {
        let (fixture, second) = try await Self.install()
        defer {
            Task {
                await fixture.close()
                await second.shutdown()
            }
        }
        let gone = try await fixture.backend.create(.user, attributes: userAttributes("gone1"))
        try await fixture.backend.delete(.user, id: gone.id, mode: .deactivate, ifMatch: nil)
        let taken = await Self.error { _ = try await second.create(.user, attributes: userAttributes("gone1")) }
        #expect(taken?.status == 409)
        #expect(taken?.scimType == .uniqueness)
        #expect(
            try await fixture.count(
                "SELECT COUNT(*) FROM access_url_rel_user WHERE user_id = ?",
                [.integer(Int64(gone.id) ?? 0)]
            )
                == 1
        )
        let revived = try await fixture.backend.create(.user, attributes: userAttributes("gone1"))
        #expect(revived.id == gone.id)
    }

    /// The check runs after the row lock, in the writing transaction: a link another portal adds while
    /// the write waits is seen, and the write is refused instead of slipping through.
    @Test(arguments: Engine.available)
    func aLinkAddedDuringTheWriteIsSeen(engine: Engine) async throws {
        var mapping = chamiloMapping()
        mapping.ownership = Self.ownership
        let fixture = try await ChamiloFixture.make(engine, mapping: mapping)
        defer { Task { await fixture.close() } }
        try await fixture.execute(
            "INSERT INTO access_url (id, url, description, active, created_by) VALUES (2, 'https://two/', ' ', 1, 1)"
        )
        let teacher = try await fixture.backend.create(.user, attributes: userAttributes("teacher2"))
        let key = try #require(Int64(teacher.id))
        let quoted = engine == .mariadb ? "`access_url_rel_user`" : "\"access_url_rel_user\""
        let other = Task {
            try await fixture.database.transaction { execute in
                _ = try execute("INSERT INTO \(quoted) (access_url_id, user_id) VALUES (2, ?)", [.integer(key)])
                Thread.sleep(forTimeInterval: 0.8)  // holds its locks while the gateway's write starts
                return true
            }
        }
        try await Task.sleep(for: .milliseconds(200))
        let refused = await Self.error {
            _ = try await fixture.backend.modify(.user, id: teacher.id, ifMatch: nil) { _ in
                userAttributes("teacher2", family: "Renamed")
            }
        }
        #expect(try await other.value)
        #expect(refused?.status == 403, "\(String(describing: refused))")
        #expect(refused?.detail.contains("shared with other portals") == true)
        let family = try await fixture.userRow(teacher.id)["lastname"]
        #expect(family == .text("Lovelace"))
    }
}
