import Foundation
import SCIM
import Testing

@testable import Tenants

/// Files and tokens written before the gateway read and wrote JSON through ``JSONValue`` (by Foundation's
/// `JSONEncoder`: indented, keys sorted, ISO 8601 dates) still read, and are written again byte for byte.
@Suite struct JSONFileCompatibilityTests {
    static let tokenFile = #"""
        {
          "tokens" : [
            {
              "created" : "2026-01-01T00:00:00Z",
              "expires" : "2027-01-01T00:00:00Z",
              "id" : "tok_1a2b3c",
              "name" : "entra/prod \"quoted\"",
              "sha256" : "abababababababababababababababababababababababababababababababab"
            },
            {
              "created" : "2026-01-01T00:00:01Z",
              "id" : "tok_4d5e6f",
              "name" : "okta",
              "revoked" : "2026-01-02T00:00:00Z",
              "sha256" : "abababababababababababababababababababababababababababababababab"
            }
          ]
        }

        """#

    static let emptyTokenFile = #"""
        {
          "tokens" : [

          ]
        }

        """#

    static let clientFile = #"""
        {
          "clients" : [
            {
              "created" : "2026-01-01T00:00:00Z",
              "id" : "cli_1",
              "name" : "entra-gallery",
              "secrets" : [
                {
                  "created" : "2026-01-01T00:00:00Z",
                  "id" : "sec_1",
                  "sha256" : "abababababababababababababababababababababababababababababababab"
                },
                {
                  "created" : "2026-01-01T00:01:40Z",
                  "expires" : "2026-01-02T00:00:00Z",
                  "id" : "sec_2",
                  "sha256" : "abababababababababababababababababababababababababababababababab"
                }
              ]
            }
          ]
        }

        """#

    static let usageFile = #"""
        {
          "lastUsed" : {
            "cli_1" : "2026-01-01T00:01:00Z",
            "tok_1a2b3c" : "2026-01-01T00:00:00Z"
          }
        }

        """#

    /// Signed with 32 bytes of 7 as key `key_a`.
    static let accessToken =
        "eyJhbGciOiJIUzI1NiIsImtpZCI6ImtleV9hIiwidHlwIjoiYXQrand0In0."
        + "eyJleHAiOjE4MDAwMDM2MDAsImlhdCI6MTgwMDAwMDAwMCwiaXNzIjoic2NpbS1nYXRld2F5IiwianRpIjoiai0xIiwic2lkIjoic2VjXzEiLCJzdWIiOiJjbGlfMSIsInRlbmFudCI6ImFjbWUifQ"
        + ".RlOpDyA5vlzFrcd7iv6nWmHi_aDCEGn5u_C5ar4S4Hw"

    private func folder() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("json-files-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    private func rewritten(_ text: String, _ roundTrip: (String) throws -> Void) throws -> String {
        let directory = try folder()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("file.json").path
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        try roundTrip(path)
        return try String(contentsOfFile: path, encoding: .utf8)
    }

    @Test func tokenFilesReadAndRewriteByteForByte() throws {
        for text in [Self.tokenFile, Self.emptyTokenFile] {
            let again = try rewritten(text) { path in
                try TokenFile.read(path: path, displayPath: "acme.tokens").write(path: path)
            }
            #expect(again == text)
        }
        let directory = try folder()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("acme.tokens").path
        try Data(Self.tokenFile.utf8).write(to: URL(fileURLWithPath: path))
        let tokens = try TokenFile.read(path: path, displayPath: "acme.tokens").tokens
        #expect(tokens.map(\.id) == ["tok_1a2b3c", "tok_4d5e6f"])
        #expect(tokens[0].name == #"entra/prod "quoted""#)
        #expect(tokens[0].created == Date(timeIntervalSince1970: 1_767_225_600))
        #expect(tokens[0].expires == Date(timeIntervalSince1970: 1_798_761_600))
        #expect(tokens[0].revoked == nil)
        #expect(tokens[1].revoked == Date(timeIntervalSince1970: 1_767_312_000))
    }

    @Test func clientAndUsageFilesReadAndRewriteByteForByte() throws {
        let clients = try rewritten(Self.clientFile) { path in
            let file = try OAuthClientFile.read(path: path, displayPath: "acme.clients")
            #expect(file.clients.first?.secrets.map(\.id) == ["sec_1", "sec_2"])
            try file.write(path: path)
        }
        #expect(clients == Self.clientFile)
        let usage = try rewritten(Self.usageFile) { path in
            let file: CredentialUsage.UsageFile = try readJSONFile(path: path, displayPath: "acme.usage")
            #expect(file.lastUsed["cli_1"] == Date(timeIntervalSince1970: 1_767_225_660))
            try writeJSONFile(file, path: path)
        }
        #expect(usage == Self.usageFile)
    }

    @Test func aBrokenFileNamesTheKey() throws {
        let broken = Self.tokenFile.replacingOccurrences(of: "2027-01-01T00:00:00Z", with: "next year")
        let directory = try folder()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("acme.tokens").path
        try Data(broken.utf8).write(to: URL(fileURLWithPath: path))
        #expect {
            _ = try TokenFile.read(path: path, displayPath: "acme.tokens")
        } throws: { ($0 as? ConfigurationError)?.key == "tokens.0.expires" }
        try Data("{\"tokens\": [".utf8).write(to: URL(fileURLWithPath: path))
        #expect {
            _ = try TokenFile.read(path: path, displayPath: "acme.tokens")
        } throws: { ($0 as? ConfigurationError)?.message.hasPrefix("invalid JSON") == true }
    }

    @Test func accessTokensIssuedBeforeStillVerifyAndAreSignedAlike() throws {
        let key = SigningKey(
            id: "key_a",
            secret: TokenSecret.base64URL(Array(repeating: 7, count: 32)),
            created: Date(timeIntervalSince1970: 1_700_000_000)
        )
        let claims = AccessTokenClaims(
            sub: "cli_1",
            tenant: "acme",
            sid: "sec_1",
            iat: 1_800_000_000,
            exp: 1_800_003_600,
            jti: "j-1"
        )
        let verified = AccessToken.verify(Self.accessToken, keys: [key], at: Date(timeIntervalSince1970: 1_800_000_100))
        #expect(verified == .success(claims))
        #expect(try AccessToken.sign(claims, with: key) == Self.accessToken)
    }
}
