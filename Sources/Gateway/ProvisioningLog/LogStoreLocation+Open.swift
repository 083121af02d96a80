import Backends
import Foundation

/// Opens the provisioning-log store at `location` and creates its table.
public func openProvisioningLogStore(_ location: LogStoreLocation) async throws -> any ProvisioningLogStore {
    switch location {
    case .sqlite(let path):
        let store = SQLProvisioningLogStore(database: try await SQLiteDatabase(path: path))
        try await store.prepare()
        return store
    case .postgres:
        throw ProvisioningLogError(
            "a PostgreSQL provisioning-log store (\(location)) is not available in this build; use sqlite:PATH"
        )
    }
}
