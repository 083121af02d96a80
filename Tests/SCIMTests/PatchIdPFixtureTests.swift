import Testing

@testable import SCIM

@Suite struct PatchIdPFixtureTests {
    @Test(arguments: IdPFixtures.patches)
    func idpBodyGivesTheExpectedResource(fixture: IdPPatchFixture) throws {
        let request = try PatchRequest.decode(try FixtureJSON.parse(fixture.body))
        let engine = PatchEngine(resourceType: fixture.kind.resourceType)
        let result = try engine.apply(request, to: try FixtureJSON.object(fixture.before))
        #expect(result == (try FixtureJSON.object(fixture.after)))
    }

    @Test(arguments: IdPFixtures.patches)
    func applyingTwiceIsStableForIdempotentBodies(fixture: IdPPatchFixture) throws {
        let request = try PatchRequest.decode(try FixtureJSON.parse(fixture.body))
        let engine = PatchEngine(resourceType: fixture.kind.resourceType)
        let once = try engine.apply(request, to: try FixtureJSON.object(fixture.before))
        let twice = try engine.apply(request, to: once)
        #expect(twice == once)
    }
}
