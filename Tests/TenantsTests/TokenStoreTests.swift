import Foundation
import Testing

@testable import Tenants

@Suite struct TokenStoreTests {
    private let created = Date(timeIntervalSince1970: 1_800_000_000)

    @Test func createsATokenOnceAndStoresOnlyItsHash() throws {
        let folder = try ConfigurationFolder()
        try folder.writeTenant("acme")
        let store = TokenStore(configDirectory: folder.path, now: { [created] in created })

        let (token, record) = try store.create(tenant: "acme", name: "entra", expiresIn: .seconds(86_400))

        #expect(token.hasPrefix("sgw_"))
        #expect(token.count == 4 + 43)
        #expect(token.dropFirst(4).allSatisfy { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" })
        #expect(record.id.hasPrefix("tok_") && record.id.count == 20)
        #expect(record.sha256 == TokenSecret.hexDigest(of: token))
        #expect(record.created == created)
        #expect(record.expires == created.addingTimeInterval(86_400))
        #expect(record.revoked == nil)

        let text = try String(contentsOfFile: "\(folder.path)/acme.tokens", encoding: .utf8)
        #expect(!text.contains(token))
        #expect(text.contains(record.sha256))
        let attributes = try FileManager.default.attributesOfItem(atPath: "\(folder.path)/acme.tokens")
        #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)
        #expect(try store.list(tenant: "acme") == [record])
    }

    @Test func tokensAreDistinct() throws {
        let folder = try ConfigurationFolder()
        try folder.writeTenant("acme")
        let store = TokenStore(configDirectory: folder.path)
        let first = try store.create(tenant: "acme", name: "one", expiresIn: nil)
        let second = try store.create(tenant: "acme", name: "two", expiresIn: nil)
        #expect(first.token != second.token)
        #expect(first.record.id != second.record.id)
        #expect(try store.list(tenant: "acme").map(\.name) == ["one", "two"])
    }

    @Test func refusesADuplicateActiveNameButAllowsItAfterRevocation() throws {
        let folder = try ConfigurationFolder()
        try folder.writeTenant("acme")
        let store = TokenStore(configDirectory: folder.path)
        _ = try store.create(tenant: "acme", name: "entra", expiresIn: nil)
        #expect(throws: TokenError.self) { try store.create(tenant: "acme", name: "entra", expiresIn: nil) }

        let revoked = try store.revoke(tenant: "acme", name: "entra")
        #expect(revoked.revoked != nil)
        _ = try store.create(tenant: "acme", name: "entra", expiresIn: nil)
        let statuses = try store.list(tenant: "acme").map { $0.status(at: Date()) }
        #expect(statuses == [.revoked, .active])
        #expect(throws: TokenError.self) { try store.revoke(tenant: "acme", name: "nobody") }
    }

    @Test func refusesUnknownAndInvalidTenants() throws {
        let folder = try ConfigurationFolder()
        let store = TokenStore(configDirectory: folder.path)
        #expect(throws: TokenError.self) { try store.create(tenant: "ghost", name: "x", expiresIn: nil) }
        #expect(throws: TokenError.self) { try store.create(tenant: "../etc", name: "x", expiresIn: nil) }
        #expect(throws: TokenError.self) { try store.list(tenant: "admin") }
        #expect(!FileManager.default.fileExists(atPath: "\(folder.path)/ghost.tokens"))
    }

    @Test func adminTokensLiveInTheirOwnFile() throws {
        let folder = try ConfigurationFolder()
        let store = TokenStore(configDirectory: folder.path)
        let (_, record) = try store.create(.admin, name: "ops", expiresIn: nil)
        #expect(try store.list(.admin) == [record])
        #expect(FileManager.default.fileExists(atPath: "\(folder.path)/admin.tokens"))
    }

    @Test func statusFollowsExpiryAndRevocation() {
        var record = TokenRecord(
            id: "tok_1",
            name: "n",
            sha256: String(repeating: "0", count: 64),
            created: created,
            expires: created.addingTimeInterval(60)
        )
        #expect(record.status(at: created) == .active)
        #expect(record.status(at: created.addingTimeInterval(60)) == .expired)
        record.revoked = created
        #expect(record.status(at: created) == .revoked)
    }

    @Test(arguments: [
        ("30d", Duration.seconds(30 * 86_400)), ("12h", .seconds(12 * 3600)), ("90m", .seconds(5400)),
        ("45s", .seconds(45)), ("2w", .seconds(14 * 86_400)), ("365D", .seconds(365 * 86_400)),
    ])
    func parsesLifetimes(text: String, duration: Duration) {
        #expect(TokenLifetime(parsing: text)?.duration == duration)
    }

    @Test func parsesNeverAndRefusesNonsense() {
        #expect(TokenLifetime(parsing: "never") == .never)
        #expect(TokenLifetime.never.duration == nil)
        for text in ["", "d", "0d", "-3d", "3q", "1.5d", "3 d", "99999999999999d"] {
            #expect(TokenLifetime(parsing: text) == nil, "\(text)")
        }
    }

    @Test func constantTimeComparisonComparesEveryByte() {
        let digest = TokenSecret.digest(of: "sgw_example")
        #expect(TokenSecret.constantTimeEquals(digest, digest))
        for index in [0, 15, 31] {
            var changed = digest
            changed[index] ^= 0x01
            #expect(!TokenSecret.constantTimeEquals(digest, changed))
        }
        #expect(!TokenSecret.constantTimeEquals(digest, Array(digest.prefix(31))))
        #expect(TokenSecret.digestBytes(fromHex: TokenSecret.hexDigest(of: "sgw_example")) == digest)
        #expect(TokenSecret.digestBytes(fromHex: "zz") == nil)
    }

    @Test func creationReportPutsTheTokenAloneOnStandardOutput() throws {
        let folder = try ConfigurationFolder()
        try folder.writeTenant("acme")
        let (token, record) = try TokenStore(configDirectory: folder.path)
            .create(tenant: "acme", name: "entra", expiresIn: .seconds(3600))
        let report = OperatorReport.tokenCreated(token: token, record: record, scope: .tenant("acme"))
        #expect(report.standardOutput == token + "\n")
        #expect(report.standardError.contains(record.id))
        #expect(report.standardError.contains("expires"))
        #expect(!report.standardError.contains(token))
        #expect(!report.standardError.contains(record.sha256))
    }

    @Test func tokenTableShowsNoHashes() {
        let record = TokenRecord(
            id: "tok_0123456789abcdef",
            name: "entra",
            sha256: String(repeating: "ab", count: 32),
            created: created
        )
        let table = OperatorReport.tokenTable([record], now: created)
        let lines = table.split(separator: "\n")
        #expect(lines.count == 2)
        #expect(lines[0].hasPrefix("ID "))
        #expect(lines[1].contains("tok_0123456789abcdef"))
        #expect(lines[1].contains("2027-01-15T08:00:00Z"))
        #expect(lines[1].hasSuffix("active"))
        #expect(!table.contains(record.sha256))
    }
}
