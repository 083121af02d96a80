extension BackendRegistry {
    /// Builds a ``ChamiloRESTBackend`` for a tenant with `backend.kind: chamilo-rest`.
    public static let chamiloRESTFactory: Factory = { configuration in
        try ChamiloRESTBackend(configuration: configuration)
    }
}
