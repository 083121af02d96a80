import Foundation
import SCIM

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The on-disk form of a token file: JSON (which is also YAML), written by the CLI only.
struct TokenFile: Sendable, JSONFileRepresentable {
    var tokens: [TokenRecord]

    init(tokens: [TokenRecord]) {
        self.tokens = tokens
    }

    init(json: JSONFields) throws(ConfigurationIssue) {
        tokens = try json.list("tokens", TokenRecord.init(json:))
    }

    var json: JSONObject {
        JSONFields.object([("tokens", .array(tokens.map { .object($0.json) }))])
    }

    /// Reads a token file; a missing file is an empty one. `displayPath` names it in errors.
    static func read(path: String, displayPath: String) throws(ConfigurationError) -> TokenFile {
        guard FileManager.default.fileExists(atPath: path) else { return TokenFile(tokens: []) }
        let file: TokenFile = try readJSONFile(path: path, displayPath: displayPath)
        for (index, record) in file.tokens.enumerated() where TokenSecret.digestBytes(fromHex: record.sha256) == nil {
            throw ConfigurationError(
                file: displayPath,
                key: "tokens.\(index).sha256",
                message: "expected 64 hexadecimal digits"
            )
        }
        return file
    }

    /// Writes the file atomically (a temporary file in the same folder, then a rename), readable
    /// by its owner only.
    func write(path: String) throws {
        try writeJSONFile(self, path: path)
    }
}

/// Writes `data` to a new mode-0600 file beside `path`, flushes it, and renames it over `path`.
func writeAtomically(_ data: Data, to path: String) throws {
    let url = URL(fileURLWithPath: path)
    let folder = url.deletingLastPathComponent().path
    let temporary = "\(folder)/.\(url.lastPathComponent).\(TokenSecret.hex(TokenSecret.randomBytes(count: 6))).tmp"
    let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
    guard descriptor >= 0 else {
        throw TokenError("cannot create \(temporary): \(String(cString: strerror(errno)))")
    }
    var failure: String?
    let handle = FileHandle(fileDescriptor: descriptor, closeOnDealloc: false)
    do {
        try handle.write(contentsOf: data)
        try handle.synchronize()
    } catch {
        failure = error.localizedDescription
    }
    close(descriptor)
    if failure == nil, rename(temporary, path) != 0 {
        failure = String(cString: strerror(errno))
    }
    if let failure {
        unlink(temporary)
        throw TokenError("cannot write \(path): \(failure)")
    }
}
