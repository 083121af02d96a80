import Foundation
import SCIM
import Synchronization

/// When each token and client was last used: recorded in memory on every authentication and written
/// to `tenants.d/<id>.usage` in batches, merged with what the file already holds (other nodes, earlier
/// runs), so that `tokens list` and `clients list` can show it without a write per request.
final class CredentialUsage: Sendable {
    private struct State {
        var seen: [String: [String: Date]] = [:]
        var dirty = Set<String>()
        var lastProblems: [String] = []
    }

    private let paths: ConfigurationPaths
    private let state = Locked(State())

    init(paths: ConfigurationPaths) {
        self.paths = paths
    }

    /// The usage file's name for a tenant.
    static func fileName(tenant: String) -> String { "\(tenant).usage" }

    func record(tenant: String, credential: String, at date: Date) {
        state.withLock { state in
            // Whole seconds: the file stores no more, and it saves marking the tenant dirty on every request.
            let second = Date(timeIntervalSince1970: date.timeIntervalSince1970.rounded(.down))
            if let known = state.seen[tenant]?[credential], known >= second { return }
            state.seen[tenant, default: [:]][credential] = second
            state.dirty.insert(tenant)
        }
    }

    func lastUsed(tenant: String) -> [String: Date] {
        let stored = Self.read(paths: paths, tenant: tenant)
        let seen = state.withLock { $0.seen[tenant] ?? [:] }
        return stored.merging(seen) { max($0, $1) }
    }

    /// Writes each tenant with new dates; answers the failures (those tenants stay dirty).
    func flush() -> [String] {
        let pending = state.withLock { state -> [String: [String: Date]] in
            let pending = state.dirty.reduce(into: [String: [String: Date]]()) { $0[$1] = state.seen[$1] ?? [:] }
            state.dirty.removeAll()
            return pending
        }
        var problems: [String] = []
        for (tenant, seen) in pending.sorted(by: { $0.key < $1.key }) {
            guard FileManager.default.fileExists(atPath: paths.tenantFile(tenant)) else { continue }
            let merged = Self.read(paths: paths, tenant: tenant).merging(seen) { max($0, $1) }
            do {
                try writeJSONFile(UsageFile(lastUsed: merged), path: paths.file(Self.fileName(tenant: tenant)))
            } catch {
                problems.append("\(error)")
                _ = state.withLock { $0.dirty.insert(tenant) }
            }
        }
        return problems
    }

    /// Remembers a flush's problems; answers whether they differ from the previous flush's (so
    /// that they are worth logging).
    func noteFlushProblems(_ problems: [String]) -> Bool {
        state.withLock { state in
            defer { state.lastProblems = problems }
            return problems != state.lastProblems
        }
    }

    struct UsageFile: JSONFileRepresentable {
        var lastUsed: [String: Date]

        init(lastUsed: [String: Date]) {
            self.lastUsed = lastUsed
        }

        init(json: JSONFields) throws(ConfigurationIssue) {
            lastUsed = try json.dates("lastUsed")
        }

        var json: JSONObject {
            let dates = JSONFields.object(lastUsed.map { ($0.key, JSONFileDate.value($0.value)) })
            return JSONFields.object([("lastUsed", .object(dates))])
        }
    }

    /// What the usage file holds; an unreadable one counts as empty (it only informs listings).
    static func read(paths: ConfigurationPaths, tenant: String) -> [String: Date] {
        let name = fileName(tenant: tenant)
        guard FileManager.default.fileExists(atPath: paths.file(name)) else { return [:] }
        let file: UsageFile? = try? readJSONFile(path: paths.file(name), displayPath: paths.display(name))
        return file?.lastUsed ?? [:]
    }
}

extension TenantFiles {
    /// When each of the tenant's tokens and clients was last used, as flushed by the gateway.
    public func lastUsed(tenant: String) -> [String: Date] {
        CredentialUsage.read(paths: paths, tenant: tenant)
    }

    /// The tenant's OAuth clients, as stored (a missing file has none).
    public func clients(tenant: String) throws(ConfigurationError) -> [OAuthClientRecord] {
        let name = "\(tenant).clients"
        return try OAuthClientFile.read(path: paths.file(name), displayPath: paths.display(name)).clients
    }
}
