import Foundation
import Logging
import Tenants

/// A fresh configuration directory under the system's temporary folder, removed when released.
final class ConfigurationFolder {
    let path: String

    init() throws {
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("tenants-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(
            at: url.appendingPathComponent("mappings"),
            withIntermediateDirectories: true
        )
        path = url.path
        try write("mappings/chamilo-1.11.yaml", Self.shippedMapping)
    }

    /// The shipped chamilo-1.11 mapping, so that tenants load exactly as in production.
    static let shippedMapping: String = {
        let root = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let file = root.appendingPathComponent("tenants.d/mappings/chamilo-1.11.yaml")
        return (try? String(contentsOf: file, encoding: .utf8)) ?? "unreadable: \(file.path)"
    }()

    deinit {
        try? FileManager.default.removeItem(atPath: path)
    }

    func write(_ name: String, _ text: String) throws {
        try text.write(toFile: "\(path)/\(name)", atomically: true, encoding: .utf8)
    }

    func remove(_ name: String) throws {
        try FileManager.default.removeItem(atPath: "\(path)/\(name)")
    }

    /// A valid tenant file for the `test` backend kind.
    static func tenantYAML(
        id: String,
        name: String = "Test portal",
        backendPath: String = "data/test.sqlite",
        extra: String = ""
    ) -> String {
        """
        id: \(id)
        name: \(name)
        backend:
          kind: test
          path: \(backendPath)
        mapping: chamilo-1.11
        settings:
          accessUrlId: 1
        \(extra)
        """
    }

    func writeTenant(_ id: String, name: String = "Test portal", backendPath: String = "data/test.sqlite") throws {
        try write("\(id).yaml", Self.tenantYAML(id: id, name: name, backendPath: backendPath))
    }

    func makeDirectory(
        environment: [String: String] = [:],
        clock: @escaping @Sendable () -> Date = { Date() }
    ) -> TenantDirectory {
        TenantDirectory(
            configDirectory: path,
            registry: testRegistry,
            logger: Logger(label: "tenants-tests", factory: { _ in SwiftLogNoOpLogHandler() }),
            environment: environment,
            clock: clock
        )
    }
}
