import Foundation
import SCIM
import SQLDrivers
import Testing

@testable import Backends

/// Scenarios whose SQL differs by engine: all-or-nothing creates, Chamilo 2.0's UUID ids and soft
/// delete, schema checks, errors the servers report.
@Suite struct SQLBackendDialectTests {
    @Test(arguments: Engine.available)
    func failedCreateLeavesNothingHalfWritten(engine: Engine) async throws {
        let fixture = try await ChamiloFixture.make(engine)
        defer { Task { await fixture.close() } }
        // The user row and its access URL link are written before the extra field values, whose
        // table is gone: the whole create must roll back.
        try await fixture.execute("DROP TABLE extra_field_values")
        await #expect(throws: SCIMError.self) {
            _ = try await fixture.backend.create(.user, attributes: userAttributes("half", externalId: "x"))
        }
        #expect(try await fixture.count("SELECT COUNT(*) FROM \"user\"") == 0)
        #expect(try await fixture.count("SELECT COUNT(*) FROM access_url_rel_user") == 0)
        // Extra field definitions are created, once each, in a transaction of their own before the write.
        #expect(try await fixture.count("SELECT COUNT(*) - COUNT(DISTINCT variable) FROM extra_field") == 0)
    }

    /// An operator removes an extra field definition (and its values) by hand while the backend still
    /// knows its key from earlier writes: the next create and the next replace write their values under a
    /// definition that exists (made again, once), never under the removed key, and neither fails.
    @Test(arguments: Engine.available)
    func definitionRemovedByHandIsMadeAgain(engine: Engine) async throws {
        let fixture = try await ChamiloFixture.make(engine)
        defer { Task { await fixture.close() } }
        let first = try await fixture.backend.create(.user, attributes: userAttributes("first", externalId: "ext-1"))
        #expect(try await fixture.extraFieldValue("scim_external_id", item: first.id) == "ext-1")

        let removedKey = try #require(
            try await fixture.execute(
                "SELECT id FROM extra_field WHERE variable = 'scim_external_id' AND extra_field_type = 1"
            ).first?.first?.integerValue
        )
        try await fixture.execute("DELETE FROM extra_field_values WHERE field_id = ?", [.integer(removedKey)])
        try await fixture.execute("DELETE FROM extra_field WHERE id = ?", [.integer(removedKey)])

        let second = try await fixture.backend.create(.user, attributes: userAttributes("second", externalId: "ext-2"))
        #expect(try await fixture.extraFieldValue("scim_external_id", item: second.id) == "ext-2")
        #expect(second.attributes["externalId"] == .string("ext-2"))
        let replaced = try await fixture.backend.replace(
            .user,
            id: first.id,
            attributes: userAttributes("first", externalId: "ext-1b"),
            ifMatch: nil
        )
        #expect(replaced.attributes["externalId"] == .string("ext-1b"))
        #expect(try await fixture.extraFieldValue("scim_external_id", item: first.id) == "ext-1b")
        #expect(
            try await fixture.count("SELECT COUNT(*) FROM extra_field WHERE variable = 'scim_external_id'") == 1
        )
        #expect(
            try await fixture.count(
                "SELECT COUNT(*) FROM extra_field_values WHERE field_id NOT IN (SELECT id FROM extra_field)"
            ) == 0
        )
    }

    @Test(arguments: Engine.available)
    func chamilo2UsersAreIdentifiedByUUIDAndSoftDeletedWithMinusTwo(engine: Engine) async throws {
        let fixture = try await ChamiloFixture.make(engine, schema: "chamilo-2", mapping: chamilo2Mapping())
        defer { Task { await fixture.close() } }
        let backend = fixture.backend
        var attributes = userAttributes("Marie.Curie", given: "Marie", family: "Curie", externalId: "entra-1")
        attributes["locale"] = .string("fr-FR")
        attributes["timezone"] = .string("Europe/Warsaw")
        let record = try await backend.create(.user, attributes: attributes)
        let uuid = try #require(UUID(uuidString: record.id))
        #expect(record.id == uuid.uuidString.lowercased())
        #expect(record.attributes["locale"] == .string("fr-FR"))
        #expect(record.attributes["timezone"] == .string("Europe/Warsaw"))

        let key = try #require(
            try await fixture.execute("SELECT id FROM \"user\" WHERE username = ?", [.text("Marie.Curie")])
                .first?.first?.integerValue
        )
        let row = try await fixture.userRow(String(key))
        #expect(row["locale"] == .text("fr_FR"))
        #expect(row["timezone"] == .text("Europe/Warsaw"))
        #expect(row["active"] == .integer(1))
        #expect(row["username_canonical"] == .text("marie.curie"))
        #expect(row["roles"] == .text("a:0:{}"))
        let hash = try #require(row["password"]?.textValue)
        #expect(hash.hasPrefix("$2y$"))
        #expect(PasswordHasher.verifyBcrypt("Secret-Pa55", hash: hash))
        let sources = try await fixture.execute(
            "SELECT authentication, url_id FROM user_auth_source WHERE user_id = ?",
            [.integer(key)]
        )
        #expect(sources == [[.text("platform"), .integer(1)]])
        #expect(
            try await fixture.count("SELECT COUNT(*) FROM access_url_rel_user WHERE user_id = ?", [.integer(key)]) == 1
        )

        #expect(try await backend.get(.user, id: record.id) == record)
        #expect(try await backend.get(.user, id: record.id.uppercased()).id == record.id)
        let byID = try await backend.search(
            .user,
            query: SearchQuery(filter: .comparison(AttributePath(name: "id"), .eq, .string(record.id)))
        )
        #expect(byID.resources.map(\.id) == [record.id])
        let notFound = await #expect(throws: SCIMError.self) { _ = try await backend.get(.user, id: String(key)) }
        #expect(notFound?.status == 404)

        try await backend.delete(.user, id: record.id, mode: .deactivate, ifMatch: nil)
        #expect(try await fixture.userRow(String(key))["active"] == .integer(-2))
        let gone = await #expect(throws: SCIMError.self) { _ = try await backend.get(.user, id: record.id) }
        #expect(gone?.status == 404)
        #expect(try await backend.search(.user, query: SearchQuery()).totalResults == 0)

        let revived = try await backend.create(.user, attributes: userAttributes("marie.curie", given: "Maria"))
        #expect(revived.id == record.id)
        #expect(try await fixture.userRow(String(key))["active"] == .integer(1))
        #expect(try await fixture.count("SELECT COUNT(*) FROM user_auth_source") == 1)
    }

    @Test(arguments: Engine.available)
    func verifyNamesMisspeltColumnsAndShortTypes(engine: Engine) async throws {
        var mapping = chamiloMapping()
        mapping.users.attributes["name.givenName"] = AttributeMapping(column: "firstnme", maxLength: 60)
        mapping.users.attributes["name.familyName"] = AttributeMapping(column: "lastname", maxLength: 80)
        let fixture = try await ChamiloFixture.make(engine, mapping: mapping)
        defer { Task { await fixture.close() } }
        let problems = await fixture.backend.verify(connect: true).filter { !$0.hasPrefix("note:") }
        #expect(problems.contains("tenant acme: table user has no column firstnme"))
        let short = problems.first { $0.contains("column lastname") }
        #expect(short?.hasPrefix("tenant acme: table user column lastname is ") == true)
        #expect(short?.hasSuffix("shorter than the 80 characters the mapping allows for name.familyName") == true)
        #expect(problems.count == 2)

        let healthy = try await ChamiloFixture.make(engine)
        defer { Task { await healthy.close() } }
        #expect(await healthy.backend.verify(connect: true).allSatisfy { $0.hasPrefix("note:") })
        let chamilo2 = try await ChamiloFixture.make(engine, schema: "chamilo-2", mapping: chamilo2Mapping())
        defer { Task { await chamilo2.close() } }
        #expect(await chamilo2.backend.verify(connect: true).allSatisfy { $0.hasPrefix("note:") })
    }

    @Test(arguments: Engine.servers)
    func valueTooLongForTheServerNamesTheAttribute(engine: Engine) async throws {
        // No maxLength in the mapping: the server's own limit is what stops the value.
        var mapping = chamiloMapping()
        mapping.users.attributes["name.givenName"] = AttributeMapping(column: "firstname")
        let fixture = try await ChamiloFixture.make(engine, mapping: mapping)
        defer { Task { await fixture.close() } }
        let error = await #expect(throws: SCIMError.self) {
            _ = try await fixture.backend.create(
                .user,
                attributes: userAttributes("long", given: String(repeating: "x", count: 61))
            )
        }
        #expect(error?.status == 400)
        #expect(error?.scimType == .invalidValue)
        if engine == .mariadb {
            #expect(error?.detail == "name.givenName is longer than the portal's database accepts (firstname).")
        }
        #expect(try await fixture.count("SELECT COUNT(*) FROM \"user\"") == 0)
    }

    @Test(arguments: Engine.available)
    func caseExactAttributesCompareLetterForLetter(engine: Engine) async throws {
        let fixture = try await ChamiloFixture.make(engine)
        defer { Task { await fixture.close() } }
        _ = try await fixture.backend.create(.user, attributes: userAttributes("exact", externalId: "AbC-1"))
        func matches(_ op: ComparisonOperator, _ value: String) async throws -> Int {
            try await fixture.backend.search(
                .user,
                query: SearchQuery(filter: .comparison(AttributePath(name: "externalId"), op, .string(value)))
            ).totalResults
        }
        #expect(try await matches(.eq, "AbC-1") == 1)
        #expect(try await matches(.eq, "abc-1") == 0)
        #expect(try await matches(.sw, "AbC") == 1)
        #expect(try await matches(.sw, "abc") == 0)
    }
}

@Suite struct SQLDialectUnitTests {
    @Test func likePatternsEscapeWildcardsWithTheExclamationMark() {
        #expect(LikePattern.make(.contains, "50%_off!") == "%50!%!_off!!%")
        #expect(LikePattern.make(.startsWith, "a") == "a%")
        #expect(LikePattern.make(.endsWith, "a") == "%a")
    }

    @Test func dialectsQuoteAndNumberPlaceholders() {
        let postgres = PostgreSQLDialect()
        let mysql = MySQLDialect()
        #expect(postgres.quote("user") == "\"user\"")
        #expect(mysql.quote("user") == "`user`")
        #expect(postgres.rewritePlaceholders("a = ? AND b = '?' AND c = ?") == "a = $1 AND b = '?' AND c = $2")
        #expect(mysql.rewritePlaceholders("a = ?") == "a = ?")
        #expect(postgres.caseInsensitiveComparison("t.\"username\"", "=") == "lower(t.\"username\") = lower(?)")
        #expect(mysql.caseInsensitiveComparison("t.`username`", "=") == "t.`username` = ?")
    }

    @Test func uuidsRoundTripAsTextAndAsSixteenBytes() throws {
        let uuid = try #require(UUID(uuidString: "2819C223-7F76-453A-919D-413861904646"))
        let text = "2819c223-7f76-453a-919d-413861904646"
        #expect(PostgreSQLDialect().uuidValue(uuid) == .text(text))
        let bytes = MySQLDialect().uuidValue(uuid)
        guard case .blob(let raw) = bytes else {
            Issue.record("expected 16 bytes, got \(bytes)")
            return
        }
        #expect(raw.count == 16 && raw.first == 0x28)
        #expect(MySQLDialect().uuidText(bytes) == text)
        #expect(SQLiteDialect().uuidText(.text(text.uppercased())) == text)
        #expect(SQLiteDialect().uuidText(.text("not a uuid")) == nil)
    }
}

/// The shipped chamilo-2 mapping, built in code (the YAML file is decoded by the Tenants module).
func chamilo2Mapping() -> Mapping {
    var mapping = chamiloMapping()
    mapping.name = "chamilo-2"
    mapping.groups = nil
    // Chamilo 2.0's extra field columns: item_type, value_type, auto_remove, field_value.
    mapping.extraFields = ExtraFieldStore(
        fieldItemType: "item_type",
        onCreateField: [
            "value_type": .constant(.integer(1)), "display_text": .fieldName, "auto_remove": .constant(.integer(0)),
            "created_at": .now,
        ],
        valueColumn: "field_value",
        onCreateValue: ["created_at": .now, "updated_at": .now],
        onUpdateValue: ["updated_at": .now]
    )
    var users = mapping.users
    users.id = IDColumn(column: "uuid")
    users.created = "created_at"
    users.attributes["name.givenName"] = AttributeMapping(column: "firstname", maxLength: 64)
    users.attributes["name.familyName"] = AttributeMapping(column: "lastname", maxLength: 64)
    users.attributes["phoneNumbers"] = AttributeMapping(column: "phone", maxLength: 64, select: .primaryOrWork)
    users.attributes["locale"] = AttributeMapping(
        column: "locale",
        maxLength: 10,
        values: ValueMap(entries: [
            .init(stored: .string("en_US"), scim: [.string("en-US"), .string("en")]),
            .init(stored: .string("fr_FR"), scim: [.string("fr-FR"), .string("fr")]),
        ]),
        onUnknown: .useDefault,
        defaultValue: .string("en_US")
    )
    users.attributes["timezone"] = AttributeMapping(
        column: "timezone",
        maxLength: 64,
        defaultValue: .string("Europe/Paris")
    )
    users.derived = ["username_canonical": .lowercased("userName"), "email_canonical": .lowercased("emails")]
    users.onCreate = [
        "created_at": .now, "roles": .constant(.string("a:0:{}")), "salt": .random(40),
        "locked": .constant(.integer(0)), "expired": .constant(.integer(0)),
        "credentials_expired": .constant(.integer(0)), "expiration_date": .constant(.null),
        "mfa_enabled": .constant(.integer(0)),
    ]
    users.copyKeyTo = []
    users.linkedRows.append(
        LinkedRow(
            table: "user_auth_source",
            keyColumn: "user_id",
            columns: [
                "authentication": .constant(.string("platform")),
                "url_id": .constant(.string("${settings.accessUrlId}")),
            ]
        )
    )
    users.softDelete = SoftDelete(set: [:], marker: .column("active", .integer(-2)))
    mapping.users = users
    return mapping
}
