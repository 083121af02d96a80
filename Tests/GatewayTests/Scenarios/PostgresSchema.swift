import Backends
import SQLDrivers
import TestSupport

/// A fresh schema on a PostgreSQL server, for one test's tenant database or log store: the URL that puts
/// it first on the search path, and the admin connection that made it and drops it.
struct PostgresSchema: Sendable {
    let server: DatabaseServer
    let name: String
    private let admin: SQLDatabase

    /// `postgres://user@host:port/database`.
    var base: String { "postgres://\(server.user)@\(server.host):\(server.port)/\(server.database)" }
    /// The server's URL with this schema on the search path.
    var url: String { base + "?options=-csearch_path%3D\(name)" }

    /// Creates a schema no other run uses.
    static func create(on server: DatabaseServer) async throws -> PostgresSchema {
        let admin = SQLDatabase.postgres(
            try PostgreSQLConfiguration(
                url: "postgres://\(server.user)@\(server.host):\(server.port)/\(server.database)"
                    + "?options=-cclient_min_messages%3Dwarning",
                password: server.password
            ),
            maxConnections: 1
        )
        let name = ScenarioServers.uniqueName()
        do {
            try await admin.execute("CREATE SCHEMA \(name)", [])
        } catch {
            await admin.close()
            throw error
        }
        return PostgresSchema(server: server, name: name, admin: admin)
    }

    /// Drops the schema and closes the admin connection. A test that killed the server left a dead
    /// connection behind, which the pool replaces on a later try.
    func drop() async {
        for _ in 0..<5 {
            if (try? await admin.execute("DROP SCHEMA \(name) CASCADE", [])) != nil { break }
            try? await Task.sleep(for: .milliseconds(300))
        }
        await admin.close()
    }
}
