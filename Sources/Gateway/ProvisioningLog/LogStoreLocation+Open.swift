import Foundation
import SQLDrivers

extension LogStoreLocation {
    /// The environment variable holding the PostgreSQL log store's password (never put it in the URL).
    public static let postgresPasswordVariable = "SCIM_GATEWAY_LOG_STORE_PASSWORD"
}

/// Opens the provisioning-log store at `location` and, with `prepare`, creates its table now (without it,
/// the writer creates the table on first use, so `serve` starts while a shared store is unreachable).
///
/// A PostgreSQL store takes its password from `SCIM_GATEWAY_LOG_STORE_PASSWORD` (libpq's own
/// `PGPASSWORD` and `.pgpass` also work); a password inside the URL is refused.
public func openProvisioningLogStore(
    _ location: LogStoreLocation,
    prepare: Bool = true,
    environment: [String: String] = ProcessInfo.processInfo.environment
) async throws -> any ProvisioningLogStore {
    let database: SQLDatabase
    switch location {
    case .sqlite(let path):
        database = try SQLDatabase.sqlite(SQLiteConfiguration(path: path), maxConnections: 4, creatingFolder: true)
        // One connection now, so a bad path fails here rather than at the first entry.
        try await database.withConnection { _ in () }
    case .postgres(let url):
        let configuration: PostgreSQLConfiguration
        do {
            configuration = try PostgreSQLConfiguration(
                url: url,
                password: environment[LogStoreLocation.postgresPasswordVariable]
            )
        } catch {
            throw ProvisioningLogError("--log-store \(location): \(error)")
        }
        database = SQLDatabase.postgres(configuration, maxConnections: 2)
    case .none:
        return DroppingProvisioningLogStore()
    }
    let store = SQLProvisioningLogStore(database: database)
    guard prepare else { return store }
    do {
        try await store.prepare()
    } catch {
        await store.close()
        throw ProvisioningLogError("cannot prepare the provisioning log at \(location): \(error)")
    }
    return store
}

/// The store of `--log-store none`: keeps nothing, finds nothing, never fails.
struct DroppingProvisioningLogStore: ProvisioningLogStore {
    func prepare() async throws {}
    func insert(_ entries: [ProvisioningLogEntry]) async throws {}
    func entries(matching query: ProvisioningLogQuery) async throws -> [ProvisioningLogEntry] { [] }
    func deleteEntries(olderThan cutoff: Date) async throws -> Int { 0 }
    func close() async {}
}
