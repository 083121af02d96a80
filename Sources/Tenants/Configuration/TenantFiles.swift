import Backends
import Foundation

/// Reads the configuration directory: tenant files, mapping files, password files and token
/// files. It builds no backend and keeps no state; ``TenantDirectory`` and the CLI use it.
public struct TenantFiles: Sendable {
    /// The configuration directory.
    public var configDirectory: String
    /// The environment `passwordEnv` names are read from.
    public var environment: [String: String]

    let paths: ConfigurationPaths

    /// Reads `configDirectory`, resolving `passwordEnv` in `environment`.
    public init(configDirectory: String, environment: [String: String] = ProcessInfo.processInfo.environment) {
        self.configDirectory = configDirectory
        self.environment = environment
        self.paths = ConfigurationPaths(configDirectory)
    }

    /// The ids of the tenant files present, sorted, and a problem for every file that looks like
    /// a tenant file but cannot be one (a bad name, a `.yml` extension).
    public func tenantIDs() throws(ConfigurationError) -> (ids: [String], problems: [ConfigurationError]) {
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: paths.directory)
        } catch {
            throw ConfigurationError(file: paths.displayDirectory, message: "cannot read the configuration directory")
        }
        var ids: [String] = []
        var problems: [ConfigurationError] = []
        for name in names.sorted() where !name.hasPrefix(".") {
            if name.hasSuffix(".yml") {
                problems.append(
                    ConfigurationError(file: paths.display(name), message: "ignored; tenant files end in .yaml")
                )
                continue
            }
            guard name.hasSuffix(".yaml") else { continue }
            let id = String(name.dropLast(".yaml".count))
            guard TenantConfiguration.isValidID(id), !TenantConfiguration.reservedIDs.contains(id) else {
                problems.append(
                    ConfigurationError(
                        file: paths.display(name),
                        message: "the file name is not a valid tenant id; expected [a-z0-9][a-z0-9-]{0,62}.yaml"
                    )
                )
                continue
            }
            ids.append(id)
        }
        return (ids, problems)
    }

    /// Reads and validates `tenants.d/<id>.yaml` (not its mapping or password).
    public func configuration(id: String) throws(ConfigurationError) -> TenantConfiguration {
        let display = paths.display("\(id).yaml")
        let text: String
        do {
            text = try String(contentsOfFile: paths.tenantFile(id), encoding: .utf8)
        } catch {
            throw ConfigurationError(file: display, message: "cannot be read as UTF-8 text")
        }
        return try TenantConfiguration.parse(text, file: display, expectedID: id)
    }

    /// Every readable tenant configuration, and a problem for each file that is not.
    public func configurations() -> (configurations: [TenantConfiguration], problems: [ConfigurationError]) {
        let listing: (ids: [String], problems: [ConfigurationError])
        do {
            listing = try tenantIDs()
        } catch {
            return ([], [error])
        }
        var configurations: [TenantConfiguration] = []
        var problems = listing.problems
        for id in listing.ids {
            do {
                configurations.append(try configuration(id: id))
            } catch {
                problems.append(error)
            }
        }
        return (configurations, problems)
    }

    /// The tokens of `scope`, as stored (a missing file has none).
    public func tokens(_ scope: TokenScope) throws(ConfigurationError) -> [TokenRecord] {
        try TokenFile.read(path: paths.file(scope.fileName), displayPath: paths.display(scope.fileName)).tokens
    }

    /// A tenant file with its mapping and secrets resolved: everything needed to build its backend.
    func source(
        id: String,
        knownKinds: [String],
        mappings: inout [String: Result<LoadedMapping, ConfigurationError>]
    ) throws(ConfigurationError) -> TenantSource {
        let configuration = try configuration(id: id)
        let display = paths.display("\(id).yaml")
        let section = configuration.backend
        guard knownKinds.contains(section.kind) else {
            let message =
                knownKinds.isEmpty
                ? "unknown backend kind '\(section.kind)'; no backend kinds are available in this build"
                : "unknown backend kind '\(section.kind)'; expected one of: \(knownKinds.joined(separator: ", "))"
            throw ConfigurationError(file: display, key: "backend.kind", message: message)
        }
        let mapping: LoadedMapping
        if let cached = mappings[configuration.mapping] {
            mapping = try cached.get()
        } else {
            let result = Result { () throws(ConfigurationError) in try loadMapping(configuration.mapping, for: display)
            }
            mappings[configuration.mapping] = result
            mapping = try result.get()
        }
        let password = try resolvePassword(section, file: display)
        var backendConfiguration = BackendConfiguration(
            tenantID: id,
            kind: section.kind,
            url: section.url,
            path: section.path,
            username: section.username,
            password: password,
            poolMax: section.poolMax ?? 8,
            connectTimeout: section.connectTimeout.map { .seconds($0) } ?? .seconds(5),
            statementTimeout: section.statementTimeout.map { .seconds($0) } ?? .seconds(10),
            settings: configuration.settings,
            mapping: mapping.mapping
        )
        // loadMapping validated it, once for every tenant of this mapping.
        backendConfiguration.mappingIsValidated = true
        let key = BackendKey(
            section: section,
            settings: configuration.settings,
            mappingName: configuration.mapping,
            mappingText: mapping.text,
            passwordDigest: password.map { TokenSecret.hexDigest(of: $0) }
        )
        return TenantSource(configuration: configuration, backend: backendConfiguration, key: key)
    }

    /// Reads and decodes `mappings/<name>.yaml`; a missing file is reported on the tenant's `mapping` key.
    func loadMapping(_ name: String, for tenantFile: String) throws(ConfigurationError) -> LoadedMapping {
        let path = paths.mappingFile(name)
        let display = paths.display("mappings/\(name).yaml")
        guard FileManager.default.fileExists(atPath: path) else {
            throw ConfigurationError(file: tenantFile, key: "mapping", message: "no mapping file \(display)")
        }
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw ConfigurationError(file: display, message: "cannot be read as UTF-8 text")
        }
        do {
            let mapping = try decodeConfigurationFile(Mapping.self, from: text)
            try mapping.validate()
            return LoadedMapping(mapping: mapping, text: text)
        } catch {
            throw configurationError(from: error, in: display)
        }
    }

    private func resolvePassword(
        _ section: TenantConfiguration.BackendSection,
        file: String
    ) throws(ConfigurationError)
        -> String?
    {
        if let variable = section.passwordEnv {
            guard let value = environment[variable] else {
                throw ConfigurationError(
                    file: file,
                    key: "backend.passwordEnv",
                    message: "environment variable \(variable) is not set"
                )
            }
            guard !value.isEmpty else {
                throw ConfigurationError(
                    file: file,
                    key: "backend.passwordEnv",
                    message: "environment variable \(variable) is empty"
                )
            }
            return value
        }
        if let passwordFile = section.passwordFile {
            let contents: String
            do {
                contents = try String(contentsOfFile: passwordFile, encoding: .utf8)
            } catch {
                throw ConfigurationError(
                    file: file,
                    key: "backend.passwordFile",
                    message: "cannot read '\(passwordFile)'"
                )
            }
            // The password is the first line, so a trailing newline from an editor does not count.
            let firstLine = contents.split(separator: "\n", omittingEmptySubsequences: false).first.map {
                $0.hasSuffix("\r") ? String($0.dropLast()) : String($0)
            }
            guard let password = firstLine, !password.isEmpty else {
                throw ConfigurationError(file: file, key: "backend.passwordFile", message: "'\(passwordFile)' is empty")
            }
            return password
        }
        return nil
    }
}

/// A decoded mapping and its text (a changed text means a changed backend).
struct LoadedMapping: Sendable {
    var mapping: Mapping
    var text: String
}

/// A tenant file resolved for building its backend.
struct TenantSource: Sendable {
    var configuration: TenantConfiguration
    var backend: BackendConfiguration
    var key: BackendKey
}

/// What a tenant's backend was built from: when it is unchanged, the backend instance is kept.
struct BackendKey: Sendable, Hashable {
    var section: TenantConfiguration.BackendSection
    var settings: [String: String]
    var mappingName: String
    var mappingText: String
    var passwordDigest: String?
}
