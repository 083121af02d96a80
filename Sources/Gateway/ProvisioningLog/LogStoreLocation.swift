import Foundation

/// Where the provisioning log lives, as `--log-store` writes it.
///
/// `sqlite:./data/provisioning.sqlite` (the default; `sqlite:` then a path, relative to the working
/// directory unless absolute; `sqlite:///abs/path` also works) or `postgres://user@host:5432/db`.
/// `none` keeps no log at all: entries are made and dropped. It exists to measure what the log costs
/// (`bench/run`); a gateway serving portals keeps its log.
public enum LogStoreLocation: Sendable, Hashable, CustomStringConvertible {
    /// An SQLite file.
    case sqlite(path: String)
    /// A PostgreSQL database shared by several gateway nodes.
    case postgres(url: String)
    /// No log: every entry is dropped (for measuring the log's cost only).
    case none

    /// The default store: `sqlite:./data/provisioning.sqlite`.
    public static let defaultValue = LogStoreLocation.sqlite(path: "./data/provisioning.sqlite")

    /// The default as text.
    public static let defaultText = "sqlite:./data/provisioning.sqlite"

    /// Parses a `--log-store` value; throws a ``ProvisioningLogError`` saying what is accepted.
    public init(parsing text: String) throws {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        let lowered = trimmed.lowercased()
        if lowered == "none" {
            self = .none
            return
        }
        if lowered.hasPrefix("postgres://") || lowered.hasPrefix("postgresql://") {
            guard let url = URL(string: trimmed), let host = url.host, !host.isEmpty else {
                throw ProvisioningLogError("--log-store '\(Self.redacted(trimmed))' is not a valid postgres:// URL")
            }
            self = .postgres(url: trimmed)
            return
        }
        if lowered.hasPrefix("sqlite:") {
            var path = String(trimmed.dropFirst("sqlite:".count))
            if path.hasPrefix("//") {
                path = String(path.dropFirst(2))
            }
            guard !path.isEmpty, !path.hasSuffix("/") else {
                throw ProvisioningLogError("--log-store '\(trimmed)' names no SQLite file")
            }
            self = .sqlite(path: path)
            return
        }
        throw ProvisioningLogError(
            "--log-store '\(Self.redacted(trimmed))' is not understood; expected sqlite:PATH, postgres://… or none"
        )
    }

    /// The location for messages; a password in a URL is hidden.
    public var description: String {
        switch self {
        case .sqlite(let path): return "sqlite:\(path)"
        case .postgres(let url): return Self.redacted(url)
        case .none: return "none"
        }
    }

    /// The default spool file: beside the SQLite file, or `./data/` for a PostgreSQL store (and for no
    /// store, which never spools: it cannot fail).
    public var defaultSpoolPath: String {
        switch self {
        case .sqlite(let path): return path + ".spool.jsonl"
        case .postgres, .none: return "./data/provisioning-log.spool.jsonl"
        }
    }

    static func redacted(_ url: String) -> String {
        guard var components = URLComponents(string: url), components.password != nil else { return url }
        components.password = "***"
        return components.string ?? url
    }
}
