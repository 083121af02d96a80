import Backends
import Foundation
import Logging
import SQLDrivers
import TestSupport
import Testing

@testable import Tenants

/// `scim-gateway check --connect` against a real SQLite portal whose mapping names a column the
/// portal lacks: the problem names tenant, table and column, and the command exits non-zero.
@Suite struct CheckConnectTests {
    static let root = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// A configuration folder with one SQLite tenant on the shipped DDL and a mapping whose
    /// `name.givenName` column is misspelt.
    func makePortal() async throws -> (folder: ConfigurationFolder, database: String) {
        let folder = try ConfigurationFolder()
        let misspelt = ConfigurationFolder.shippedMapping
            .replacingOccurrences(of: "name: chamilo-1.11", with: "name: misspelt")
            .replacingOccurrences(of: "column: firstname", with: "column: frstname")
        try folder.write("mappings/misspelt.yaml", misspelt)
        let database = "\(folder.path)/acme.sqlite"
        let ddl = try String(
            contentsOf: Self.root.appendingPathComponent("schemas/sqlite/chamilo-1.11.sql"),
            encoding: .utf8
        )
        let portal = try SQLDatabase.sqlite(
            SQLiteConfiguration(path: database),
            maxConnections: 4,
            creatingFolder: true
        )
        try await portal.executeScript(ddl)
        await portal.close()
        try folder.write(
            "acme.yaml",
            """
            id: acme
            name: ACME
            backend:
              kind: sqlite
              path: \(database)
            mapping: misspelt
            settings:
              accessUrlId: 1
            """
        )
        return (folder, database)
    }

    @Test func aMisspeltColumnIsNamed() async throws {
        let (folder, _) = try await makePortal()
        let directory = TenantDirectory(
            configDirectory: folder.path,
            registry: .standard,
            logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })
        )
        #expect(await directory.loadProblemsOnly(connect: false).isEmpty)
        let problems = await directory.loadProblemsOnly(connect: true)
            .filter { !$0.contains(" \(VerificationNote.notePrefix) ") }
        #expect(problems.count == 1)
        #expect(problems.first?.contains("tenant acme") == true)
        #expect(problems.first?.contains("user") == true)
        #expect(problems.first?.contains("frstname") == true)
    }

    @Test func theCommandExitsNonZero() async throws {
        let binary =
            ProcessInfo.processInfo.environment["SCIM_GATEWAY_BIN"]
            ?? Self.root.appendingPathComponent(".build/debug/scim-gateway").path
        try #require(
            FileManager.default.isExecutableFile(atPath: binary),
            "build the executable first (swift build --build-tests builds it)"
        )
        let (folder, _) = try await makePortal()
        let path = folder.path
        let result = try await Blocking.run {
            try ChildProcess.run(binary, ["check", "--config-dir", path, "--connect"])
        }
        let printed = result.stdout
        #expect(result.status != 0)
        #expect(printed.contains("frstname"))
        #expect(printed.split(separator: "\n").count == 1)
    }
}
