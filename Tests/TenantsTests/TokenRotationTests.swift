import Foundation
import SCIM
import Synchronization
import Testing

@testable import Tenants

@Suite struct TokenRotationTests {
    private let start = Date(timeIntervalSince1970: 1_800_000_000)

    @Test func bothTokensWorkDuringTheGraceThenOnlyTheNewOne() async throws {
        let folder = try ConfigurationFolder()
        try folder.writeTenant("acme")
        let now = Locked(start)
        let clock: @Sendable () -> Date = { now.withLock { $0 } }
        let store = TokenStore(configDirectory: folder.path, now: clock)
        let old = try store.create(tenant: "acme", name: "entra", expiresIn: .seconds(86_400 * 30))
        now.withLock { $0 = start.addingTimeInterval(10.5) }

        let new = try store.rotate(tenant: "acme", name: "entra", grace: .seconds(60))

        #expect(new.record.name == "entra" && new.record.id != old.record.id)
        // The new token lives as long as the old one was made to; the grace is never cut short.
        #expect(new.record.expires == start.addingTimeInterval(10 + 86_400 * 30))
        let records = try store.list(tenant: "acme")
        #expect(records.first?.expires == start.addingTimeInterval(71))

        let directory = folder.makeDirectory(clock: clock)
        await directory.reload()
        #expect(directory.authenticate(bearerToken: old.token)?.tokenID == old.record.id)
        #expect(directory.authenticate(bearerToken: new.token)?.tokenID == new.record.id)
        now.withLock { $0 = start.addingTimeInterval(71) }
        #expect(directory.authenticate(bearerToken: old.token) == nil)
        #expect(directory.authenticate(bearerToken: new.token) != nil)
        #expect(throws: TokenError.self) { try store.create(tenant: "acme", name: "entra", expiresIn: nil) }
    }

    @Test func revokingTheNameDuringTheGraceRevokesBoth() throws {
        let folder = try ConfigurationFolder()
        try folder.writeTenant("acme")
        let store = TokenStore(configDirectory: folder.path)
        _ = try store.create(tenant: "acme", name: "entra", expiresIn: nil)
        _ = try store.rotate(tenant: "acme", name: "entra", grace: .seconds(3600))
        try store.revoke(tenant: "acme", name: "entra")
        #expect(try store.list(tenant: "acme").allSatisfy { $0.revoked != nil })
        #expect(throws: TokenError.self) { try store.rotate(tenant: "acme", name: "entra", grace: .seconds(1)) }
    }

    @Test func expiringCredentialsAndLastUseAreReported() async throws {
        let folder = try ConfigurationFolder()
        try folder.writeTenant("acme")
        let tokens = TokenStore(configDirectory: folder.path)
        let soon = try tokens.create(tenant: "acme", name: "soon", expiresIn: .seconds(86_400 * 3))
        _ = try tokens.create(tenant: "acme", name: "later", expiresIn: .seconds(86_400 * 60))
        let client = try OAuthClientStore(configDirectory: folder.path)
            .create(tenant: "acme", name: "entra", expiresIn: .seconds(86_400 * 10))
        let directory = folder.makeDirectory()
        await directory.reload()

        let expiring = directory.expiringCredentials(within: 14 * 86_400)
        #expect(expiring.map(\.id) == [soon.record.id, client.record.id])
        #expect(expiring.map(\.kind) == [.token, .client])

        #expect(directory.authenticate(bearerToken: soon.token) != nil)
        #expect(!FileManager.default.fileExists(atPath: "\(folder.path)/acme.usage"))
        directory.flushUsage()
        let stored = TenantFiles(configDirectory: folder.path).lastUsed(tenant: "acme")
        #expect(stored[soon.record.id] != nil)
        #expect(await directory.reloadIfChanged() == nil)
    }

    @Test func aFlushProblemIsWorthLoggingOnlyWhenItChanges() throws {
        let folder = try ConfigurationFolder()
        let usage = CredentialUsage(paths: ConfigurationPaths(folder.path))
        #expect(!usage.noteFlushProblems([]))
        #expect(usage.noteFlushProblems(["read-only"]))
        #expect(!usage.noteFlushProblems(["read-only"]))
        #expect(usage.noteFlushProblems([]))
        // A tenant without a tenant file is never written.
        usage.record(tenant: "gone", credential: "tok_1", at: Date())
        #expect(usage.flush().isEmpty)
        #expect(!FileManager.default.fileExists(atPath: "\(folder.path)/gone.usage"))
    }
}
