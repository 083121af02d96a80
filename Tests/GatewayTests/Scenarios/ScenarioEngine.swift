import Backends
import Foundation
import HTTPTypes
import SCIM
import Testing

/// What a scenario needs of an engine. Each engine declares what it offers; a scenario runs on every
/// engine whose capabilities include what it needs.
struct ScenarioCapabilities: OptionSet, Sendable {
    let rawValue: Int

    /// Users: create, read, replace, PATCH, delete, `eq` filters on `userName`, `externalId` and `id`.
    static let users = ScenarioCapabilities(rawValue: 1 << 0)
    /// The whole filter grammar: `co`, `sw`, `ew`, `pr`, `gt`/`lt`, `and`/`or`/`not`, value paths.
    static let fullFilters = ScenarioCapabilities(rawValue: 1 << 1)
    static let sorting = ScenarioCapabilities(rawValue: 1 << 2)
    static let groups = ScenarioCapabilities(rawValue: 1 << 3)
    /// Passwords set on create and changed later.
    static let passwords = ScenarioCapabilities(rawValue: 1 << 4)
    /// The enterprise extension's `employeeNumber`.
    static let enterpriseUser = ScenarioCapabilities(rawValue: 1 << 5)
    /// A soft-deleted user answers 404, is hidden from lists and revived by a new POST.
    static let softDelete = ScenarioCapabilities(rawValue: 1 << 6)
    /// The tenant's rows can be read back with SQL.
    static let sqlRows = ScenarioCapabilities(rawValue: 1 << 7)
    /// A database server that resilience scenarios may stop and start.
    static let restartableServer = ScenarioCapabilities(rawValue: 1 << 8)
    /// An in-process fake portal that can be stopped and slowed.
    static let fakePortal = ScenarioCapabilities(rawValue: 1 << 9)
}

/// The backend engines every scenario is parametrised over.
enum ScenarioEngine: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case sqlite
    case postgres
    case mysql
    case chamiloREST = "chamilo-rest"

    var testDescription: String { rawValue }

    /// The backend kind in a tenant file.
    var kind: String { rawValue }

    var capabilities: ScenarioCapabilities {
        let sql: ScenarioCapabilities = [
            .users, .fullFilters, .sorting, .groups, .passwords, .enterpriseUser, .softDelete, .sqlRows,
        ]
        switch self {
        case .sqlite: return sql
        case .postgres, .mysql: return sql.union(.restartableServer)
        case .chamiloREST: return [.users, .fakePortal]
        }
    }

    /// The environment prefix of the shared server and of the one resilience scenarios restart.
    var serverPrefixes: (shared: String, restart: String)? {
        switch self {
        case .postgres: return ("POSTGRES", "POSTGRES_SCENARIO_RESTART")
        case .mysql: return ("MYSQL", "MYSQL_SCENARIO_RESTART")
        case .sqlite, .chamiloREST: return nil
        }
    }

    /// The folder of `schemas/` with this engine's DDL.
    var schemaFolder: String? {
        switch self {
        case .sqlite: return "sqlite"
        case .postgres: return "postgres"
        case .mysql: return "mysql"
        case .chamiloREST: return nil
        }
    }

    /// Whether the engine runs now. SQLite and the fake portal always do; a database engine runs when
    /// its server is described and this build has its backend and DDL, and always under CI, where
    /// anything missing fails the scenario.
    var isAvailable: Bool {
        guard let prefixes = serverPrefixes, let folder = schemaFolder else { return true }
        if ScenarioServers.isCI { return true }
        let ddl = ScenarioGateway.repositoryRoot.appendingPathComponent("schemas/\(folder)/chamilo-1.11.sql").path
        return ScenarioServers.server(prefixes.shared) != nil
            && BackendRegistry.standard.kinds.contains(kind)
            && FileManager.default.fileExists(atPath: ddl)
    }

    /// The engines to run a scenario needing `needed` on.
    static func supporting(_ needed: ScenarioCapabilities) -> [ScenarioEngine] {
        allCases.filter { $0.capabilities.isSuperset(of: needed) && $0.isAvailable }
    }
}

/// Says, once per database engine, when its scenarios are left out of this run (and otherwise checks that
/// a tenant on it loads and serves).
@Suite struct ScenarioEngineAvailability {
    static let hint: Comment = """
        database engine left out: start the servers (source scripts/lib.sh; source scripts/databases.sh; \
        start_databases) with a build that registers the backend; under CI this fails instead
        """

    @Test(.enabled(if: ScenarioEngine.postgres.isAvailable, hint))
    func postgresScenariosRun() async throws {
        try await DiscoveryScenarios().discoveryFollowsCapabilities(engine: .postgres)
    }

    @Test(.enabled(if: ScenarioEngine.mysql.isAvailable, hint))
    func mysqlScenariosRun() async throws {
        try await DiscoveryScenarios().discoveryFollowsCapabilities(engine: .mysql)
    }
}
