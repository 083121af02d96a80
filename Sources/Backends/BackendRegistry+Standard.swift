extension BackendRegistry {
    /// Every backend this build ships: `sqlite` (path from `configuration.path`, relative to the
    /// working directory unless absolute) and `chamilo-rest` (a portal's v2.php web service).
    public static let standard = BackendRegistry(factories: [
        "sqlite": { configuration in try SQLBackend.sqlite(configuration) },
        ChamiloRESTBackend.kind: chamiloRESTFactory,
    ])
}
