import Foundation
import SCIM
import Synchronization
import Testing

@testable import Tenants

@Suite struct OAuthClientTests {
    private let start = Date(timeIntervalSince1970: 1_800_000_000)

    @Test func createStoresOnlyTheSecretsHashAndMakesTheSigningKey() throws {
        let folder = try ConfigurationFolder()
        try folder.writeTenant("acme")
        let store = OAuthClientStore(configDirectory: folder.path, now: { [start] in start })

        let issued = try store.create(tenant: "acme", name: "entra", expiresIn: .seconds(730 * 86_400))

        #expect(issued.record.id.hasPrefix("cli_") && issued.record.id.count == 24)
        #expect(issued.secret.hasPrefix("sgwcs_") && issued.secret.count == 6 + 43)
        #expect(issued.secretRecord.sha256 == TokenSecret.hexDigest(of: issued.secret))
        #expect(issued.secretRecord.expires == start.addingTimeInterval(730 * 86_400))
        let text = try String(contentsOfFile: "\(folder.path)/acme.clients", encoding: .utf8)
        #expect(!text.contains(issued.secret))
        #expect(text.contains(issued.secretRecord.sha256))
        for file in ["acme.clients", SigningKeyStore.fileName] {
            let attributes = try FileManager.default.attributesOfItem(atPath: "\(folder.path)/\(file)")
            #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)
        }
        #expect(try store.list(tenant: "acme") == [issued.record])
        #expect(throws: TokenError.self) { try store.create(tenant: "acme", name: "entra", expiresIn: nil) }
        #expect(throws: TokenError.self) { try store.create(tenant: "nobody", name: "entra", expiresIn: nil) }
    }

    @Test func rotationKeepsTheOldSecretUntilTheGraceEnds() throws {
        let folder = try ConfigurationFolder()
        try folder.writeTenant("acme")
        let now = Locked(start)
        let store = OAuthClientStore(configDirectory: folder.path, now: { now.withLock { $0 } })
        let first = try store.create(tenant: "acme", name: "entra", expiresIn: .seconds(86_400 * 365))
        now.withLock { $0 = start.addingTimeInterval(100) }

        let second = try store.rotate(tenant: "acme", name: "entra", grace: .seconds(3600))

        #expect(second.record.id == first.record.id)
        #expect(second.secret != first.secret)
        let client = try #require(try store.list(tenant: "acme").first)
        #expect(client.secrets.count == 2)
        #expect(client.secrets[0].expires == start.addingTimeInterval(3700))
        #expect(client.secrets[1].expires == start.addingTimeInterval(100 + 86_400 * 365))
        #expect(client.activeSecrets(at: start.addingTimeInterval(3699)).count == 2)
        #expect(client.activeSecrets(at: start.addingTimeInterval(3700)).map(\.id) == [second.secretRecord.id])
        #expect(throws: TokenError.self) { try store.rotate(tenant: "acme", name: "nobody", grace: .seconds(1)) }
    }

    @Test func accessTokensVerifyOnlyWithTheirKeyAndUntilTheyExpire() throws {
        let key = SigningKey(id: "key_a", secret: TokenSecret.base64URL(Array(repeating: 7, count: 32)), created: start)
        let other = SigningKey(
            id: "key_a",
            secret: TokenSecret.base64URL(Array(repeating: 8, count: 32)),
            created: start
        )
        let claims = AccessTokenClaims(
            sub: "cli_1",
            tenant: "acme",
            sid: "sec_1",
            iat: 1_800_000_000,
            exp: 1_800_003_600,
            jti: "j"
        )
        let token = try AccessToken.sign(claims, with: key)

        #expect(AccessToken.looksLikeAccessToken(token))
        #expect(!AccessToken.looksLikeAccessToken("sgw_abc"))
        #expect(AccessToken.verify(token, keys: [key], at: start) == .success(claims))
        #expect(AccessToken.verify(token, keys: [other], at: start) == .failure(.badSignature))
        #expect(AccessToken.verify(token, keys: [], at: start) == .failure(.unknownKey))
        #expect(AccessToken.verify(token, keys: [key], at: start.addingTimeInterval(3600)) == .failure(.expired))

        var parts = token.split(separator: ".").map(String.init)
        let forged = AccessTokenClaims(
            sub: "cli_1",
            tenant: "globex",
            sid: "sec_1",
            iat: 1_800_000_000,
            exp: 1_800_003_600,
            jti: "j"
        )
        parts[1] = TokenSecret.base64URL(forged.json.serialized())
        #expect(AccessToken.verify(parts.joined(separator: "."), keys: [key], at: start) == .failure(.badSignature))
        #expect(AccessToken.verify("a.b.c", keys: [key], at: start) == .failure(.malformed))
        #expect(AccessToken.verify("..", keys: [key], at: start) == .failure(.malformed))

        var retired = key
        retired.retires = start
        #expect(AccessToken.verify(token, keys: [retired], at: start) == .failure(.unknownKey))
    }

    @Test func signingKeyRotationKeepsThePreviousKeyForTheGrace() throws {
        let folder = try ConfigurationFolder()
        let now = Locked(start)
        let store = SigningKeyStore(configDirectory: folder.path, now: { now.withLock { $0 } })
        let first = try store.currentKey()
        #expect(try store.currentKey() == first)
        let newID = try store.rotate(grace: .seconds(6 * 3600))
        let keys = try store.keys()
        #expect(keys.map(\.id) == [first.id, newID])
        #expect(keys[0].retires == start.addingTimeInterval(6 * 3600))
        #expect(try store.currentKey().id == newID)
        now.withLock { $0 = start.addingTimeInterval(7 * 3600) }
        _ = try store.rotate(grace: .seconds(60))
        #expect(try !store.keys().map(\.id).contains(first.id))
    }

    @Test func theDirectoryIssuesTokensThatReachOnlyTheClientsTenantUntilRevoked() async throws {
        let folder = try ConfigurationFolder()
        try folder.write(
            "acme.yaml",
            ConfigurationFolder.tenantYAML(id: "acme", extra: "oauth: { accessTokenLifetime: 2h }")
        )
        try folder.writeTenant("globex")
        let store = OAuthClientStore(configDirectory: folder.path)
        let issued = try store.create(tenant: "acme", name: "entra", expiresIn: nil)
        let directory = folder.makeDirectory()
        #expect(await directory.reload() == [])
        #expect(directory.credentialKinds(tenant: "acme") == (false, true))

        let granted = try directory.issueAccessToken(clientID: issued.record.id, secret: issued.secret).get()
        #expect(granted.expiresIn == 7200)
        #expect(granted.tenantID == "acme" && granted.clientName == "entra")
        let signedIn = try #require(directory.authenticate(bearerToken: granted.accessToken))
        #expect(signedIn.tenant.id == "acme")
        #expect(signedIn.tokenID == issued.record.id)
        #expect(directory.lastUsed(tenant: "acme")[issued.record.id] != nil)

        guard case .failure(let wrong) = directory.issueAccessToken(clientID: issued.record.id, secret: "sgwcs_x")
        else {
            Issue.record("a wrong secret was accepted")
            return
        }
        #expect(wrong.tenantID == "acme" && wrong.clientName == "entra")
        guard case .failure(let unknown) = directory.issueAccessToken(clientID: "cli_nobody", secret: issued.secret)
        else {
            Issue.record("an unknown client was accepted")
            return
        }
        #expect(unknown.tenantID == nil)

        try store.revoke(tenant: "acme", name: "entra")
        #expect(await directory.reloadIfChanged() == [])
        #expect(directory.authenticate(bearerToken: granted.accessToken) == nil)
        #expect((try? directory.issueAccessToken(clientID: issued.record.id, secret: issued.secret).get()) == nil)
    }

    @Test func aClientIDInTwoTenantsIsRefused() async throws {
        let folder = try ConfigurationFolder()
        try folder.writeTenant("acme")
        try folder.writeTenant("globex")
        let issued = try OAuthClientStore(configDirectory: folder.path).create(
            tenant: "acme",
            name: "e",
            expiresIn: nil
        )
        try FileManager.default.copyItem(atPath: "\(folder.path)/acme.clients", toPath: "\(folder.path)/globex.clients")
        let directory = folder.makeDirectory()
        let problems = await directory.reload()
        #expect(problems.contains { $0.contains(issued.record.id) && $0.contains("more than one tenant") })
        #expect((try? directory.issueAccessToken(clientID: issued.record.id, secret: issued.secret).get()) == nil)
    }

    @Test func aBrokenClientsFileKeepsTheLastGoodClients() async throws {
        let folder = try ConfigurationFolder()
        try folder.writeTenant("acme")
        let issued = try OAuthClientStore(configDirectory: folder.path).create(
            tenant: "acme",
            name: "e",
            expiresIn: nil
        )
        let directory = folder.makeDirectory()
        #expect(await directory.reload() == [])
        try folder.write("acme.clients", "{ not json")
        let problems = await directory.reloadIfChanged() ?? []
        #expect(problems.count == 1)
        #expect(problems.first?.contains("acme.clients") == true)
        #expect((try? directory.issueAccessToken(clientID: issued.record.id, secret: issued.secret).get()) != nil)
        #expect(await directory.loadProblemsOnly(connect: false).contains { $0.contains("acme.clients") })
    }

    @Test func accessTokenLifetimeIsValidated() throws {
        for (text, seconds) in [("1h", 3600), ("5m", 300), ("6h", 21_600), ("900", 900)] {
            let yaml = ConfigurationFolder.tenantYAML(id: "acme", extra: "oauth: { accessTokenLifetime: \(text) }")
            #expect(
                try TenantConfiguration.parse(yaml, file: "acme.yaml", expectedID: "acme").accessTokenLifetime
                    == seconds
            )
        }
        for text in ["4m", "7h", "never", "soon", "0"] {
            let yaml = ConfigurationFolder.tenantYAML(id: "acme", extra: "oauth: { accessTokenLifetime: \(text) }")
            #expect(throws: ConfigurationError.self) {
                try TenantConfiguration.parse(yaml, file: "acme.yaml", expectedID: "acme")
            }
        }
        let plain = ConfigurationFolder.tenantYAML(id: "acme")
        #expect(try TenantConfiguration.parse(plain, file: "acme.yaml", expectedID: "acme").accessTokenLifetime == 3600)
    }
}

@Suite struct AccessTokenRobustnessTests {
    @Test func arbitraryTextIsRefusedWithoutCrashing() throws {
        let key = SigningKey(
            id: "key_a",
            secret: TokenSecret.base64URL(Array(repeating: 1, count: 32)),
            created: Date()
        )
        var generator = SystemRandomNumberGenerator()
        let alphabet = Array("eyJhbGciOiJIUzI1NiJ9.-_=+/%\u{0}é".unicodeScalars)
        for _ in 0..<2000 {
            let length = Int.random(in: 0...300, using: &generator)
            var text = String.UnicodeScalarView()
            for _ in 0..<length {
                text.append(alphabet[Int.random(in: 0..<alphabet.count, using: &generator)])
            }
            let token = String(text)
            if case .success = AccessToken.verify(token, keys: [key], at: Date()) {
                Issue.record("random text verified: \(token)")
            }
        }
        let huge = String(repeating: "a.", count: 5000)
        #expect(AccessToken.verify(huge, keys: [key], at: Date()) == .failure(.malformed))
        let wrongAlgorithm = TokenSecret.base64URL(Array(#"{"alg":"none","kid":"key_a","typ":"at+jwt"}"#.utf8))
        #expect(AccessToken.verify(wrongAlgorithm + ".e30.", keys: [key], at: Date()) == .failure(.malformed))
    }

    /// The signature's last character carries unused low bits, which Foundation's decoder ignores: a
    /// token with that character changed must still be refused (fuzz/run token checks every byte).
    @Test func aTokenIsAcceptedInOneSpellingOnly() throws {
        let key = SigningKey(
            id: "key_a",
            secret: TokenSecret.base64URL(Array(repeating: 3, count: 32)),
            created: Date()
        )
        let claims = AccessTokenClaims(
            sub: "cli_1",
            tenant: "acme",
            sid: "sec_1",
            iat: Int64(Date().timeIntervalSince1970),
            exp: Int64(Date().timeIntervalSince1970) + 600,
            jti: "j"
        )
        let token = try AccessToken.sign(claims, with: key)
        #expect(AccessToken.verify(token, keys: [key], at: Date()) == .success(claims))
        let alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
        for character in alphabet where character != token.last {
            let respelled = String(token.dropLast()) + String(character)
            #expect(AccessToken.verify(respelled, keys: [key], at: Date()) != .success(claims), "\(character)")
        }
        #expect(Base64URL.decode("AA") == [0])
        #expect(Base64URL.decode("AB") == nil)
        #expect(Base64URL.decode("AAA") == [0, 0])
        #expect(Base64URL.decode("AAB") == nil)
    }
}
