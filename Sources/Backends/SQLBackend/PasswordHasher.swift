import Crypto
import HummingbirdBcrypt

/// Hashes passwords the way the portal verifies them.
enum PasswordHasher {
    /// The stored form of `password` under `algorithm`. bcrypt hashes carry PHP's `$2y$` prefix
    /// (the bcrypt library writes `$2b$`; PHP's `password_verify` accepts both, Chamilo writes `$2y$`).
    static func hash(_ password: String, algorithm: PasswordAlgorithm, salt: String, bcryptCost: Int) -> String {
        switch algorithm {
        case .bcrypt:
            let cost = UInt8(clamping: min(max(bcryptCost, 4), 31))
            let hashed = Bcrypt.hash(password, cost: cost)
            if hashed.hasPrefix("$2b$") || hashed.hasPrefix("$2a$") {
                return "$2y$" + hashed.dropFirst(4)
            }
            return hashed
        case .sha1:
            return hex(Insecure.SHA1.hash(data: Array(salted(password, salt).utf8)))
        case .md5:
            return hex(Insecure.MD5.hash(data: Array(salted(password, salt).utf8)))
        case .none:
            return password
        }
    }

    /// Whether `password` matches a stored bcrypt hash (either prefix).
    static func verifyBcrypt(_ password: String, hash: String) -> Bool {
        let normalised = hash.hasPrefix("$2y$") ? "$2b$" + hash.dropFirst(4) : hash
        return Bcrypt.verify(password, hash: normalised)
    }

    private static func salted(_ password: String, _ salt: String) -> String {
        salt.isEmpty ? password : "\(password){\(salt)}"
    }

    private static func hex<D: Sequence>(_ digest: D) -> String where D.Element == UInt8 {
        digest.map { byte in
            let text = String(byte, radix: 16)
            return byte < 16 ? "0" + text : text
        }
        .joined()
    }

    /// A random hexadecimal string of `length` characters.
    static func randomHex(_ length: Int) -> String {
        var generator = SystemRandomNumberGenerator()
        let digits = Array("0123456789abcdef")
        return String((0..<length).map { _ in digits[Int(generator.next() % 16)] })
    }
}
