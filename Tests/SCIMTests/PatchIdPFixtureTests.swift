import Foundation
import Testing

@testable import SCIM

/// Every request body under `Fixtures/<idp>/` gives the outcome its file states.
@Suite struct PatchIdPFixtureTests {
    @Test func everyIdentityProviderHasFixtures() throws {
        let files = IdPFixtureFile.all
        #expect(!files.isEmpty, "no fixture under \(IdPFixtureFile.folder.path)")
        #expect(Set(files.map(\.idp)).isSuperset(of: ["entra", "okta", "jumpcloud", "onelogin"]))
        let stray = try FileManager.default.contentsOfDirectory(atPath: IdPFixtureFile.folder.path)
            .flatMap { idp in
                let names = try FileManager.default.contentsOfDirectory(
                    atPath: IdPFixtureFile.folder.appendingPathComponent(idp).path
                )
                return names.filter { !$0.hasSuffix(".json") }.map { "\(idp)/\($0)" }
            }
        #expect(stray.isEmpty, "files that are not fixtures: \(stray)")
    }

    @Test(arguments: IdPFixtureFile.all)
    func requestGivesTheExpectedOutcome(file: IdPFixtureFile) throws {
        let fixture = try file.load()
        switch fixture.outcome {
        case .resource(let expected):
            let (resource, dropped) = try fixture.apply()
            #expect(resource == expected, "\(fixture.description)")
            if let expectedDropped = fixture.dropped {
                #expect(dropped == expectedDropped, "\(fixture.description)")
            }
        case .error(let status, let scimType):
            let error = capturedSCIMError { _ = try fixture.apply() }
            #expect(error?.status == status, "\(fixture.description)")
            #expect(error?.scimType?.rawValue == scimType, "\(fixture.description)")
        }
    }

    @Test(arguments: IdPFixtureFile.all)
    func applyingAPatchTwiceIsStable(file: IdPFixtureFile) throws {
        let fixture = try file.load()
        guard fixture.method == .patch, fixture.isIdempotent, case .resource = fixture.outcome else { return }
        let request = try PatchRequest.decode(fixture.request)
        let engine = PatchEngine(resourceType: fixture.kind.resourceType)
        let once = try engine.apply(request, to: fixture.before)
        #expect(try engine.apply(request, to: once) == once, "\(fixture.description)")
    }
}
