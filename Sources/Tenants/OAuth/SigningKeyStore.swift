import Crypto
import Foundation
import SCIM

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// One key that signs access tokens. The file holds the key itself (it is what every node sharing
/// tenants.d verifies with), so it is written mode 0600 and never logged.
public struct SigningKey: Sendable, Hashable {
    /// The key id (`key_…`), carried in each token's header.
    public var id: String
    /// 32 random bytes, base64url.
    public var secret: String
    /// When the key was made.
    public var created: Date
    /// When a rotated key stops verifying; `nil` for the key that signs.
    public var retires: Date?

    /// The key's bytes; `nil` when the file holds something that is not base64url.
    var bytes: [UInt8]? {
        Base64URL.decode(secret)
    }

    /// Whether tokens signed with this key still verify at `date`.
    func verifies(at date: Date) -> Bool {
        retires.map { $0 > date } ?? true
    }
}

extension SigningKey {
    init(json: JSONFields) throws(ConfigurationIssue) {
        self.init(
            id: try json.string("id"),
            secret: try json.string("secret"),
            created: try json.date("created"),
            retires: try json.optionalDate("retires")
        )
    }

    var json: JSONObject {
        JSONFields.object([
            ("id", .string(id)), ("secret", .string(secret)), ("created", JSONFileDate.value(created)),
            ("retires", JSONFileDate.value(retires)),
        ])
    }
}

/// The signing keys of the installation, `tenants.d/oauth-signing.keys`: made on first need,
/// rotated with a grace period during which tokens signed by the previous key still verify.
public struct SigningKeyStore: Sendable {
    /// The file's name inside the configuration directory.
    public static let fileName = "oauth-signing.keys"

    /// The configuration directory.
    public var configDirectory: String
    let now: @Sendable () -> Date

    /// Makes a store over `configDirectory`.
    public init(configDirectory: String, now: @escaping @Sendable () -> Date = { Date() }) {
        self.configDirectory = configDirectory
        self.now = now
    }

    struct File: Sendable, JSONFileRepresentable {
        var keys: [SigningKey]

        init(keys: [SigningKey]) {
            self.keys = keys
        }

        init(json: JSONFields) throws(ConfigurationIssue) {
            keys = try json.list("keys", SigningKey.init(json:))
        }

        var json: JSONObject {
            JSONFields.object([("keys", .array(keys.map { .object($0.json) }))])
        }
    }

    /// Every key in the file (a missing file has none).
    public func keys() throws(ConfigurationError) -> [SigningKey] {
        let paths = ConfigurationPaths(configDirectory)
        let path = paths.file(Self.fileName)
        guard FileManager.default.fileExists(atPath: path) else { return [] }
        let file: File = try readJSONFile(path: path, displayPath: paths.display(Self.fileName))
        for (index, key) in file.keys.enumerated() where (key.bytes?.count ?? 0) < 32 {
            throw ConfigurationError(
                file: paths.display(Self.fileName),
                key: "keys.\(index).secret",
                message: "expected at least 32 bytes in base64url"
            )
        }
        return file.keys
    }

    /// The key that signs new tokens, made (and the file created, mode 0600) when there is none.
    /// Two nodes making the first key at once agree on one: the file is created only if absent.
    public func currentKey() throws -> SigningKey {
        if let key = try Self.signingKey(in: keys()) { return key }
        let key = makeKey()
        let path = ConfigurationPaths(configDirectory).file(Self.fileName)
        if FileManager.default.fileExists(atPath: path) {
            var existing = try keys()
            existing.append(key)
            try writeJSONFile(File(keys: existing), path: path)
            return key
        }
        try createIfAbsent(File(keys: [key]), path: path)
        guard let winner = try Self.signingKey(in: keys()) else {
            throw TokenError(
                "cannot make a signing key in \(ConfigurationPaths(configDirectory).display(Self.fileName))"
            )
        }
        return winner
    }

    /// Makes a new signing key; the previous ones keep verifying for `grace` (tokens live at most
    /// 6 hours, the default grace). Keys retired before now are dropped. Answers the new key's id.
    @discardableResult
    public func rotate(grace: Duration) throws -> String {
        let date = now()
        let graceEnd = try TokenStore.graceEnd(after: date, grace: grace)
        var kept = try keys().filter { $0.verifies(at: date) }
        for index in kept.indices {
            kept[index].retires = min(kept[index].retires ?? graceEnd, graceEnd)
        }
        let key = makeKey()
        kept.append(key)
        try writeJSONFile(File(keys: kept), path: ConfigurationPaths(configDirectory).file(Self.fileName))
        return key.id
    }

    /// The newest key that is not retiring.
    static func signingKey(in keys: [SigningKey]) -> SigningKey? {
        keys.filter { $0.retires == nil && $0.bytes != nil }.max { $0.created < $1.created }
    }

    private func makeKey() -> SigningKey {
        SigningKey(
            id: "key_" + TokenSecret.hex(TokenSecret.randomBytes(count: 6)),
            secret: TokenSecret.base64URL(TokenSecret.randomBytes(count: 32)),
            created: Date(timeIntervalSince1970: now().timeIntervalSince1970.rounded(.down)),
            retires: nil
        )
    }

    /// Writes a temporary file and links it to `path`, which fails harmlessly when another process
    /// created `path` first.
    private func createIfAbsent(_ file: File, path: String) throws {
        let temporary = path + ".new-" + TokenSecret.hex(TokenSecret.randomBytes(count: 6))
        try writeJSONFile(file, path: temporary)
        defer { unlink(temporary) }
        if link(temporary, path) != 0, errno != EEXIST {
            throw TokenError("cannot create \(path): \(String(cString: strerror(errno)))")
        }
    }
}

/// base64url without padding (RFC 4648 §5), for tokens, keys, cursors and session ids.
public enum Base64URL {
    public static func encode(_ bytes: [UInt8]) -> String {
        TokenSecret.base64URL(bytes)
    }

    /// The bytes of `text`, only in the one spelling ``encode(_:)`` writes: Foundation ignores the unused
    /// low bits of the last character, so without the check a token's signature had several spellings
    /// that all verified.
    public static func decode(_ text: String) -> [UInt8]? {
        var base64: [UInt8] = []
        base64.reserveCapacity(text.utf8.count + 3)
        for byte in text.utf8 {
            guard isAlphabet(byte) else { return nil }
            switch byte {
            case UInt8(ascii: "-"): base64.append(UInt8(ascii: "+"))
            case UInt8(ascii: "_"): base64.append(UInt8(ascii: "/"))
            default: base64.append(byte)
            }
        }
        let remainder = base64.count % 4
        guard remainder != 1 else { return nil }
        if remainder > 0 { base64 += Array(repeating: UInt8(ascii: "="), count: 4 - remainder) }
        guard let bytes = Data(base64Encoded: Data(base64)).map({ Array($0) }), encode(bytes) == text else {
            return nil
        }
        return bytes
    }

    private static func isAlphabet(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "_"):
            true
        default: false
        }
    }
}
