import TestSupport

/// The throwaway database servers of scripts/databases.sh, as the scenarios see them: `POSTGRES_*` and
/// `MYSQL_*` are shared by every suite; `POSTGRES_SCENARIO_RESTART_*` and `MYSQL_SCENARIO_RESTART_*` are a
/// pair that only resilience scenarios and fault tests stop, kill and start (the driver tests restart a pair of
/// their own). When `CI` is set, missing settings fail a scenario.
enum ScenarioServers {
    typealias Server = DatabaseServer

    /// Whether this is a CI run, where a missing server is a failure, never a skip.
    static var isCI: Bool { DatabaseServer.isCI }

    /// The server a prefix describes (`POSTGRES`, `POSTGRES_SCENARIO_RESTART`, `MYSQL`, …), or nil.
    static func server(_ prefix: String) -> Server? {
        DatabaseServer(prefix: prefix)
    }

    /// The server a prefix describes, or an error naming the missing variables (which fails the scenario).
    static func require(_ prefix: String) throws -> Server {
        try DatabaseServer.require(prefix)
    }

    /// A database or schema name no other run uses.
    static func uniqueName() -> String {
        DatabaseServer.uniqueName("scenario")
    }
}
