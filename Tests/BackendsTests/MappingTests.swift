import Foundation
import SCIM
import SQLDrivers
import Testing

@testable import Backends

@Suite struct MappingTests {
    @Test func shippedMappingIsValid() throws {
        try chamiloMapping().validate()
    }

    @Test func badIdentifierIsNamed() {
        var mapping = chamiloMapping()
        mapping.users.attributes["name.givenName"] = AttributeMapping(column: "first name; DROP")
        #expect {
            try mapping.validate()
        } throws: { error in
            let message = (error as? BackendConfigurationError)?.message ?? ""
            return message.contains("users") && message.contains("name.givenName")
                && message.contains("first name; DROP")
        }
    }

    @Test func unknownAttributeIsNamed() {
        var mapping = chamiloMapping()
        mapping.users.attributes["shoeSize"] = AttributeMapping(column: "shoe_size")
        #expect {
            try mapping.validate()
        } throws: { error in
            (error as? BackendConfigurationError)?.message.contains("attribute shoeSize: not an attribute") == true
        }
    }

    @Test func identifiers() {
        #expect(Mapping.isValidIdentifier("user"))
        #expect(Mapping.isValidIdentifier("_a1"))
        #expect(!Mapping.isValidIdentifier("1a"))
        #expect(!Mapping.isValidIdentifier("a-b"))
        #expect(!Mapping.isValidIdentifier(""))
        #expect(!Mapping.isValidIdentifier(String(repeating: "a", count: 65)))
        #expect(Mapping.isValidIdentifier(String(repeating: "a", count: 64)))
    }

    @Test func decodesTheYAMLShape() throws {
        // The same shapes the YAML file uses, written as JSON (the Tenants module decodes YAML).
        let json = """
            {
              "name": "mini",
              "extraFields": { "valueMaxLength": 255 },
              "users": {
                "table": "user",
                "extraFieldItemType": 1,
                "attributes": {
                  "userName": { "column": "username", "maxLength": 100 },
                  "active": { "column": "active", "values": { "1": [true], "0": false }, "default": 1 },
                  "locale": { "column": "language", "values": { "english": ["en", "en-US"] },
                              "onUnknown": "useDefault", "default": "english" },
                  "externalId": { "extraField": "scim_external_id" }
                },
                "derived": { "username_canonical": { "lower": "userName" }, "enabled": { "attribute": "active" } },
                "onCreate": { "registration_date": { "now": true }, "salt": { "random": 16 },
                              "roles": "a:0:{}", "expiration_date": null, "locked": 0 },
                "linkedRows": [ { "table": "access_url_rel_user", "keyColumn": "user_id",
                                  "columns": { "access_url_id": "${settings.accessUrlId}" } } ],
                "softDelete": { "set": { "active": 0 }, "marker": { "extraField": "scim_deprovisioned" } },
                "version": { "extraField": "scim_version" }
              }
            }
            """
        let mapping = try JSONDecoder().decode(Mapping.self, from: Data(json.utf8))
        try mapping.validate()
        #expect(mapping.users.key == "id")
        #expect(mapping.users.onCreate["registration_date"] == .now)
        #expect(mapping.users.onCreate["expiration_date"] == .constant(.null))
        #expect(mapping.users.onCreate["salt"] == .random(16))
        #expect(mapping.users.derived["username_canonical"] == .lowercased("userName"))
        let active = try #require(mapping.users.attribute("active")?.values)
        #expect(active.stored(for: .bool(true)) == .integer(1))
        #expect(active.scim(for: .integer(0)) == .bool(false))
        let locale = try #require(mapping.users.attribute("LOCALE")?.values)
        #expect(locale.stored(for: .string("EN-us")) == .string("english"))
        #expect(locale.scim(for: .string("english")) == .string("en"))
    }

    @Test func badValueSourceSaysWhatIsExpected() {
        let json = #"{ "name": "m", "users": { "table": "user", "onCreate": { "x": { "tomorrow": 1 } } } }"#
        #expect {
            _ = try JSONDecoder().decode(Mapping.self, from: Data(json.utf8))
        } throws: { error in
            String(describing: error).contains("{ now: true }")
        }
    }

    @Test func missingSettingIsAConfigurationError() {
        #expect(throws: BackendConfigurationError.self) {
            _ = try SQLBackend.sqlite(
                BackendConfiguration(
                    tenantID: "t",
                    kind: "sqlite",
                    path: "/tmp/x.sqlite",
                    settings: [:],
                    mapping: chamiloMapping()
                )
            )
        }
    }

    @Test func dateFormat() throws {
        let date = try #require(SQLDateFormat.date(from: "2024-02-29T23:59:58.123+01:00"))
        #expect(SQLDateFormat.string(from: date) == "2024-02-29 22:59:58")
        #expect(SQLDateFormat.storedText(fromSCIM: "1969-12-31T23:59:59Z") == "1969-12-31 23:59:59")
        #expect(SQLDateFormat.date(from: "yesterday") == nil)
    }
}
