import Backends
import Foundation
import Synchronization
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// One SQLite tenant of a ``BoundsGateway``: its own database made from the shipped 1.11 DDL.
struct BoundsTenant: Sendable {
    var id: String
    /// Appended to the tenant file, e.g. `rateLimit: { perSecond: 5, burst: 5 }`.
    var extraYAML: String = ""
    /// Keys added to the `backend` mapping, e.g. `statementTimeout: 1`.
    var backendYAML: String = ""
}

/// The real `.build/debug/scim-gateway serve` on a free loopback port over a temporary tenants.d,
/// driven with raw HTTP bytes on real sockets.
///
/// Invariant for `@unchecked Sendable`: `process` is started once in ``run(_:serveArguments:_:)``
/// before the instance is shared and only read (`isRunning`) or terminated there afterwards.
final class BoundsGateway: @unchecked Sendable {
    static let root = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    static let binary = root.appendingPathComponent(".build/debug/scim-gateway").path

    let directory: String
    let port: Int
    let tokens: [String: String]
    let operatorToken: String
    private let process: Process
    private let outputPath: String

    private init(directory: String, port: Int, tokens: [String: String], operatorToken: String, process: Process) {
        self.directory = directory
        self.port = port
        self.tokens = tokens
        self.operatorToken = operatorToken
        self.process = process
        self.outputPath = directory + "/server.log"
    }

    /// The tenants.d directory.
    var configDirectory: String { directory + "/tenants.d" }

    /// The SQLite file of a tenant.
    func databasePath(_ tenant: String) -> String { directory + "/\(tenant).sqlite" }

    /// Whether the process still runs.
    var isAlive: Bool { process.isRunning }

    /// Its standard output and error so far.
    func serverOutput() -> String {
        (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? ""
    }

    /// Starts the gateway, runs `body`, and stops the gateway (also when `body` throws).
    static func run(
        _ tenants: [BoundsTenant],
        serveArguments: [String] = [],
        _ body: (BoundsGateway) async throws -> Void
    ) async throws {
        try #require(
            FileManager.default.isExecutableFile(atPath: binary),
            "build the executable first (swift build --build-tests builds it)"
        )
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("bounds-\(UUID().uuidString)").path
        let config = directory + "/tenants.d"
        try FileManager.default.createDirectory(atPath: config + "/mappings", withIntermediateDirectories: true)
        try FileManager.default.copyItem(
            atPath: root.appendingPathComponent("tenants.d/mappings/chamilo-1.11.yaml").path,
            toPath: config + "/mappings/chamilo-1.11.yaml"
        )
        let ddl = try String(
            contentsOf: root.appendingPathComponent("schemas/sqlite/chamilo-1.11.sql"),
            encoding: .utf8
        )
        var tokens: [String: String] = [:]
        for tenant in tenants {
            let database = try await SQLiteDatabase(path: directory + "/\(tenant.id).sqlite")
            try await database.executeScript(ddl)
            await database.close()
            let backendExtra = tenant.backendYAML.isEmpty ? "" : "\n  " + tenant.backendYAML
            try """
            id: \(tenant.id)
            name: \(tenant.id)
            backend:
              kind: sqlite
              path: \(directory)/\(tenant.id).sqlite\(backendExtra)
            mapping: chamilo-1.11
            settings:
              accessUrlId: 1
            \(tenant.extraYAML)

            """.write(toFile: config + "/\(tenant.id).yaml", atomically: true, encoding: .utf8)
            tokens[tenant.id] =
                try cli(["tokens", "create", "--config-dir", config, "--tenant", tenant.id, "--name", "t"])
                .stdout.split(separator: "\n").first.map(String.init) ?? ""
        }
        let operatorToken =
            try cli(["tokens", "create", "--config-dir", config, "--admin", "--name", "op"])
            .stdout.split(separator: "\n").first.map(String.init) ?? ""
        let port = try freePort()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.currentDirectoryURL = URL(fileURLWithPath: directory)
        process.arguments =
            [
                "serve", "--config-dir", config, "--host", "127.0.0.1", "--port", String(port),
                "--log-store", "sqlite:\(directory)/log.sqlite",
            ] + serveArguments
        _ = FileManager.default.createFile(atPath: directory + "/server.log", contents: nil)
        let output = try FileHandle(forWritingTo: URL(fileURLWithPath: directory + "/server.log"))
        process.standardOutput = output
        process.standardError = output
        try process.run()
        let gateway = BoundsGateway(
            directory: directory,
            port: port,
            tokens: tokens,
            operatorToken: operatorToken,
            process: process
        )
        defer {
            if process.isRunning {
                process.terminate()
                process.waitUntilExit()
            }
            try? output.close()
            try? FileManager.default.removeItem(atPath: directory)
        }
        try await gateway.waitUntilServing()
        try await body(gateway)
    }

    private func waitUntilServing() async throws {
        for _ in 0..<200 {
            // Ready once the tenants are loaded and reachable.
            if let response = try? request("GET", "/readyz", token: nil, timeout: 1), response.status == 200 {
                return
            }
            guard isAlive else { break }
            try await Task.sleep(for: .milliseconds(50))
        }
        Issue.record("the gateway did not start: \(serverOutput())")
        throw CancellationError()
    }

    /// One request on a new connection; `target` is sent verbatim.
    func request(
        _ method: String,
        _ target: String,
        token: String?,
        body: String? = nil,
        headers: [(String, String)] = [],
        timeout: Double = 10
    ) throws -> BoundsResponse {
        var head = "\(method) \(target) HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
        if let token { head += "Authorization: Bearer \(token)\r\n" }
        for (name, value) in headers { head += "\(name): \(value)\r\n" }
        if let body {
            head += "Content-Type: application/scim+json\r\nContent-Length: \(body.utf8.count)\r\n"
        }
        let bytes = Array((head + "\r\n" + (body ?? "")).utf8)
        let connection = try BoundsSocket.connect(port: port)
        defer { connection.close() }
        try connection.write(bytes)
        return try BoundsResponse(parsing: connection.readAll(timeout: timeout))
    }

    /// A SCIM request for a tenant.
    func scim(_ method: String, _ path: String, tenant: String, body: String? = nil) throws -> BoundsResponse {
        try request(method, "/scim/v2" + path, token: tokens[tenant], body: body)
    }

    struct CLIResult {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// Runs the executable with `arguments` and waits for it.
    static func cli(_ arguments: [String]) throws -> CLIResult {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = arguments
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let stdout = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        let stderr = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return CLIResult(status: process.terminationStatus, stdout: stdout, stderr: stderr)
    }

    private static func freePort() throws -> Int {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { throw BoundsSocket.Failure("socket") }
        defer { Glibc.close(descriptor) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard bound == 0 else { throw BoundsSocket.Failure("bind") }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(descriptor, $0, &length) }
        }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}

/// An HTTP/1.1 response read off a socket.
struct BoundsResponse {
    var status: Int
    var headers: [(String, String)]
    var body: String

    init(parsing bytes: [UInt8]) throws {
        let text = String(decoding: bytes, as: UTF8.self)
        guard let split = text.range(of: "\r\n\r\n") else {
            throw BoundsSocket.Failure("no complete response (\(bytes.count) bytes)")
        }
        let lines = text[..<split.lowerBound].components(separatedBy: "\r\n")
        let statusParts = lines.first?.split(separator: " ") ?? []
        guard statusParts.count >= 2, let status = Int(statusParts[1]) else {
            throw BoundsSocket.Failure("no status line")
        }
        self.status = status
        self.headers = lines.dropFirst().compactMap { line in
            guard let colon = line.firstIndex(of: ":") else { return nil }
            return (String(line[..<colon]), line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces))
        }
        self.body = String(text[split.upperBound...])
    }

    func header(_ name: String) -> String? {
        headers.first { $0.0.lowercased() == name.lowercased() }?.1
    }

    /// The JSON body.
    var json: [String: Any]? {
        (try? JSONSerialization.jsonObject(with: Data(body.utf8))) as? [String: Any]
    }
}

/// Blocking POSIX sockets with timeouts, for bytes no HTTP client would send.
enum BoundsSocket {
    struct Failure: Error, CustomStringConvertible {
        var description: String
        init(_ description: String) { self.description = description }
    }

    /// One TCP connection.
    final class Connection: Sendable {
        let descriptor: Int32

        init(descriptor: Int32) { self.descriptor = descriptor }

        func write(_ bytes: [UInt8]) throws {
            var offset = 0
            while offset < bytes.count {
                let sent = bytes[offset...].withUnsafeBytes {
                    send(descriptor, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL))
                }
                guard sent > 0 else { throw Failure("send failed (errno \(errno))") }
                offset += sent
            }
        }

        /// The next bytes within `timeout` seconds: `[]` when none came in time, `nil` when the peer
        /// closed the connection (or reset it).
        func read(timeout: Double) throws -> [UInt8]? {
            var descriptors = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
            let ready = poll(&descriptors, 1, Int32(timeout * 1000))
            guard ready > 0 else { return [] }
            var buffer = [UInt8](repeating: 0, count: 65_536)
            let count = buffer.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, $0.count, 0) }
            guard count > 0 else { return nil }
            return Array(buffer[..<count])
        }

        /// Everything until the peer closes or `timeout` seconds pass without a byte.
        func readAll(timeout: Double) throws -> [UInt8] {
            var bytes: [UInt8] = []
            while let chunk = try read(timeout: timeout), !chunk.isEmpty {
                bytes += chunk
            }
            return bytes
        }

        /// Whether the server closed the connection within `timeout` seconds.
        func isClosedByPeer(within timeout: Double) throws -> Bool {
            let deadline = Date().addingTimeInterval(timeout)
            while Date() < deadline {
                guard let chunk = try read(timeout: max(0.01, deadline.timeIntervalSinceNow)) else { return true }
                if chunk.isEmpty { return false }
            }
            return false
        }

        func close() {
            Glibc.close(descriptor)
        }
    }

    static func connect(port: Int) throws -> Connection {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { throw Failure("socket") }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = UInt16(port).bigEndian
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                Glibc.connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard connected == 0 else {
            Glibc.close(descriptor)
            throw Failure("connect to \(port) failed (errno \(errno))")
        }
        return Connection(descriptor: descriptor)
    }
}
