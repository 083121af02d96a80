import Backends
import Foundation
import SQLDrivers
import Testing

@testable import Tenants

/// The `ownership:` section of a mapping file: decoded from YAML, checked at load with a message
/// naming the section and what is wrong, and shipped in both Chamilo mappings.
@Suite struct OwnershipMappingTests {
    static func shipped(_ name: String) throws -> String {
        try String(
            contentsOf: ShippedMappingTests.mappingsFolder.appendingPathComponent("\(name).yaml"),
            encoding: .utf8
        )
    }

    /// The shipped 1.11 mapping with its ownership section replaced by `section`.
    static func mapping(ownership section: String) throws -> Mapping {
        let text = try shipped("chamilo-1.11")
        let start = try #require(text.range(of: "\nownership:\n"))
        let end = try #require(text.range(of: "\n# Chamilo 1.11 classes.", range: start.upperBound..<text.endIndex))
        return try decodeConfigurationFile(
            Mapping.self,
            from: text.replacingCharacters(in: start.lowerBound..<end.lowerBound, with: "\n" + section)
        )
    }

    func problem(_ section: String) throws -> String {
        let mapping = try Self.mapping(ownership: section)
        do {
            try mapping.validate()
            return ""
        } catch let error as BackendConfigurationError {
            return error.message
        }
    }

    @Test func shippedMappingsSayWhatMarksAnAdministrator() throws {
        let old = try decodeConfigurationFile(Mapping.self, from: try Self.shipped("chamilo-1.11"))
        let ownership = try #require(old.ownership)
        #expect(ownership.portalLink == "access_url_rel_user")
        #expect(ownership.administrators == [.row(table: "admin", keyColumn: "user_id")])
        #expect(ownership.systemAccounts == [.values(column: "status", [.integer(6)])])
        let new = try decodeConfigurationFile(Mapping.self, from: try Self.shipped("chamilo-2"))
        let roles = try #require(new.ownership).administrators
        #expect(roles.contains(.contains(column: "roles", "\"ROLE_ADMIN\"")))
        #expect(roles.contains(.contains(column: "roles", "\"ROLE_GLOBAL_ADMIN\"")))
        #expect(roles.contains(.row(table: "admin", keyColumn: "user_id")))
        #expect(try #require(new.ownership).systemAccounts.isEmpty)
        #expect(try #require(new.ownership).excluded == [.values(column: "status", [.integer(6), .integer(99)])])
    }

    @Test func aPortalLinkThatIsNotALinkedRowIsNamed() throws {
        let message = try problem("ownership:\n  portalLink: access_url_rel_course\n")
        #expect(message.contains("ownership"))
        #expect(message.contains("portalLink 'access_url_rel_course' is not one of users.linkedRows"))
    }

    @Test func aBadMarkerNameIsNamed() throws {
        let message = try problem(
            "ownership:\n  portalLink: access_url_rel_user\n  administrators:\n    - { table: \"admin; --\", keyColumn: user_id }\n"
        )
        #expect(message.contains("ownership, administrators"))
        #expect(message.contains("admin; --"))
    }

    @Test func anEmptyValueListIsRefused() throws {
        let message = try problem(
            "ownership:\n  portalLink: access_url_rel_user\n  systemAccounts:\n    - { column: status, values: [] }\n"
        )
        #expect(message.contains("systemAccounts status"))
        #expect(message.contains("at least one value"))
    }

    @Test func aMarkerOfNoKnownFormIsADecodingError() {
        #expect(throws: (any Error).self) {
            try Self.mapping(
                ownership: "ownership:\n  portalLink: access_url_rel_user\n  administrators:\n    - { flag: 1 }\n"
            )
        }
        #expect(throws: (any Error).self) {
            try Self.mapping(
                ownership: "ownership:\n  portalLink: access_url_rel_user\n  administrators:\n    - { column: roles }\n"
            )
        }
    }
}
