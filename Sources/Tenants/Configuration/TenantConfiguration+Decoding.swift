import Backends
import Foundation
import Yams

extension TenantConfiguration {
    private static let topLevelKeys: Set<String> = [
        "id", "name", "backend", "mapping", "settings", "deprovision", "rateLimit", "oauth",
    ]
    private static let backendKeys: Set<String> = [
        "kind", "url", "path", "username", "password", "passwordEnv", "passwordFile", "pool",
        "connectTimeout", "statementTimeout",
    ]

    /// Decodes and validates a tenant file. Errors are ``ConfigurationIssue``s naming the key;
    /// ``parse(_:file:expectedID:)`` adds the file name.
    public init(from decoder: any Decoder) throws {
        let root = try ConfigurationReader(decoder, allowedKeys: Self.topLevelKeys)

        let id = try root.requiredString("id")
        guard Self.isValidID(id) else {
            throw ConfigurationIssue(
                key: ["id"],
                message: "'\(id)' is not a valid tenant id; expected lower-case letters, digits and '-', "
                    + "starting with a letter or digit, at most 63 characters"
            )
        }
        guard !Self.reservedIDs.contains(id) else {
            throw ConfigurationIssue(key: ["id"], message: "'\(id)' is reserved for the gateway's own files")
        }
        self.id = id
        self.name = try root.requiredString("name")

        guard let backendReader = try root.nested("backend", allowedKeys: Self.backendKeys) else {
            throw ConfigurationIssue(key: ["backend"], message: "required key is missing")
        }
        self.backend = try Self.decodeBackend(backendReader)

        // The Chamilo REST API fixes where every attribute goes, so such a tenant may omit `mapping`;
        // it then carries the shipped 1.11 mapping, which that backend does not consult.
        let mapping =
            backend.kind == "chamilo-rest"
            ? try root.string("mapping") ?? Self.defaultMapping : try root.requiredString("mapping")
        guard Self.isValidMappingName(mapping) else {
            throw ConfigurationIssue(
                key: ["mapping"],
                message: "'\(mapping)' is not a valid mapping name; expected letters, digits, '.', '_' and '-'"
            )
        }
        self.mapping = mapping
        self.settings = try root.scalarMap("settings") ?? [:]

        if let text = try root.string("deprovision") {
            guard let mode = DeprovisionMode(rawValue: text) else {
                throw ConfigurationIssue(
                    key: ["deprovision"],
                    message: "unknown value '\(text)'; expected one of: deactivate, delete"
                )
            }
            self.deprovision = mode
        } else {
            self.deprovision = .deactivate
        }

        if let limits = try root.nested("rateLimit", allowedKeys: ["perSecond", "burst"]) {
            let perSecond =
                try limits.number("perSecond", in: RateLimit.perSecondRange) ?? RateLimit.default.perSecond
            let burst =
                try limits.integer("burst", in: RateLimit.burstRange)
                ?? max(1, Int((perSecond * 2).rounded(.up)))
            self.rateLimit = RateLimit(perSecond: perSecond, burst: burst)
        } else {
            self.rateLimit = .default
        }
        if let oauth = try root.nested("oauth", allowedKeys: ["accessTokenLifetime"]),
            let text = try oauth.string("accessTokenLifetime")
        {
            self.accessTokenLifetime = try Self.accessTokenLifetime(text)
        }
    }

    /// `1h`, `90m`, `3600s` or a number of seconds, from 5 minutes to 6 hours.
    private static func accessTokenLifetime(_ text: String) throws -> Int {
        let trimmed = text.trimmingWhitespace()
        let seconds =
            Int(trimmed) ?? TokenLifetime(parsing: trimmed)?.duration.map { Int($0.components.seconds) }
        guard let seconds, accessTokenLifetimeRange.contains(seconds) else {
            throw ConfigurationIssue(
                key: ["oauth", "accessTokenLifetime"],
                message: "expected a lifetime from 5m to 6h (e.g. 1h, 90m, 3600s), got '\(text)'"
            )
        }
        return seconds
    }

    private static func decodeBackend(_ reader: ConfigurationReader) throws -> BackendSection {
        if try reader.isPresent("password") {
            throw ConfigurationIssue(
                key: ["backend", "password"],
                message: "passwords are never written in tenant files; use passwordEnv or passwordFile"
            )
        }
        var section = BackendSection(kind: try reader.requiredString("kind"))
        section.url = try reader.string("url")
        section.path = try reader.string("path")
        section.username = try reader.string("username")
        section.passwordEnv = try reader.string("passwordEnv")
        section.passwordFile = try reader.string("passwordFile")
        if section.passwordEnv != nil, section.passwordFile != nil {
            throw ConfigurationIssue(
                key: ["backend", "passwordFile"],
                message: "set only one of passwordEnv and passwordFile"
            )
        }
        if section.url == nil, section.path == nil {
            throw ConfigurationIssue(key: ["backend"], message: "one of url or path is required")
        }
        if let pool = try reader.nested("pool", allowedKeys: ["max"]) {
            section.poolMax = try pool.integer("max", in: 1...1000)
        }
        section.connectTimeout = try reader.number("connectTimeout", in: 0.1...3600)
        section.statementTimeout = try reader.number("statementTimeout", in: 0.1...3600)
        return section
    }

    /// Parses the text of a tenant file. `file` names it in errors (e.g. `tenants.d/acme.yaml`);
    /// `expectedID`, when given, is the file's name without `.yaml`, which the `id` must equal.
    public static func parse(
        _ yaml: String,
        file: String,
        expectedID: String?
    ) throws(ConfigurationError)
        -> TenantConfiguration
    {
        let configuration: TenantConfiguration
        do {
            configuration = try decodeConfigurationFile(TenantConfiguration.self, from: yaml)
        } catch {
            throw configurationError(from: error, in: file)
        }
        if let expectedID, configuration.id != expectedID {
            throw ConfigurationError(
                file: file,
                key: "id",
                message: "'\(configuration.id)' does not match the file name; expected '\(expectedID)'"
            )
        }
        return configuration
    }
}

/// Decodes a YAML configuration file, refusing an empty one.
func decodeConfigurationFile<T: Decodable>(_ type: T.Type, from yaml: String) throws -> T {
    let meaningful = yaml.split(whereSeparator: \.isNewline).contains { line in
        let text = line.trimmingWhitespace()
        return !text.isEmpty && !text.hasPrefix("#") && text != "---"
    }
    guard meaningful else {
        throw ConfigurationIssue(key: [], message: "the file is empty")
    }
    if let problem = ConfigurationFileShape.problem(in: yaml) {
        throw ConfigurationIssue(key: [], message: problem)
    }
    // The encoding named: Yams' default reads the process environment on every call.
    return try YAMLDecoder(encoding: .utf8).decode(type, from: yaml)
}

/// The error to report for a failed decoding of `file`: a ``ConfigurationIssue`` (which the YAML
/// decoder wraps in `DecodingError.dataCorrupted`) keeps its key.
func configurationError(from error: any Error, in file: String) -> ConfigurationError {
    if let issue = error as? ConfigurationIssue {
        return issue.located(in: file)
    }
    if case .dataCorrupted(let context) = error as? DecodingError, let underlying = context.underlyingError {
        return configurationError(from: underlying, in: file)
    }
    return ConfigurationError(file: file, message: describeDecodingFailure(error))
}

/// One line describing why a file could not be decoded (YAML syntax or a type mismatch).
func describeDecodingFailure(_ error: any Error) -> String {
    switch error {
    case let error as DecodingError:
        switch error {
        case .typeMismatch(_, let context), .valueNotFound(_, let context), .dataCorrupted(let context):
            let key = context.codingPath.map(\.stringValue).joined(separator: ".")
            return key.isEmpty ? context.debugDescription : "\(key): \(context.debugDescription)"
        case .keyNotFound(let key, let context):
            let path = (context.codingPath + [key]).map(\.stringValue).joined(separator: ".")
            return "\(path): required key is missing"
        @unknown default:
            return "cannot be decoded"
        }
    case let error as YamlError:
        let text = String(describing: error).split(whereSeparator: \.isNewline).map { $0.trimmingWhitespace() }
        return "invalid YAML: " + text.filter { !$0.isEmpty }.joined(separator: " ")
    default:
        return String(describing: error)
    }
}
