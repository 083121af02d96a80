import HTTPTypes
import SCIM
import Testing

/// /ServiceProviderConfig and /ResourceTypes say what the engine's tenant supports.
@Suite struct DiscoveryScenarios {
    @Test(arguments: ScenarioEngine.supporting(.users))
    func discoveryFollowsCapabilities(engine: ScenarioEngine) async throws {
        try await ScenarioGateway.run(engine) { _, client in
            let config = try await client.get("/ServiceProviderConfig")
            #expect(config.status == .ok)
            let capabilities = engine.capabilities
            #expect(config["sort.supported"] == .bool(capabilities.contains(.sorting)))
            #expect(config["changePassword.supported"] == .bool(capabilities.contains(.passwords)))
            #expect(config["etag.supported"] == .bool(true))
            #expect(config["patch.supported"] == .bool(true))
            let types = try await client.get("/ResourceTypes")
            let names = Set(types.resources.compactMap { $0["name"]?.stringValue })
            #expect(names == (capabilities.contains(.groups) ? ["User", "Group"] : ["User"]))
            if !capabilities.contains(.groups) {
                expectSCIMError(try await client.get("/Groups"), .notFound)
            }
        }
    }
}
