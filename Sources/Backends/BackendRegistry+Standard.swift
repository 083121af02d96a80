extension BackendRegistry {
    /// Every backend this build ships: `sqlite` (path from `configuration.path`, relative to the
    /// working directory unless absolute), `postgres` and `mysql` (url, password, pool and timeouts
    /// from the configuration) and `chamilo-rest` (a portal's v2.php web service).
    public static let standard = BackendRegistry(factories: [
        "sqlite": { configuration in try SQLBackend.sqlite(configuration) },
        "postgres": { configuration in try SQLBackend.postgres(configuration) },
        "mysql": { configuration in try SQLBackend.mysql(configuration) },
        ChamiloRESTBackend.kind: chamiloRESTFactory,
    ])
}
