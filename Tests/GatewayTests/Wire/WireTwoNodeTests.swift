import Backends
import Foundation
import SCIM
import SQLDrivers
import TestSupport
import Testing

/// Scale-out as DESIGN.md describes it: two `serve` processes on different ports over the same tenants.d
/// and one PostgreSQL provisioning-log store, behind a round-robin client. Every request is answered,
/// each node sees what the other wrote, and one log query returns every entry.
@Suite struct WireTwoNodeTests {
    @Test(.enabled(if: ScenarioEngine.postgres.isAvailable))
    func twoNodesShareTenantsAndOneLog() async throws {
        let root = try temporaryDirectory()
        let configDirectory = root + "/tenants.d"
        try FileManager.default.createDirectory(atPath: configDirectory, withIntermediateDirectories: true)
        try FileManager.default.copyItem(
            atPath: ScenarioGateway.repositoryRoot.appendingPathComponent("tenants.d/mappings").path,
            toPath: configDirectory + "/mappings"
        )
        let store = try await ScenarioStore.make(.postgres, options: ScenarioGateway.Options(), directory: root)
        let server = try ScenarioServers.require("POSTGRES")
        let logSchema = try await PostgresSchema.create(on: server)
        let logStore = logSchema.url
        var variables = ProcessInfo.processInfo.environment
        variables["WIRE_PASSWORD_ACME"] = store.password
        variables["SCIM_GATEWAY_LOG_STORE_PASSWORD"] = server.password
        let environment = variables
        var nodes: [(port: Int, process: ProcessBox)] = []
        defer {
            try? FileManager.default.removeItem(atPath: root)
        }
        do {
            let backend = store.backendLines.map {
                "  " + $0.replacingOccurrences(of: ScenarioGateway.passwordVariable, with: "WIRE_PASSWORD_ACME")
            }
            let tenant =
                (["id: acme", "name: ACME", "backend:"] + backend + [
                    "mapping: chamilo-1.11", "settings:", "  accessUrlId: 1", "deprovision: deactivate",
                    "rateLimit: { perSecond: 100000, burst: 100000 }",
                ]).joined(separator: "\n") + "\n"
            try tenant.write(toFile: configDirectory + "/acme.yaml", atomically: true, encoding: .utf8)
            let binary = WireGateway.binary
            let created = try await Blocking.run {
                try ProcessBox.run(
                    binary,
                    ["tokens", "create", "--tenant", "acme", "--name", "lb", "--config-dir", configDirectory]
                )
            }
            let token = try #require(created.stdout.split(separator: "\n").first.map(String.init), "\(created)")
            for index in 0..<2 {
                let port = try RawSocket.freePort()
                let process = try ProcessBox.launch(
                    binary,
                    [
                        "serve", "--config-dir", configDirectory, "--port", String(port), "--log-store", logStore,
                    ],
                    environment: environment,
                    output: root + "/node\(index).log"
                )
                nodes.append((port, process))
                try await Self.waitForHealth(port: port, process: process, log: root + "/node\(index).log")
            }

            // A round-robin client: creates and reads alternate between the nodes.
            var ids: [String] = []
            var sent = 0
            for index in 0..<20 {
                let node = nodes[sent % 2]
                let created = try await Self.request(
                    "POST",
                    "/scim/v2/Users",
                    port: node.port,
                    token: token,
                    body: Wire.user("node\(index)@example.org")
                )
                sent += 1
                #expect(created.status == 201, "node \(sent % 2): \(created)")
                if let id = created["id"]?.stringValue { ids.append(id) }
            }
            for id in ids {
                let other = nodes[sent % 2]
                let read = try await Self.request("GET", "/scim/v2/Users/\(id)", port: other.port, token: token)
                sent += 1
                #expect(read.status == 200, "\(read)")
            }
            #expect(ids.count == 20)

            // Both nodes flush into the one store; one query returns all 40 entries.
            var entries: [JSONObject] = []
            for _ in 0..<100 {
                let logs = try await Blocking.run {
                    try ProcessBox.run(
                        binary,
                        [
                            "logs", "--config-dir", configDirectory, "--log-store", logStore, "--tenant", "acme",
                            "--json",
                        ],
                        environment: environment
                    )
                }
                entries = logs.stdout.split(separator: "\n").compactMap { try? JSONValue.parse(String($0)).objectValue }
                if entries.count >= sent { break }
                try await Task.sleep(for: .milliseconds(100))
            }
            #expect(entries.count == sent, "one log query returned \(entries.count) of \(sent) entries")
            let operations = Dictionary(grouping: entries) { $0["operation"]?.stringValue ?? "" }.mapValues(\.count)
            #expect(operations["create"] == 20 && operations["get"] == 20, "\(operations)")
        } catch {
            Issue.record(error)
        }
        for node in nodes {
            _ = try? await Blocking.run { node.process.stop() }
        }
        await logSchema.drop()
        await store.rows?.close()
        await store.drop()
    }

    private static func waitForHealth(port: Int, process: ProcessBox, log: String) async throws {
        for _ in 0..<600 {
            guard process.isRunning else {
                throw ScenarioSetupError("a node exited: \((try? String(contentsOfFile: log, encoding: .utf8)) ?? "")")
            }
            if let response = try? await request("GET", "/healthz", port: port, token: nil), response.status == 200 {
                return
            }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw ScenarioSetupError("a node did not answer /healthz")
    }

    private static func request(
        _ method: String,
        _ target: String,
        port: Int,
        token: String?,
        body: String? = nil
    ) async throws -> RawHTTPResponse {
        var head = "\(method) \(target) HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nConnection: close\r\n"
        if let token { head += "Authorization: Bearer \(token)\r\n" }
        let bytes = Array((body ?? "").utf8)
        if body != nil { head += "Content-Type: application/scim+json\r\nContent-Length: \(bytes.count)\r\n" }
        let raw = Array((head + "\r\n").utf8) + bytes
        return try await Blocking.run {
            let connection = try RawSocket.connect(port: port)
            defer { connection.close() }
            try connection.write(raw)
            return try connection.readResponse(timeout: 30)
        }
    }
}
