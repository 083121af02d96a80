/// A problem with one file in the configuration directory: the file, the key (as a dotted path,
/// when the problem is about one key) and what is wrong. Its description is one line,
/// `tenants.d/acme.yaml: backend.kind: unknown backend kind 'mysq'; expected one of: …`.
public struct ConfigurationError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The file as the operator knows it, e.g. `tenants.d/acme.yaml`.
    public var file: String
    /// The dotted key path (`backend.pool.max`), or `nil` when the problem concerns the whole file.
    public var key: String?
    /// What is wrong, without secrets.
    public var message: String

    /// Makes an error about `key` (or the whole file) in `file`.
    public init(file: String, key: String? = nil, message: String) {
        self.file = file
        self.key = key
        self.message = message
    }

    /// The text operators see, on one line.
    public var description: String {
        let line = message.split(whereSeparator: \.isNewline).joined(separator: " ")
        if let key, !key.isEmpty {
            return "\(file): \(key): \(line)"
        }
        return "\(file): \(line)"
    }
}

/// A problem found while decoding, before the file name is known.
struct ConfigurationIssue: Error, Sendable {
    var key: String
    var message: String

    init(key: [String], message: String) {
        self.key = key.joined(separator: ".")
        self.message = message
    }

    func located(in file: String) -> ConfigurationError {
        ConfigurationError(file: file, key: key.isEmpty ? nil : key, message: message)
    }
}
