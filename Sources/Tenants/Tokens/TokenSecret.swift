import Crypto
import Foundation

/// Making, hashing and comparing bearer tokens.
public enum TokenSecret {
    /// The prefix of every tenant and admin token, so that leaked tokens are easy to recognise.
    public static let prefix = "sgw_"

    /// A new token: `sgw_` and 32 bytes from the system's cryptographically secure generator,
    /// base64url without padding.
    public static func makeToken() -> String {
        prefix + base64URL(randomBytes(count: 32))
    }

    /// A new token id: `tok_` and 8 random bytes in hexadecimal.
    public static func makeTokenID() -> String {
        "tok_" + hex(randomBytes(count: 8))
    }

    /// The SHA-256 of the token's UTF-8 bytes.
    public static func digest(of token: String) -> [UInt8] {
        Array(SHA256.hash(data: Array(token.utf8)))
    }

    /// The SHA-256 of the token in lower-case hexadecimal, as token files store it.
    public static func hexDigest(of token: String) -> String {
        hex(digest(of: token))
    }

    /// Compares two byte strings in time that depends only on their lengths, never on where they differ.
    public static func constantTimeEquals(_ lhs: [UInt8], _ rhs: [UInt8]) -> Bool {
        guard lhs.count == rhs.count else { return false }
        var difference: UInt8 = 0
        for index in lhs.indices {
            difference |= lhs[index] ^ rhs[index]
        }
        return difference == 0
    }

    /// Bytes of a hexadecimal SHA-256 (64 digits, either case), or `nil` when it is not one.
    public static func digestBytes(fromHex text: String) -> [UInt8]? {
        let digits = Array(text.utf8)
        guard digits.count == 64 else { return nil }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(32)
        var index = 0
        while index < digits.count {
            guard let high = hexValue(digits[index]), let low = hexValue(digits[index + 1]) else { return nil }
            bytes.append(high << 4 | low)
            index += 2
        }
        return bytes
    }

    /// `count` bytes from the operating system's CSPRNG.
    public static func randomBytes(count: Int) -> [UInt8] {
        // SystemRandomNumberGenerator reads the operating system's CSPRNG (getrandom, arc4random).
        var generator = SystemRandomNumberGenerator()
        return (0..<count).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
    }

    static func hex(_ bytes: [UInt8]) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var text: [UInt8] = []
        text.reserveCapacity(bytes.count * 2)
        for byte in bytes {
            text.append(digits[Int(byte >> 4)])
            text.append(digits[Int(byte & 0x0f)])
        }
        return String(decoding: text, as: UTF8.self)
    }

    /// Base64url without padding (RFC 4648 §5), on bytes: every verified access token passes through it.
    static func base64URL(_ bytes: [UInt8]) -> String {
        var encoded = Array(Data(bytes).base64EncodedData())
        while encoded.last == UInt8(ascii: "=") { encoded.removeLast() }
        for index in encoded.indices {
            switch encoded[index] {
            case UInt8(ascii: "+"): encoded[index] = UInt8(ascii: "-")
            case UInt8(ascii: "/"): encoded[index] = UInt8(ascii: "_")
            default: break
            }
        }
        return String(decoding: encoded, as: UTF8.self)
    }

    private static func hexValue(_ digit: UInt8) -> UInt8? {
        switch digit {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): digit - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): digit - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): digit - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
