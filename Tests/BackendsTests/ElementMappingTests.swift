import Foundation
import SCIM
import SQLDrivers
import Testing

@testable import Backends

/// Element keys (`phoneNumbers[type eq "mobile"].value`): validated at load, one stored element per
/// type, a fallback for untyped elements, filters that hold for one element, and /Schemas.
@Suite struct ElementMappingTests {
    static let work = #"phoneNumbers[type eq "work"].value"#

    /// The test mapping with phones and the work address stored by type.
    static func mapping() -> Mapping {
        var mapping = chamiloMapping()
        mapping.users.attributes["phoneNumbers"] = nil
        mapping.users.attributes[work] = AttributeMapping(
            column: "phone",
            maxLength: 30,
            typeExtraField: "scim_phone_type",
            fallback: true
        )
        mapping.users.attributes[#"phoneNumbers[type eq "mobile"].value"#] = AttributeMapping(
            extraField: "scim_phone_mobile"
        )
        mapping.users.attributes[#"phoneNumbers[type eq "fax"].value"#] = AttributeMapping(extraField: "scim_phone_fax")
        mapping.users.attributes[#"addresses[type eq "work"].formatted"#] = AttributeMapping(
            column: "address",
            maxLength: 250
        )
        mapping.users.attributes[#"addresses[type eq "work"].locality"#] = AttributeMapping(extraField: "scim_locality")
        mapping.users.attributes["title"] = AttributeMapping(extraField: "scim_title")
        return mapping
    }

    private func problems(_ change: (inout Mapping) -> Void) -> String {
        var mapping = Self.mapping()
        change(&mapping)
        do {
            try mapping.validate()
            return ""
        } catch {
            return (error as? BackendConfigurationError)?.message ?? "\(error)"
        }
    }

    @Test func theTestMappingIsValid() throws {
        try Self.mapping().validate()
    }

    @Test func malformedElementKeysAreNamed() {
        let syntax = problems {
            $0.users.attributes[#"phoneNumbers[value eq "x"].value"#] = AttributeMapping(extraField: "x")
        }
        #expect(syntax.contains(#"expected ATTRIBUTE[type eq "TYPE"].SUBATTRIBUTE"#), "\(syntax)")
        let single = problems {
            $0.users.attributes[#"title[type eq "work"].value"#] = AttributeMapping(extraField: "x")
        }
        #expect(single.contains("title is not a multi-valued attribute"), "\(single)")
        let sub = problems {
            $0.users.attributes[#"addresses[type eq "home"].shoe"#] = AttributeMapping(extraField: "x")
        }
        #expect(sub.contains("shoe is not one of its sub-attributes"), "\(sub)")
        let type = problems {
            $0.users.attributes[#"addresses[type eq "home"].type"#] = AttributeMapping(extraField: "x")
        }
        #expect(type.contains("other than type"), "\(type)")
    }

    @Test func conflictingKeysAreNamed() {
        let both = problems { $0.users.attributes["phoneNumbers"] = AttributeMapping(column: "phone") }
        #expect(both.contains("map either the whole attribute or elements of it"), "\(both)")
        let twoFallbacks = problems {
            $0.users.attributes[#"phoneNumbers[type eq "fax"].value"#] = AttributeMapping(
                extraField: "f",
                fallback: true
            )
        }
        #expect(twoFallbacks.contains("fallback may be set for one element type only"), "\(twoFallbacks)")
        let typeField = problems {
            $0.users.attributes[#"phoneNumbers[type eq "fax"].value"#] = AttributeMapping(
                extraField: "f",
                typeExtraField: "t"
            )
        }
        #expect(typeField.contains("typeExtraField on an element key needs fallback: true"), "\(typeField)")
        let plain = problems { $0.users.attributes["title"] = AttributeMapping(extraField: "t", fallback: true) }
        #expect(plain.contains("fallback is only for element keys"), "\(plain)")
        let duplicate = problems {
            $0.users.attributes[#"phoneNumbers[type eq "FAX"].value"#] = AttributeMapping(extraField: "f2")
        }
        #expect(duplicate.contains("the same element sub-attribute as"), "\(duplicate)")
    }

    private static func phones(_ elements: [(type: String?, value: String)]) -> JSONValue {
        .array(
            elements.map { element in
                var object: JSONObject = ["value": .string(element.value)]
                if let type = element.type { object["type"] = .string(type) }
                return .object(object)
            }
        )
    }

    @Test(arguments: Engine.available)
    func eachTypeHasItsOwnStorage(engine: Engine) async throws {
        let fixture = try await ChamiloFixture.make(engine, mapping: Self.mapping())
        defer { Task { await fixture.close() } }
        var attributes = userAttributes("ann")
        attributes["phoneNumbers"] = Self.phones([("fax", "+3"), ("work", "+1"), ("mobile", "+2")])
        attributes["addresses"] = .array([
            .object(["type": .string("work"), "formatted": .string("1 Main St, Paris"), "locality": .string("Paris")])
        ])
        let created = try await fixture.backend.create(.user, attributes: attributes)
        let expectedPhones = Self.phones([("work", "+1"), ("mobile", "+2"), ("fax", "+3")])
        #expect(created.attributes["phoneNumbers"] == expectedPhones)
        #expect(created.attributes["addresses"] == attributes["addresses"])
        let row = try await fixture.userRow(created.id)
        #expect(row["phone"] == .text("+1"))
        #expect(row["address"] == .text("1 Main St, Paris"))
        #expect(try await fixture.extraFieldValue("scim_phone_mobile", item: created.id) == "+2")
        #expect(try await fixture.extraFieldValue("scim_phone_type", item: created.id) == nil)

        // A PATCH-style replacement without the mobile number clears only that element.
        let replaced = try await fixture.backend.replace(
            .user,
            id: created.id,
            attributes: attributes.setting("phoneNumbers", Self.phones([("work", "+1"), ("fax", "+4")])),
            ifMatch: nil
        )
        #expect(replaced.attributes["phoneNumbers"] == Self.phones([("work", "+1"), ("fax", "+4")]))
        #expect(try await fixture.extraFieldValue("scim_phone_mobile", item: created.id) == nil)
    }

    @Test(arguments: Engine.available)
    func theFallbackTakesUntypedAndUnmappedTypes(engine: Engine) async throws {
        let fixture = try await ChamiloFixture.make(engine, mapping: Self.mapping())
        defer { Task { await fixture.close() } }
        var untyped = userAttributes("untyped")
        untyped["phoneNumbers"] = Self.phones([(nil, "+10")])
        let first = try await fixture.backend.create(.user, attributes: untyped)
        #expect(first.attributes["phoneNumbers"] == Self.phones([("work", "+10")]))
        var pager = userAttributes("pager")
        pager["phoneNumbers"] = Self.phones([("pager", "+20"), ("mobile", "+21"), ("other", "+22")])
        let second = try await fixture.backend.create(.user, attributes: pager)
        #expect(second.attributes["phoneNumbers"] == Self.phones([("pager", "+20"), ("mobile", "+21")]))
        #expect(try await fixture.userRow(second.id)["phone"] == .text("+20"))
        #expect(try await fixture.extraFieldValue("scim_phone_type", item: second.id) == "pager")

        let byType = try await search(fixture, #"phoneNumbers[type eq "pager"]"#)
        #expect(byType == ["pager"])
        let workType = try await search(fixture, #"phoneNumbers[type eq "work"]"#)
        #expect(workType == ["untyped"])
    }

    private func search(
        _ fixture: ChamiloFixture,
        _ filter: String,
        sortBy: AttributePath? = nil
    ) async throws
        -> [String]
    {
        let result = try await fixture.backend.search(
            .user,
            query: SearchQuery(filter: try FilterParser.parse(filter), sortBy: sortBy)
        )
        return result.resources.compactMap { $0.attributes["userName"]?.stringValue }
    }

    @Test(arguments: Engine.available)
    func filtersHoldForOneElement(engine: Engine) async throws {
        let fixture = try await ChamiloFixture.make(engine, mapping: Self.mapping())
        defer { Task { await fixture.close() } }
        for (name, work, mobile, locality, title) in [
            ("ann", "+1", "+2", "Paris", "Dean"), ("bob", "+2", "+9", "Lyon", "Teacher"),
            ("cid", "+5", "+6", "Nice", "Assistant"),
        ] {
            var attributes = userAttributes(name)
            attributes["phoneNumbers"] = Self.phones([("work", work), ("mobile", mobile)])
            attributes["addresses"] = .array([.object(["type": .string("work"), "locality": .string(locality)])])
            attributes["title"] = .string(title)
            _ = try await fixture.backend.create(.user, attributes: attributes)
        }
        #expect(try await search(fixture, #"phoneNumbers[type eq "mobile" and value eq "+2"]"#) == ["ann"])
        #expect(try await search(fixture, #"phoneNumbers[type eq "work" and value eq "+2"]"#) == ["bob"])
        #expect(Set(try await search(fixture, #"phoneNumbers.value eq "+2""#)) == ["ann", "bob"])
        #expect(try await search(fixture, #"phoneNumbers[type eq "fax"]"#) == [])
        #expect(try await search(fixture, #"addresses.locality eq "LYON""#) == ["bob"])
        #expect(try await search(fixture, #"addresses[type eq "work" and locality sw "Ni"]"#) == ["cid"])
        #expect(try await search(fixture, #"not (phoneNumbers[type eq "mobile" and value eq "+2"])"#).count == 2)
        #expect(try await search(fixture, #"title pr"#, sortBy: AttributePath(name: "title")) == ["cid", "ann", "bob"])
        await #expect {
            _ = try await search(fixture, #"phoneNumbers.display eq "x""#)
        } throws: { ($0 as? SCIMError)?.scimType == .invalidFilter }
        await #expect {
            _ = try await search(
                fixture,
                "title pr",
                sortBy: AttributePath(name: "phoneNumbers", subAttribute: "value")
            )
        } throws: { ($0 as? SCIMError)?.status == 400 }
    }

    @Test func schemasListTheStoredSubAttributesAndTypes() throws {
        let fixture = try SQLBackend.sqlite(
            BackendConfiguration(
                tenantID: "t",
                kind: "sqlite",
                path: FileManager.default.temporaryDirectory.appendingPathComponent("unused-\(UUID()).sqlite").path,
                settings: ["accessUrlId": "1"],
                mapping: Self.mapping()
            )
        )
        let user = try #require(fixture.schemas(for: .user).first { $0.id == SCIMSchemaURI.user })
        let phones = try #require(user.attribute(named: "phoneNumbers"))
        #expect(Set(phones.subAttributes.map(\.name)) == ["value", "type"])
        let addresses = try #require(user.attribute(named: "addresses"))
        #expect(Set(addresses.subAttributes.map(\.name)) == ["formatted", "locality", "type"])
        #expect(addresses.subAttribute(named: "type")?.canonicalValues == ["work"])
        // The fallback remembers any type, so every canonical type stays advertised.
        #expect(phones.subAttribute(named: "type")?.canonicalValues.contains("pager") == true)
    }
}

extension JSONObject {
    /// A copy with one member replaced.
    func setting(_ key: String, _ value: JSONValue) -> JSONObject {
        var copy = self
        copy[key] = value
        return copy
    }
}

/// Chamilo has no unique key on `extra_field.variable`: concurrent first writes, from several gateway
/// processes at once, must still leave one definition per field.
@Suite struct ExtraFieldDefinitionRaceTests {
    @Test(arguments: Engine.available)
    func concurrentFirstCreatesLeaveOneDefinitionPerField(engine: Engine) async throws {
        let fixture = try await ChamiloFixture.make(engine, mapping: ElementMappingTests.mapping())
        defer { Task { await fixture.close() } }
        // Three backends on one database stand for three gateway nodes, each with its own memory.
        var backends = [fixture.backend]
        for _ in 0..<2 {
            let backend = try BackendRegistry.standard.makeBackend(fixture.configuration)
            backends.append(try #require(backend as? SQLBackend))
        }
        try await withThrowingTaskGroup(of: Void.self) { group in
            for index in 0..<12 {
                let backend = backends[index % backends.count]
                group.addTask {
                    var attributes = userAttributes("racer\(index)", externalId: "ext-\(index)")
                    attributes["title"] = .string("Runner \(index)")
                    _ = try await backend.create(.user, attributes: attributes)
                }
            }
            try await group.waitForAll()
        }
        for backend in backends.dropFirst() { await backend.shutdown() }
        let duplicated = try await fixture.execute(
            "SELECT variable, COUNT(*) FROM extra_field GROUP BY variable HAVING COUNT(*) > 1"
        )
        #expect(duplicated.isEmpty, "\(duplicated)")
        #expect(try await fixture.count("SELECT COUNT(*) FROM extra_field WHERE variable = 'scim_title'") == 1)
        #expect(try await fixture.count("SELECT COUNT(*) FROM \"user\" WHERE username LIKE 'racer%'") == 12)
    }
}

/// `sentValueExtraField`: a value-mapped attribute reads back as the client spelled it.
@Suite struct SentValueTests {
    static func mapping() -> Mapping {
        var mapping = chamiloMapping()
        mapping.users.attributes["locale"]?.sentValueExtraField = "scim_locale_sent"
        return mapping
    }

    @Test func needsAValueMap() {
        var mapping = Self.mapping()
        mapping.users.attributes["title"] = AttributeMapping(extraField: "scim_title", sentValueExtraField: "x")
        #expect {
            try mapping.validate()
        } throws: { error in
            (error as? BackendConfigurationError)?.message.contains("sentValueExtraField needs a value map") == true
        }
    }

    @Test(arguments: Engine.available)
    func spellingsReadBackAsSent(engine: Engine) async throws {
        let fixture = try await ChamiloFixture.make(engine, mapping: Self.mapping())
        defer { Task { await fixture.close() } }
        for (name, sent, readBack, kept) in [
            ("us", "en-US", "en-US", "en-US"), ("plain", "en", "en", nil), ("unknown", "xx-YY", "en", nil),
        ] {
            var attributes = userAttributes(name)
            attributes["locale"] = .string(sent)
            let created = try await fixture.backend.create(.user, attributes: attributes)
            #expect(created.attributes["locale"] == .string(readBack), "\(sent)")
            #expect(try await fixture.userRow(created.id)["language"] == .text("english"), "\(sent)")
            #expect(try await fixture.extraFieldValue("scim_locale_sent", item: created.id) == kept, "\(sent)")
        }
        // Chamilo changing the language makes the kept spelling stale: the stored value wins.
        let us = try #require(
            try await fixture.backend.search(
                .user,
                query: SearchQuery(filter: .comparison(AttributePath(name: "userName"), .eq, .string("us")))
            ).resources.first
        )
        try await fixture.execute("UPDATE \"user\" SET language = 'french' WHERE id = ?", [.integer(Int64(us.id) ?? 0)])
        #expect(try await fixture.backend.get(.user, id: us.id).attributes["locale"] == .string("fr"))
    }
}
