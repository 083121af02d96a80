import Foundation
import TestSupport

#if canImport(Glibc)
import Glibc
#endif

/// A child process, stopped with SIGTERM and then SIGKILL.
final class ProcessBox: @unchecked Sendable {
    private let process: Process

    private init(process: Process) { self.process = process }

    static func launch(
        _ executable: String,
        _ arguments: [String],
        environment: [String: String],
        directory: String? = nil,
        output: String
    )
        throws -> ProcessBox
    {
        _ = FileManager.default.createFile(atPath: output, contents: nil)
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: output))
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.environment = environment
        if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
        process.standardOutput = handle
        process.standardError = handle
        process.standardInput = FileHandle.nullDevice
        try ProcessLaunch.serialized { try process.run() }
        return ProcessBox(process: process)
    }

    /// Runs a command to its end and returns what it printed.
    static func run(
        _ executable: String,
        _ arguments: [String],
        environment: [String: String]? = nil
    ) throws
        -> WireCLIResult
    {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        if let environment { process.environment = environment }
        // Files, not pipes: a daemon another test starts meanwhile may inherit a pipe's write end, and the
        // end of output would then never come. The command's end is its exit.
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("wire-cli-\(UUID().uuidString)")
        let outputPath = base.path + ".out"
        let errorPath = base.path + ".err"
        _ = FileManager.default.createFile(atPath: outputPath, contents: nil)
        _ = FileManager.default.createFile(atPath: errorPath, contents: nil)
        defer {
            try? FileManager.default.removeItem(atPath: outputPath)
            try? FileManager.default.removeItem(atPath: errorPath)
        }
        let output = try FileHandle(forWritingTo: URL(fileURLWithPath: outputPath))
        let errors = try FileHandle(forWritingTo: URL(fileURLWithPath: errorPath))
        process.standardOutput = output
        process.standardError = errors
        process.standardInput = FileHandle.nullDevice
        try ProcessLaunch.serialized { try process.run() }
        process.waitUntilExit()
        try? output.close()
        try? errors.close()
        return WireCLIResult(
            status: process.terminationStatus,
            stdout: (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? "",
            stderr: (try? String(contentsOfFile: errorPath, encoding: .utf8)) ?? ""
        )
    }

    var isRunning: Bool { process.isRunning }

    func stop() {
        guard process.isRunning else { return }
        process.terminate()
        for _ in 0..<100 where process.isRunning { usleep(50_000) }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
    }
}
