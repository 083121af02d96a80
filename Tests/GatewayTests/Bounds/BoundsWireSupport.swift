import Backends
import Foundation
import SCIM
import TestSupport
import Testing

/// What the bounds tests need beside the wire harness: the SQLite file behind a tenant, a backend
/// key added to a tenant file, raw sockets held open, and commands run without a gateway.
extension WireGateway {
    /// The SQLite file of a tenant (the `path:` of its tenant file).
    func sqlitePath(_ tenant: String) throws -> String {
        let text = try String(contentsOfFile: configDirectory + "/\(tenant).yaml", encoding: .utf8)
        let line = try #require(
            text.split(separator: "\n").first { $0.trimmingCharacters(in: .whitespaces).hasPrefix("path:") }
        )
        return line.split(separator: ":", maxSplits: 1)[1].trimmingCharacters(in: .whitespaces)
            .trimmingCharacters(in: CharacterSet(charactersIn: "\""))
    }

    /// Sets `line` (e.g. `statementTimeout: 1`) in a tenant's `backend` section, replacing the key's
    /// line if the file has one, and reloads.
    func addBackendKey(_ tenant: String, _ line: String) async throws {
        let path = configDirectory + "/\(tenant).yaml"
        let key = "  " + (line.split(separator: ":", maxSplits: 1).first.map(String.init) ?? line) + ":"
        let text = try String(contentsOfFile: path, encoding: .utf8)
        let kept = text.split(separator: "\n", omittingEmptySubsequences: false).filter { !$0.hasPrefix(key) }
        try kept.joined(separator: "\n").replacingOccurrences(of: "backend:\n", with: "backend:\n  \(line)\n")
            .write(toFile: path, atomically: true, encoding: .utf8)
        let response = try await request("POST", "/admin/v1/reload", tenant: "operator")
        #expect(response.status == 200, "\(response)")
    }

    /// A create of user `name` for `tenant`.
    func createUser(_ tenant: String, _ name: String) async throws -> RawHTTPResponse {
        try await request("POST", "/scim/v2/Users", tenant: tenant, body: Wire.user(name))
    }

    /// The JSON array a `/admin/v1/logs` query answers.
    func logEntries(_ query: String) async throws -> [JSONObject] {
        let response = try await request("GET", "/admin/v1/logs?" + query, tenant: "operator")
        #expect(response.status == 200, "\(response)")
        return response.json?.arrayValue?.compactMap(\.objectValue) ?? []
    }
}

enum BoundsSupport {
    /// Runs `work` on `count` threads of its own at once (neither Swift concurrency's nor the shared
    /// blocking queue's, which other tests need meanwhile) and collects what each returned.
    static func concurrently<T: Sendable>(_ count: Int, _ work: @escaping @Sendable (Int) -> T) async -> [T] {
        await withTaskGroup(of: T.self) { group in
            for index in 0..<count {
                group.addTask {
                    await withCheckedContinuation { continuation in
                        Thread.detachNewThread { continuation.resume(returning: work(index)) }
                    }
                }
            }
            var results: [T] = []
            for await result in group { results.append(result) }
            return results
        }
    }

    /// Runs the executable without a gateway (e.g. `serve` with bad flags) and waits for it.
    static func command(_ arguments: [String]) async throws -> WireCLIResult {
        try await Blocking.run { try ProcessBox.run(WireGateway.binary, arguments) }
    }

    /// `sqlite3 DATABASE ARGUMENTS…` with `input` on standard input; its output, trimmed.
    static func sqlite(_ database: String, _ arguments: [String], input: String? = nil) async throws -> String {
        try await Blocking.run {
            let inputFile = FileManager.default.temporaryDirectory.appendingPathComponent("sqlite-\(UUID().uuidString)")
            try Data((input ?? "").utf8).write(to: inputFile)
            defer { try? FileManager.default.removeItem(at: inputFile) }
            let result = try ChildProcess.run("/usr/bin/sqlite3", [database] + arguments, input: .file(inputFile.path))
            return result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        }
    }
}

extension RawSocket.Connection {
    /// Whether the server closed the connection within `timeout` seconds (bytes it sends meanwhile
    /// are read and ignored). Blocking: call it inside `Blocking.run`.
    func isClosedByPeer(within timeout: Double) throws -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            guard let chunk = try read(timeout: max(0.01, deadline.timeIntervalSinceNow)) else { return true }
            if chunk.isEmpty { return false }
        }
        return false
    }

    /// Everything until the peer closes or `timeout` seconds pass without a byte. Blocking.
    func readAll(timeout: Double) throws -> [UInt8] {
        var bytes: [UInt8] = []
        while let chunk = try read(timeout: timeout), !chunk.isEmpty {
            bytes += chunk
        }
        return bytes
    }
}
