import Foundation
import SCIM
import SQLDrivers
import Testing

@testable import Backends

@Suite struct SQLBackendUserTests {
    @Test(arguments: Engine.available)
    func createWritesEveryLoginPrerequisite(engine: Engine) async throws {
        let fixture = try await ChamiloFixture.make(engine)
        defer { Task { await fixture.close() } }
        var attributes = userAttributes("Ada.Lovelace", email: "Ada@Example.org", externalId: "9b2f-guid")
        attributes["emails"] = .array([.object(["value": .string("Ada@Example.org"), "type": .string("home")])])
        attributes["phoneNumbers"] = .array([
            .object(["value": .string("+1 555"), "type": .string("mobile")]),
            .object(["value": .string("+1 777"), "type": .string("work")]),
        ])
        attributes["locale"] = .string("fr-FR")
        let record = try await fixture.backend.create(.user, attributes: attributes)

        let row = try await fixture.userRow(record.id)
        #expect(row["username"] == .text("Ada.Lovelace"))
        #expect(row["username_canonical"] == .text("ada.lovelace"))
        #expect(row["email"] == .text("Ada@Example.org"))
        #expect(row["email_canonical"] == .text("ada@example.org"))
        #expect(row["firstname"] == .text("Ada"))
        #expect(row["lastname"] == .text("Lovelace"))
        #expect(row["phone"] == .text("+1 777"))
        #expect(row["language"] == .text("french"))
        #expect(row["status"] == .integer(5))
        #expect(row["active"] == .integer(1))
        #expect(row["enabled"] == .integer(1))
        #expect(row["registration_date"]?.textValue?.count == 19)
        #expect(row["roles"] == .text("a:0:{}"))
        #expect((row["salt"]?.textValue?.count ?? 0) == 32)
        #expect(row["auth_source"] == .text("platform"))
        #expect(row["locked"] == .integer(0))
        #expect(row["expired"] == .integer(0))
        #expect(row["credentials_expired"] == .integer(0))
        #expect(row["expiration_date"] == .null)
        #expect(row["user_id"] == row["id"])
        let hash = try #require(row["password"]?.textValue)
        #expect(hash.hasPrefix("$2y$04$"))
        #expect(PasswordHasher.verifyBcrypt("Secret-Pa55", hash: hash))
        #expect(!PasswordHasher.verifyBcrypt("wrong", hash: hash))
        let links = try await fixture.count(
            "SELECT COUNT(*) FROM access_url_rel_user WHERE access_url_id = 1 AND user_id = ?",
            [.integer(Int64(record.id) ?? 0)]
        )
        #expect(links == 1)
        #expect(try await fixture.extraFieldValue("scim_external_id", item: record.id) == "9b2f-guid")
        let field = try await fixture.execute(
            "SELECT extra_field_type, field_type, created_at FROM extra_field WHERE variable = 'scim_external_id'",
            []
        )
        #expect(field.first?[0] == .integer(1))
        #expect(field.first?[1] == .integer(1))
        #expect(field.first?[2].textValue?.isEmpty == false)

        // Read back: the email type the client sent, primary, the first locale key, no password.
        let read = try await fixture.backend.get(.user, id: record.id)
        #expect(read == record)
        let email = read.attributes["emails"]?.arrayValue?.first?.objectValue
        #expect(email?["value"] == .string("Ada@Example.org"))
        #expect(email?["type"] == .string("home"))
        #expect(email?["primary"] == .bool(true))
        #expect(read.attributes["locale"] == .string("fr"))
        #expect(read.attributes["userType"] == .string("Student"))
        #expect(read.attributes["active"] == .bool(true))
        #expect(read.attributes["externalId"] == .string("9b2f-guid"))
        #expect(read.attributes["password"] == nil)
        #expect(read.created != nil)
    }

    @Test(arguments: [("sha1", 40), ("md5", 32)])
    func legacyHashesUseTheSalt(algorithm: String, length: Int) async throws {
        let fixture = try await ChamiloFixture.make(settings: ["accessUrlId": "1", "passwordEncryption": algorithm])
        defer { Task { await fixture.close() } }
        let record = try await fixture.backend.create(.user, attributes: userAttributes("grace", password: "pw"))
        let row = try await fixture.userRow(record.id)
        let salt = try #require(row["salt"]?.textValue)
        let expected = PasswordHasher.hash(
            "pw",
            algorithm: algorithm == "md5" ? .md5 : .sha1,
            salt: salt,
            bcryptCost: 4
        )
        #expect(row["password"] == .text(expected))
        #expect(expected.count == length)
    }

    @Test func knownDigests() {
        #expect(
            PasswordHasher.hash("abc", algorithm: .md5, salt: "", bcryptCost: 4) == "900150983cd24fb0d6963f7d28e17f72"
        )
        #expect(
            PasswordHasher.hash("abc", algorithm: .sha1, salt: "", bcryptCost: 4)
                == "a9993e364706816aba3e25717850c26c9cd0d89d"
        )
        // md5("abc{xyz}")
        #expect(PasswordHasher.hash("abc", algorithm: .none, salt: "xyz", bcryptCost: 4) == "abc")
    }

    @Test(arguments: Engine.available)
    func duplicateUserNameInOtherCaseIsAConflict(engine: Engine) async throws {
        let fixture = try await ChamiloFixture.make(engine)
        defer { Task { await fixture.close() } }
        _ = try await fixture.backend.create(.user, attributes: userAttributes("jdoe"))
        let error = await #expect(throws: SCIMError.self) {
            _ = try await fixture.backend.create(.user, attributes: userAttributes("JDoe"))
        }
        #expect(error?.status == 409)
        #expect(error?.scimType == .uniqueness)
        #expect(try await fixture.count("SELECT COUNT(*) FROM \"user\"") == 1)
    }

    @Test(arguments: Engine.available)
    func tooLongValueNamesTheAttributeAndWritesNothing(engine: Engine) async throws {
        let fixture = try await ChamiloFixture.make(engine)
        defer { Task { await fixture.close() } }
        let error = await #expect(throws: SCIMError.self) {
            _ = try await fixture.backend.create(
                .user,
                attributes: userAttributes("long", given: String(repeating: "é", count: 61))
            )
        }
        #expect(error?.status == 400)
        #expect(error?.scimType == .invalidValue)
        #expect(error?.detail == "name.givenName is longer than 60 characters (firstname).")
        #expect(try await fixture.count("SELECT COUNT(*) FROM \"user\"") == 0)
    }

    @Test func failedCreateLeavesNothingHalfWritten() async throws {
        let fixture = try await ChamiloFixture.make()
        defer { Task { await fixture.close() } }
        // The linked row already exists for the id the insert will get: the insert of the link fails
        // after the user row was written, and the transaction must roll everything back.
        _ = try await fixture.database.execute("INSERT INTO access_url_rel_user VALUES (1, 1)", [])
        await #expect(throws: SCIMError.self) {
            _ = try await fixture.backend.create(.user, attributes: userAttributes("half", externalId: "x"))
        }
        #expect(try await fixture.count("SELECT COUNT(*) FROM \"user\"") == 0)
        #expect(try await fixture.count("SELECT COUNT(*) FROM extra_field_values") == 0)
    }

    @Test(arguments: Engine.available)
    func softDeleteHidesAndACreateRevives(engine: Engine) async throws {
        let fixture = try await ChamiloFixture.make(engine)
        defer { Task { await fixture.close() } }
        let backend = fixture.backend
        let record = try await backend.create(.user, attributes: userAttributes("leaver", given: "Old"))
        try await backend.delete(.user, id: record.id, mode: .deactivate, ifMatch: nil)

        let row = try await fixture.userRow(record.id)
        #expect(row["active"] == .integer(0))
        #expect(row["enabled"] == .integer(0))
        let missing = await #expect(throws: SCIMError.self) { _ = try await backend.get(.user, id: record.id) }
        #expect(missing?.status == 404)
        let search = try await backend.search(.user, query: SearchQuery(filter: nil))
        #expect(search.totalResults == 0)
        await #expect(throws: SCIMError.self) {
            try await backend.delete(.user, id: record.id, mode: .deactivate, ifMatch: nil)
        }

        let revived = try await backend.create(.user, attributes: userAttributes("LEAVER", given: "New"))
        #expect(revived.id == record.id)
        #expect(revived.attributes["name"]?.objectValue?["givenName"] == .string("New"))
        #expect(revived.attributes["userName"] == .string("LEAVER"))
        let after = try await fixture.userRow(record.id)
        #expect(after["active"] == .integer(1))
        #expect(after["enabled"] == .integer(1))
        #expect(try await fixture.count("SELECT COUNT(*) FROM \"user\"") == 1)
        #expect(try await backend.get(.user, id: record.id).id == record.id)
    }

    @Test(arguments: Engine.available)
    func deactivationByModifyStaysVisible(engine: Engine) async throws {
        let fixture = try await ChamiloFixture.make(engine)
        defer { Task { await fixture.close() } }
        let record = try await fixture.backend.create(.user, attributes: userAttributes("pause"))
        let updated = try await fixture.backend.modify(.user, id: record.id, ifMatch: nil) { current in
            var attributes = current.attributes
            attributes["active"] = .bool(false)
            return attributes
        }
        #expect(updated.attributes["active"] == .bool(false))
        #expect(try await fixture.userRow(record.id)["enabled"] == .integer(0))
        #expect(try await fixture.backend.get(.user, id: record.id).attributes["active"] == .bool(false))
    }

    @Test(arguments: Engine.available)
    func hardDeleteRemovesLinkedRows(engine: Engine) async throws {
        let fixture = try await ChamiloFixture.make(engine)
        defer { Task { await fixture.close() } }
        let record = try await fixture.backend.create(.user, attributes: userAttributes("gone", externalId: "e1"))
        let group = try await fixture.backend.create(
            .group,
            attributes: [
                "displayName": .string("Class A"), "members": .array([.object(["value": .string(record.id)])]),
            ]
        )
        #expect(group.attributes["members"]?.arrayValue?.count == 1)
        try await fixture.backend.delete(.user, id: record.id, mode: .delete, ifMatch: nil)
        let key = SQLValue.integer(Int64(record.id) ?? 0)
        #expect(try await fixture.count("SELECT COUNT(*) FROM \"user\"") == 0)
        #expect(try await fixture.count("SELECT COUNT(*) FROM access_url_rel_user WHERE user_id = ?", [key]) == 0)
        #expect(try await fixture.count("SELECT COUNT(*) FROM extra_field_values WHERE item_id = ?", [key]) == 0)
        #expect(try await fixture.count("SELECT COUNT(*) FROM usergroup_rel_user WHERE user_id = ?", [key]) == 0)
    }

    @Test(arguments: Engine.available)
    func versionChangesOnEveryModification(engine: Engine) async throws {
        let fixture = try await ChamiloFixture.make(engine)
        defer { Task { await fixture.close() } }
        let backend = fixture.backend
        let created = try await backend.create(.user, attributes: userAttributes("versioned"))
        var versions = [created.version]
        for index in 0..<3 {
            let next = try await backend.modify(.user, id: created.id, ifMatch: nil) { current in
                var attributes = current.attributes
                attributes["name"] = .object(["givenName": .string("G\(index)")])
                return attributes
            }
            versions.append(next.version)
        }
        let replaced = try await backend.replace(
            .user,
            id: created.id,
            attributes: userAttributes("versioned"),
            ifMatch: nil
        )
        versions.append(replaced.version)
        #expect(Set(versions).count == versions.count)
        let stale = await #expect(throws: SCIMError.self) {
            _ = try await backend.replace(
                .user,
                id: created.id,
                attributes: userAttributes("versioned"),
                ifMatch: versions[0]
            )
        }
        #expect(stale?.status == 412)
        let current = try await backend.get(.user, id: created.id)
        _ = try await backend.replace(
            .user,
            id: created.id,
            attributes: userAttributes("versioned"),
            ifMatch: current.version
        )
    }

    @Test(arguments: Engine.available)
    func concurrentModificationsLoseNothing(engine: Engine) async throws {
        let fixture = try await ChamiloFixture.make(engine)
        defer { Task { await fixture.close() } }
        let backend = fixture.backend
        let created = try await backend.create(.user, attributes: userAttributes("busy", given: ""))
        // 50 modifications at once, each adding its own character: a lost update would drop one.
        let letters = Array("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWX").map(String.init)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for letter in letters {
                group.addTask {
                    _ = try await backend.modify(.user, id: created.id, ifMatch: nil) { current in
                        // Each task appends its own letter: a lost update would drop one.
                        var attributes = current.attributes
                        var name = attributes["name"]?.objectValue ?? JSONObject()
                        name["givenName"] = .string((name["givenName"]?.stringValue ?? "") + letter)
                        attributes["name"] = .object(name)
                        return attributes
                    }
                }
            }
            try await group.waitForAll()
        }
        let final = try await backend.get(.user, id: created.id)
        let given = final.attributes["name"]?.objectValue?["givenName"]?.stringValue ?? ""
        #expect(given.count == 50)
        #expect(Set(given.map(String.init)) == Set(letters))
        #expect(Int(final.version) == Int(created.version).map { $0 + 50 })
    }

    @Test(arguments: Engine.available)
    func passwordIsKeptWhenAReplaceOmitsIt(engine: Engine) async throws {
        let fixture = try await ChamiloFixture.make(engine)
        defer { Task { await fixture.close() } }
        let created = try await fixture.backend.create(.user, attributes: userAttributes("keeper"))
        let before = try await fixture.userRow(created.id)["password"]
        _ = try await fixture.backend.replace(
            .user,
            id: created.id,
            attributes: userAttributes("keeper", password: nil),
            ifMatch: nil
        )
        #expect(try await fixture.userRow(created.id)["password"] == before)
        _ = try await fixture.backend.replace(
            .user,
            id: created.id,
            attributes: userAttributes("keeper", password: "N3w-secret"),
            ifMatch: nil
        )
        let hash = try #require(try await fixture.userRow(created.id)["password"]?.textValue)
        #expect(PasswordHasher.verifyBcrypt("N3w-secret", hash: hash))
    }

    @Test(arguments: Engine.available)
    func unknownValuesAreRejectedOrDefaulted(engine: Engine) async throws {
        let fixture = try await ChamiloFixture.make(engine)
        defer { Task { await fixture.close() } }
        var attributes = userAttributes("typed")
        attributes["userType"] = .string("Wizard")
        let error = await #expect(throws: SCIMError.self) {
            _ = try await fixture.backend.create(.user, attributes: attributes)
        }
        #expect(error?.detail.hasPrefix("userType 'Wizard' is not supported") == true)
        attributes["userType"] = .string("teacher")
        attributes["locale"] = .string("xx-YY")
        let record = try await fixture.backend.create(.user, attributes: attributes)
        let row = try await fixture.userRow(record.id)
        #expect(row["status"] == .integer(1))
        #expect(row["language"] == .text("english"))
        #expect(record.attributes["userType"] == .string("Teacher"))
    }

    @Test(arguments: Engine.available)
    func nonNumericIdsAreNotFound(engine: Engine) async throws {
        let fixture = try await ChamiloFixture.make(engine)
        defer { Task { await fixture.close() } }
        let error = await #expect(throws: SCIMError.self) {
            _ = try await fixture.backend.get(.user, id: "2819c223-7f76-453a-919d-413861904646")
        }
        #expect(error?.status == 404)
    }
}
