import Backends
import Foundation
import SCIM
import Synchronization
import Testing

@testable import Tenants

@Suite struct TenantDirectoryTests {
    @Test func loadsTenantsAndAuthenticatesTheirTokens() async throws {
        let folder = try ConfigurationFolder()
        try folder.writeTenant("acme", name: "ACME")
        try folder.writeTenant("globex", name: "Globex")
        let store = TokenStore(configDirectory: folder.path)
        let acme = try store.create(tenant: "acme", name: "entra", expiresIn: nil)
        let globex = try store.create(tenant: "globex", name: "okta", expiresIn: nil)

        let directory = folder.makeDirectory()
        #expect(await directory.reload() == [])
        #expect(directory.tenants.map(\.id) == ["acme", "globex"])

        let tenant = try #require(directory.tenant(id: "acme"))
        #expect(tenant.name == "ACME")
        #expect(tenant.mappingName == "chamilo-1.11")
        #expect(tenant.deprovision == .deactivate)
        #expect(tenant.rateLimit == .default)
        let backend = try #require(tenant.backend as? TestBackend)
        #expect(backend.configuration.tenantID == "acme")
        #expect(backend.configuration.settings == ["accessUrlId": "1"])
        #expect(backend.configuration.mapping.name == "chamilo-1.11")

        let signedIn = try #require(directory.authenticate(bearerToken: acme.token))
        #expect(signedIn.tenant.id == "acme")
        #expect(signedIn.tokenID == acme.record.id)
        #expect(directory.authenticate(bearerToken: globex.token)?.tenant.id == "globex")
        #expect(directory.authenticate(bearerToken: "sgw_unknown") == nil)
        #expect(directory.authenticate(bearerToken: "") == nil)
        #expect(directory.authenticate(bearerToken: acme.token + "x") == nil)
    }

    @Test func expiredAndRevokedTokensFail() async throws {
        let folder = try ConfigurationFolder()
        try folder.writeTenant("acme")
        let start = Date(timeIntervalSince1970: 1_800_000_000)
        let store = TokenStore(configDirectory: folder.path, now: { start })
        let shortLived = try store.create(tenant: "acme", name: "short", expiresIn: .seconds(3600))
        let revoked = try store.create(tenant: "acme", name: "old", expiresIn: nil)
        try store.revoke(tenant: "acme", name: "old")

        let now = Locked(start)
        let directory = folder.makeDirectory(clock: { now.withLock { $0 } })
        await directory.reload()
        #expect(directory.authenticate(bearerToken: shortLived.token) != nil)
        #expect(directory.authenticate(bearerToken: revoked.token) == nil)
        now.withLock { $0 = start.addingTimeInterval(3600) }
        #expect(directory.authenticate(bearerToken: shortLived.token) == nil)
    }

    @Test func aRevocationTakesEffectOnReload() async throws {
        let folder = try ConfigurationFolder()
        try folder.writeTenant("acme")
        let store = TokenStore(configDirectory: folder.path)
        let created = try store.create(tenant: "acme", name: "entra", expiresIn: nil)
        let directory = folder.makeDirectory()
        await directory.reload()
        #expect(directory.authenticate(bearerToken: created.token) != nil)

        try store.revoke(tenant: "acme", name: "entra")
        #expect(await directory.reloadIfChanged() == [])
        #expect(directory.authenticate(bearerToken: created.token) == nil)
        #expect(await directory.reloadIfChanged() == nil)
    }

    @Test func aDigestSharingTheLookupPrefixIsRejectedByTheFullComparison() async throws {
        let folder = try ConfigurationFolder()
        try folder.writeTenant("acme")
        let token = "sgw_" + String(repeating: "A", count: 43)
        var digest = TokenSecret.digest(of: token)
        digest[31] ^= 0xff
        let record = TokenRecord(
            id: "tok_forged",
            name: "forged",
            sha256: TokenSecret.hex(digest),
            created: Date(timeIntervalSince1970: 0)
        )
        try TokenFile(tokens: [record]).write(path: "\(folder.path)/acme.tokens")

        let directory = folder.makeDirectory()
        #expect(await directory.reload() == [])
        let candidates = directory.state.withLock { $0.tokenIndex[DirectoryState.indexKey(digest)] }
        #expect(candidates?.count == 1)
        #expect(directory.authenticate(bearerToken: token) == nil)
    }

    @Test func adminTokensComeFromTheirFileAndTheEnvironment() async throws {
        let folder = try ConfigurationFolder()
        let store = TokenStore(configDirectory: folder.path)
        let fromFile = try store.create(.admin, name: "ops", expiresIn: nil)
        let fromEnvironment = "sgw_environment-admin-token"
        let directory = folder.makeDirectory(environment: [
            TenantDirectory.adminTokenEnvironmentVariable: TokenSecret.hexDigest(of: fromEnvironment)
        ])
        #expect(await directory.reload() == [])
        #expect(directory.isAdminToken(fromFile.token))
        #expect(directory.isAdminToken(fromEnvironment))
        #expect(!directory.isAdminToken("sgw_other"))
        #expect(directory.authenticate(bearerToken: fromFile.token) == nil)

        try store.revoke(.admin, name: "ops")
        await directory.reload()
        #expect(!directory.isAdminToken(fromFile.token))

        let misconfigured = folder.makeDirectory(environment: [TenantDirectory.adminTokenEnvironmentVariable: "nope"])
        #expect(await misconfigured.reload().contains { $0.hasPrefix("SCIM_GATEWAY_ADMIN_TOKEN_SHA256: ") })
    }

    @Test func resolvesPasswordsFromTheEnvironmentAndFiles() async throws {
        let folder = try ConfigurationFolder()
        try folder.write(
            "fromenv.yaml",
            ConfigurationFolder.tenantYAML(id: "fromenv").replacingOccurrences(
                of: "  path: data/test.sqlite",
                with: "  path: data/test.sqlite\n  passwordEnv: FROMENV_PASSWORD"
            )
        )
        try folder.write("secret.txt", "s3cret\n")
        try folder.write(
            "fromfile.yaml",
            ConfigurationFolder.tenantYAML(id: "fromfile").replacingOccurrences(
                of: "  path: data/test.sqlite",
                with: "  path: data/test.sqlite\n  passwordFile: \(folder.path)/secret.txt"
            )
        )
        try folder.write(
            "unset.yaml",
            ConfigurationFolder.tenantYAML(id: "unset").replacingOccurrences(
                of: "  path: data/test.sqlite",
                with: "  path: data/test.sqlite\n  passwordEnv: UNSET_PASSWORD"
            )
        )
        try folder.write(
            "nofile.yaml",
            ConfigurationFolder.tenantYAML(id: "nofile").replacingOccurrences(
                of: "  path: data/test.sqlite",
                with: "  path: data/test.sqlite\n  passwordFile: \(folder.path)/missing.txt"
            )
        )
        let directory = folder.makeDirectory(environment: ["FROMENV_PASSWORD": "from-env"])
        let problems = await directory.reload()

        let fromEnvironment = try #require(directory.tenant(id: "fromenv")?.backend as? TestBackend)
        #expect(fromEnvironment.configuration.password == "from-env")
        let fromFile = try #require(directory.tenant(id: "fromfile")?.backend as? TestBackend)
        #expect(fromFile.configuration.password == "s3cret")
        #expect(directory.tenant(id: "unset") == nil)
        #expect(directory.tenant(id: "nofile") == nil)
        #expect(problems.count == 2)
        #expect(
            problems.contains {
                $0.hasSuffix("unset.yaml: backend.passwordEnv: environment variable UNSET_PASSWORD is not set")
            }
        )
        #expect(problems.contains { $0.contains("nofile.yaml: backend.passwordFile: cannot read") })
        #expect(!problems.joined().contains("s3cret"))
    }

    @Test func aChangedFileTakesEffectAndUnchangedBackendsAreKept() async throws {
        let folder = try ConfigurationFolder()
        try folder.writeTenant("acme", name: "ACME")
        try folder.writeTenant("globex")
        let directory = folder.makeDirectory()
        await directory.reload()
        let acmeBefore = try #require(directory.tenant(id: "acme")?.backend as? TestBackend)
        let globexBefore = try #require(directory.tenant(id: "globex")?.backend as? TestBackend)

        // A new name and rate limit only: the backend instance stays.
        try folder.write(
            "acme.yaml",
            ConfigurationFolder.tenantYAML(id: "acme", name: "ACME University", extra: "rateLimit: {perSecond: 5}")
        )
        #expect(await directory.reloadIfChanged() == [])
        let renamed = try #require(directory.tenant(id: "acme"))
        #expect(renamed.name == "ACME University")
        #expect(renamed.rateLimit == RateLimit(perSecond: 5, burst: 10))
        #expect(renamed.backend as? TestBackend === acmeBefore)
        #expect(!acmeBefore.isShutDown)

        // A new backend section: a new backend, and the old one is shut down.
        try folder.writeTenant("acme", name: "ACME University", backendPath: "data/other.sqlite")
        #expect(await directory.reloadIfChanged() == [])
        let rebuilt = try #require(directory.tenant(id: "acme")?.backend as? TestBackend)
        #expect(rebuilt !== acmeBefore)
        #expect(rebuilt.configuration.path == "data/other.sqlite")
        #expect(acmeBefore.isShutDown)
        #expect(directory.tenant(id: "globex")?.backend as? TestBackend === globexBefore)

        // A changed mapping rebuilds every tenant using it.
        try folder.write("mappings/chamilo-1.11.yaml", ConfigurationFolder.shippedMapping + "\n# revised\n")
        #expect(await directory.reloadIfChanged() == [])
        #expect(directory.tenant(id: "globex")?.backend as? TestBackend !== globexBefore)
        #expect(globexBefore.isShutDown)
    }

    @Test func aBrokenFileKeepsTheLastGoodConfigurationAndOthersAreUnaffected() async throws {
        let folder = try ConfigurationFolder()
        try folder.writeTenant("acme", name: "ACME")
        try folder.writeTenant("globex", name: "Globex")
        let store = TokenStore(configDirectory: folder.path)
        let acmeToken = try store.create(tenant: "acme", name: "entra", expiresIn: nil)
        let directory = folder.makeDirectory()
        await directory.reload()
        let acmeBackend = try #require(directory.tenant(id: "acme")?.backend as? TestBackend)

        try folder.write("acme.yaml", "id: acme\nname: [broken\n")
        try folder.writeTenant("globex", name: "Globex Corporation")
        let problems = await directory.reload()
        #expect(problems.count == 1)
        #expect(problems.first?.contains("acme.yaml: ") == true)

        let acme = try #require(directory.tenant(id: "acme"))
        #expect(acme.name == "ACME")
        #expect(acme.backend as? TestBackend === acmeBackend)
        #expect(!acmeBackend.isShutDown)
        #expect(directory.authenticate(bearerToken: acmeToken.token)?.tenant.id == "acme")
        #expect(directory.tenant(id: "globex")?.name == "Globex Corporation")

        // A backend that cannot be built, or reports problems, also keeps the last good one.
        try folder.writeTenant("acme", name: "ACME", backendPath: "refuse")
        let refused = await directory.reload()
        #expect(refused.contains { $0.contains("acme.yaml: backend: path: the test backend refuses this path") })
        #expect(directory.tenant(id: "acme")?.backend as? TestBackend === acmeBackend)
        try folder.writeTenant("acme", name: "ACME", backendPath: "unhealthy")
        #expect(await directory.reload().contains { $0.hasSuffix("acme.yaml: the test store is unhealthy") })
        #expect(directory.tenant(id: "acme")?.backend as? TestBackend === acmeBackend)

        // A broken token file keeps the last good tokens.
        try folder.write("acme.tokens", "{ not json")
        #expect(await directory.reload().contains { $0.contains("acme.tokens") })
        #expect(directory.authenticate(bearerToken: acmeToken.token) != nil)
    }

    @Test func aTenantNeverLoadedStaysAbsentWhileBroken() async throws {
        let folder = try ConfigurationFolder()
        try folder.write(
            "acme.yaml",
            ConfigurationFolder.tenantYAML(id: "acme").replacingOccurrences(of: "kind: test", with: "kind: mysq")
        )
        try folder.write("Bad.yaml", "id: bad\n")
        try folder.write("typo.yml", "id: typo\n")
        let directory = folder.makeDirectory()
        let problems = await directory.reload()
        #expect(directory.tenants.isEmpty)
        #expect(
            problems.contains {
                $0.hasSuffix("acme.yaml: backend.kind: unknown backend kind 'mysq'; expected one of: test")
            }
        )
        #expect(
            problems.contains {
                $0.hasSuffix("Bad.yaml: the file name is not a valid tenant id; expected [a-z0-9][a-z0-9-]{0,62}.yaml")
            }
        )
        #expect(problems.contains { $0.hasSuffix("typo.yml: ignored; tenant files end in .yaml") })
    }

    @Test func aMissingMappingIsReportedOnTheTenantsMappingKey() async throws {
        let folder = try ConfigurationFolder()
        try folder.write(
            "acme.yaml",
            ConfigurationFolder.tenantYAML(id: "acme").replacingOccurrences(of: "chamilo-1.11", with: "chamilo-9")
        )
        let problems = await folder.makeDirectory().reload()
        #expect(problems.count == 1)
        #expect(problems.first?.contains("acme.yaml: mapping: no mapping file ") == true)
        #expect(problems.first?.hasSuffix("mappings/chamilo-9.yaml") == true)
    }

    @Test func aRemovedFileRemovesTheTenantAndItsTokens() async throws {
        let folder = try ConfigurationFolder()
        try folder.writeTenant("acme")
        try folder.writeTenant("globex")
        let store = TokenStore(configDirectory: folder.path)
        let acmeToken = try store.create(tenant: "acme", name: "entra", expiresIn: nil)
        let globexToken = try store.create(tenant: "globex", name: "entra", expiresIn: nil)
        let directory = folder.makeDirectory()
        await directory.reload()
        let acmeBackend = try #require(directory.tenant(id: "acme")?.backend as? TestBackend)

        try folder.remove("acme.yaml")
        #expect(await directory.reloadIfChanged() == [])
        #expect(directory.tenant(id: "acme") == nil)
        #expect(directory.authenticate(bearerToken: acmeToken.token) == nil)
        #expect(acmeBackend.isShutDown)
        #expect(directory.authenticate(bearerToken: globexToken.token)?.tenant.id == "globex")
    }

    @Test func checkBuildsFreshBackendsAndChangesNothing() async throws {
        let folder = try ConfigurationFolder()
        try folder.writeTenant("acme", backendPath: "data/acme.sqlite")
        let directory = folder.makeDirectory()
        #expect(await directory.loadProblemsOnly(connect: false) == [])
        #expect(directory.tenants.isEmpty)
        let connected = await directory.loadProblemsOnly(connect: true)
        #expect(connected.count == 1)
        #expect(connected.first?.hasSuffix("acme.yaml: reached data/acme.sqlite") == true)
    }

    @Test func runWatchesUntilCancelledThenShutsBackendsDown() async throws {
        let folder = try ConfigurationFolder()
        try folder.writeTenant("acme")
        let directory = folder.makeDirectory()
        await directory.reload()
        let backend = try #require(directory.tenant(id: "acme")?.backend as? TestBackend)
        let service = Task { try await directory.run() }
        service.cancel()
        try await service.value
        #expect(backend.isShutDown)
        #expect(directory.tenants.isEmpty)
    }
}

/// A reload lets requests that started on a retired backend finish on it before it closes.
@Suite struct RetiredBackendDrainTests {
    @Test func aRetiredBackendClosesOnlyAfterItsLastRequest() async throws {
        let folder = try ConfigurationFolder()
        try folder.writeTenant("acme")
        let directory = folder.makeDirectory()
        await directory.reload()
        let before = try #require(directory.tenant(id: "acme"))
        let backend = try #require(before.backend as? TestBackend)
        let (started, startedSignal) = AsyncStream.makeStream(of: Void.self)
        let (release, releaseSignal) = AsyncStream.makeStream(of: Void.self)
        let request = Task {
            try await before.usage.use {
                startedSignal.yield()
                for await _ in release { break }
                return backend.isShutDown
            }
        }
        for await _ in started { break }
        try folder.writeTenant("acme", backendPath: "data/other.sqlite")
        #expect(await directory.reloadIfChanged() == [])
        #expect(directory.tenant(id: "acme")?.backend as? TestBackend !== backend)
        // The request in flight still has an open backend.
        #expect(!backend.isShutDown)
        releaseSignal.yield()
        #expect(try await request.value == false)
        for _ in 0..<100 where !backend.isShutDown {
            try await Task.sleep(for: .milliseconds(20))
        }
        #expect(backend.isShutDown)
    }
}
