import Backends
import Foundation
import SCIM
import Testing

@testable import Tenants

/// The mapping files shipped in tenants.d/mappings decode, validate and build SQLite backends whose
/// schemas advertise what the portal can store.
@Suite struct ShippedMappingTests {
    static let mappingsFolder = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("tenants.d/mappings")

    @Test(arguments: ["chamilo-1.11", "chamilo-2"])
    func shippedMappingDecodesAndValidates(name: String) throws {
        let text = try String(
            contentsOf: Self.mappingsFolder.appendingPathComponent("\(name).yaml"),
            encoding: .utf8
        )
        let mapping = try decodeConfigurationFile(Mapping.self, from: text)
        try mapping.validate()
        #expect(mapping.name == name)
        #expect(mapping.users.attributes["userName"] != nil)
        #expect(mapping.users.unassignedExtraField != nil)
    }

    @Test func valueMapsAreAdvertisedAsCanonicalValues() throws {
        let text = try String(
            contentsOf: Self.mappingsFolder.appendingPathComponent("chamilo-1.11.yaml"),
            encoding: .utf8
        )
        let mapping = try decodeConfigurationFile(Mapping.self, from: text)
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("mapping-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let backend = try BackendRegistry.standard.makeBackend(
            BackendConfiguration(
                tenantID: "acme",
                kind: "sqlite",
                path: folder.appendingPathComponent("acme.sqlite").path,
                settings: ["accessUrlId": "1"],
                mapping: mapping
            )
        )
        let user = try #require(backend.schemas(for: .user).first { $0.id == SCIMSchemaURI.user })
        let userType = try #require(user.attribute(named: "userType"))
        #expect(userType.canonicalValues.contains("Teacher"))
        #expect(userType.canonicalValues.contains("Student"))
        #expect(!userType.canonicalValues.contains("teacher"))
        let locale = try #require(user.attribute(named: "locale"))
        #expect(locale.canonicalValues.contains("en"))
        #expect(user.attribute(named: "active")?.canonicalValues == [])
    }
}
