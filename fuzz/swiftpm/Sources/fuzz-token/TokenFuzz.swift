// OAuth access tokens. Any text presented as a bearer token verifies or is refused without a crash;
// what verifies is exactly the token the key signs for its claims (nothing unsigned, nothing in
// another spelling). Tokens signed for claims taken from the input verify back to those claims, and
// the same token with any one byte changed is refused.
import Foundation

@testable import Tenants

private let key = SigningKey(
    id: "key_f022e1d0a2b4",
    secret: "cUkA4rW2m2Tg8s9gO2c1lVw6m8cJxN2QGq3wVbZ3X0E",
    created: Date(timeIntervalSince1970: 1_700_000_000),
    retires: nil
)
private let retired = SigningKey(
    id: "key_0ld0ld0ld0ld",
    secret: "Zm9yIHRoZSBmdXp6ZXI6IGEgcmV0aXJlZCBrZXkgb2YgMzIgYnl0ZXM",
    created: Date(timeIntervalSince1970: 1_600_000_000),
    retires: Date(timeIntervalSince1970: 1_700_000_100)
)
private let keys = [key, retired]
private let now = Date(timeIntervalSince1970: 1_700_000_500)

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzToken(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let input = Array(UnsafeBufferPointer(start: data, count: size))
    let text = String(decoding: input, as: UTF8.self)
    // Presented as it is.
    if case .success(let claims) = AccessToken.verify(text, keys: keys, at: now) {
        guard let signed = try? AccessToken.sign(claims, with: key), signed == text else {
            fatalError("accepted a token that is not the key's signature of its claims: \(text)")
        }
    }
    // Issued for claims made of the input, then presented with one byte changed.
    guard input.count >= 3 else { return 0 }
    let fields = text.split(separator: "\u{0}", omittingEmptySubsequences: false).map(String.init)
    func field(_ index: Int) -> String { index < fields.count ? fields[index] : "" }
    let expires = Int64(now.timeIntervalSince1970) + 1 + Int64(input[0]) * 60
    let claims = AccessTokenClaims(
        sub: field(0),
        tenant: field(1),
        sid: field(2),
        iat: Int64(now.timeIntervalSince1970),
        exp: expires,
        jti: field(3)
    )
    guard let token = try? AccessToken.sign(claims, with: key) else { fatalError("cannot sign \(claims)") }
    guard case .success(let verified) = AccessToken.verify(token, keys: keys, at: now) else {
        if token.utf8.count > AccessToken.maximumLength { return 0 }
        fatalError("a token just signed is refused: \(token)")
    }
    if verified != claims { fatalError("verifying changed the claims: \(claims) → \(verified)") }
    var changed = Array(token.utf8)
    let position = (Int(input[1]) << 8 | Int(input[2])) % changed.count
    let replacement = input[input.count - 1] == changed[position] ? changed[position] ^ 1 : input[input.count - 1]
    changed[position] = replacement
    let tampered = String(decoding: changed, as: UTF8.self)
    if case .success = AccessToken.verify(tampered, keys: keys, at: now) {
        fatalError("accepted a token with byte \(position) changed: \(token) → \(tampered)")
    }
    return 0
}

/// `FUZZ_WRITE_SEEDS=DIR fuzz-token` writes tokens the real signing code makes, then exits.
@_cdecl("LLVMFuzzerInitialize")
public func initialize(
    _ argc: UnsafeMutablePointer<Int32>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>
) -> Int32 {
    guard let directory = ProcessInfo.processInfo.environment["FUZZ_WRITE_SEEDS"] else { return 0 }
    let claims = [
        AccessTokenClaims(
            sub: "okta-client",
            tenant: "acme",
            sid: "sec_1",
            iat: 1_700_000_000,
            exp: 1_700_021_600,
            jti: "a1b2c3"
        ),
        AccessTokenClaims(
            sub: "entra",
            tenant: "école-ñ",
            sid: "sec_2",
            iat: 1_700_000_400,
            exp: 1_700_000_460,
            jti: ""
        ),
        AccessTokenClaims(
            sub: "expired",
            tenant: "acme",
            sid: "sec_3",
            iat: 1_600_000_000,
            exp: 1_600_003_600,
            jti: "x"
        ),
    ]
    for (index, claim) in claims.enumerated() {
        for (name, signer) in [("current", key), ("retired", retired)] {
            guard let token = try? AccessToken.sign(claim, with: signer) else { continue }
            FileManager.default.createFile(atPath: "\(directory)/seed-\(name)-\(index)", contents: Data(token.utf8))
        }
    }
    FileManager.default.createFile(atPath: "\(directory)/seed-static", contents: Data("sgw_0123456789abcdef".utf8))
    exit(0)
}
