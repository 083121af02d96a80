/// The parts of a `scheme://user[:password]@host[:port][/path][?name=value&…]` URL, percent-decoded.
/// Hosts may be bracketed IPv6 addresses.
struct ServerURL: Sendable {
    var scheme: String
    var user: String?
    var password: String?
    var host: String
    var port: Int?
    var path: String
    var query: [(String, String)]

    init(_ text: String, schemes: Set<String>) throws(BackendConfigurationError) {
        guard let schemeEnd = text.firstRange(of: "://") else {
            throw BackendConfigurationError(
                "a database URL looks like \(schemes.sorted().first ?? "mysql")://user@host:port/name"
            )
        }
        scheme = String(text[..<schemeEnd.lowerBound]).lowercased()
        guard schemes.contains(scheme) else {
            throw BackendConfigurationError(
                "unsupported URL scheme '\(scheme)'; expected \(schemes.sorted().joined(separator: " or "))"
            )
        }
        var rest = Substring(text[schemeEnd.upperBound...])
        var queryText = Substring("")
        if let mark = rest.firstIndex(of: "?") {
            queryText = rest[rest.index(after: mark)...]
            rest = rest[..<mark]
        }
        var authority = rest
        path = ""
        if let slash = rest.firstIndex(of: "/") {
            authority = rest[..<slash]
            path = try Self.decode(rest[rest.index(after: slash)...])
        }
        user = nil
        password = nil
        if let at = authority.lastIndex(of: "@") {
            let credentials = authority[..<at]
            authority = authority[authority.index(after: at)...]
            if let colon = credentials.firstIndex(of: ":") {
                user = try Self.decode(credentials[..<colon])
                password = try Self.decode(credentials[credentials.index(after: colon)...])
            } else {
                user = try Self.decode(credentials)
            }
        }
        var hostPart = authority
        var portText: Substring?
        if hostPart.hasPrefix("[") {
            guard let close = hostPart.firstIndex(of: "]") else {
                throw BackendConfigurationError("unterminated IPv6 address in the database URL")
            }
            let after = hostPart[hostPart.index(after: close)...]
            if after.hasPrefix(":") {
                portText = after.dropFirst()
            } else if !after.isEmpty {
                throw BackendConfigurationError("unexpected '\(after)' after the host in the database URL")
            }
            hostPart = hostPart[hostPart.index(after: hostPart.startIndex)..<close]
        } else if let colon = hostPart.lastIndex(of: ":") {
            portText = hostPart[hostPart.index(after: colon)...]
            hostPart = hostPart[..<colon]
        }
        host = try Self.decode(hostPart)
        port = nil
        if let portText {
            guard let number = Int(portText), (1...65_535).contains(number) else {
                throw BackendConfigurationError("invalid port '\(portText)' in the database URL")
            }
            port = number
        }
        query = []
        for pair in queryText.split(separator: "&", omittingEmptySubsequences: true) {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = try Self.decode(parts[0])
            let value = try parts.count > 1 ? Self.decode(parts[1]) : ""
            query.append((name, value))
        }
    }

    /// Percent-decodes a URL component.
    private static func decode(_ text: Substring) throws(BackendConfigurationError) -> String {
        var bytes: [UInt8] = []
        var iterator = Array(text.utf8).makeIterator()
        while let byte = iterator.next() {
            guard byte == UInt8(ascii: "%") else {
                bytes.append(byte)
                continue
            }
            guard let high = iterator.next().flatMap(hexValue), let low = iterator.next().flatMap(hexValue) else {
                throw BackendConfigurationError("invalid percent-encoding in the database URL")
            }
            bytes.append(high << 4 | low)
        }
        guard let decoded = String(validating: bytes, as: UTF8.self) else {
            throw BackendConfigurationError("the database URL is not valid UTF-8 once decoded")
        }
        return decoded
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return byte - UInt8(ascii: "A") + 10
        default: return nil
        }
    }
}
