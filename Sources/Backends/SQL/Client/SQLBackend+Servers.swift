extension SQLBackend {
    /// Builds a PostgreSQL-backed tenant: `configuration.url` (`postgres://user@host:5432/db`, no
    /// password), the password from the tenant's `passwordEnv` / `passwordFile`, `pool.max`
    /// connections, and the connect and statement timeouts.
    public static func postgres(_ configuration: BackendConfiguration) throws -> SQLBackend {
        guard let url = configuration.url, !url.isEmpty else {
            throw BackendConfigurationError("tenant \(configuration.tenantID): backend kind postgres needs 'url'")
        }
        let server: PostgreSQLConfiguration
        do {
            server = try PostgreSQLConfiguration(
                url: url,
                username: configuration.username,
                password: configuration.password,
                connectTimeout: configuration.connectTimeout,
                statementTimeout: configuration.statementTimeout
            )
        } catch {
            throw BackendConfigurationError("tenant \(configuration.tenantID): \(error.message)")
        }
        return try SQLBackend(configuration: configuration, driver: PostgreSQLDriver(configuration: server))
    }

    /// Builds a MySQL- or MariaDB-backed tenant: `configuration.url` (`mysql://user@host:3306/db`, no
    /// password), the password apart, `pool.max` connections, and the connect and statement timeouts.
    public static func mysql(_ configuration: BackendConfiguration) throws -> SQLBackend {
        guard let url = configuration.url, !url.isEmpty else {
            throw BackendConfigurationError("tenant \(configuration.tenantID): backend kind mysql needs 'url'")
        }
        let server: MariaDBConfiguration
        do {
            server = try MariaDBConfiguration(
                url: url,
                username: configuration.username,
                password: configuration.password,
                connectTimeout: configuration.connectTimeout,
                statementTimeout: configuration.statementTimeout
            )
        } catch {
            throw BackendConfigurationError("tenant \(configuration.tenantID): \(error.message)")
        }
        return try SQLBackend(configuration: configuration, driver: MySQLDriver(configuration: server))
    }
}
