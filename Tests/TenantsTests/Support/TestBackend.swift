import Backends
import SCIM
import Synchronization

/// A backend that stores nothing: it remembers how it was configured and whether it was shut
/// down, so tests can see which instances a reload kept, built and retired.
final class TestBackend: Backend {
    let configuration: BackendConfiguration
    private let shutDown = Locked(false)
    private let problems: [String]

    init(configuration: BackendConfiguration, problems: [String] = []) {
        self.configuration = configuration
        self.problems = problems
    }

    var isShutDown: Bool { shutDown.withLock { $0 } }

    var capabilities: BackendCapabilities {
        BackendCapabilities(
            resourceKinds: [.user],
            sorting: false,
            etags: false,
            changePassword: false,
            filterOperators: []
        )
    }

    func schemas(for kind: ResourceKind) -> [SCIMSchema] { [] }

    func create(_ kind: ResourceKind, attributes: JSONObject) async throws -> ResourceRecord {
        throw SCIMError.unavailable("test backend")
    }

    func get(_ kind: ResourceKind, id: String) async throws -> ResourceRecord {
        throw SCIMError.notFound(id)
    }

    func replace(
        _ kind: ResourceKind,
        id: String,
        attributes: JSONObject,
        ifMatch: String?
    ) async throws
        -> ResourceRecord
    {
        throw SCIMError.notFound(id)
    }

    func modify(
        _ kind: ResourceKind,
        id: String,
        ifMatch: String?,
        change: @Sendable (ResourceRecord) throws -> JSONObject
    ) async throws -> ResourceRecord {
        throw SCIMError.notFound(id)
    }

    func delete(_ kind: ResourceKind, id: String, mode: DeprovisionMode, ifMatch: String?) async throws {
        throw SCIMError.notFound(id)
    }

    func search(_ kind: ResourceKind, query: SearchQuery) async throws -> SearchResult {
        throw SCIMError.unavailable("test backend")
    }

    func verify(connect: Bool) async -> [String] {
        connect ? problems + ["reached \(configuration.path ?? configuration.url ?? "?")"] : problems
    }

    func shutdown() async {
        shutDown.withLock { $0 = true }
    }
}

/// A registry with the kind `test`, whose backends refuse a `path` of `refuse` and report a
/// problem for a `path` of `unhealthy`.
let testRegistry = BackendRegistry(factories: [
    "test": { configuration in
        if configuration.path == "refuse" {
            throw BackendConfigurationError("path: the test backend refuses this path")
        }
        let problems = configuration.path == "unhealthy" ? ["the test store is unhealthy"] : []
        return TestBackend(configuration: configuration, problems: problems)
    }
])
