import Foundation
import TestSupport

#if canImport(Glibc)
import Glibc
#endif

/// A child process of a wire test (the gateway, its CLI), stopped with SIGTERM and then SIGKILL.
final class ProcessBox: Sendable {
    private let child: ChildProcess

    private init(child: ChildProcess) { self.child = child }

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
        let child = try ChildProcess.launch(
            executable,
            arguments,
            environment: environment,
            directory: directory,
            output: output
        )
        return ProcessBox(child: child)
    }

    /// Runs a command to its end and returns what it printed.
    static func run(
        _ executable: String,
        _ arguments: [String],
        environment: [String: String]? = nil
    ) throws
        -> WireCLIResult
    {
        let result = try ChildProcess.run(executable, arguments, environment: environment)
        return WireCLIResult(status: result.status, stdout: result.stdout, stderr: result.stderr)
    }

    var isRunning: Bool { child.isRunning }

    func signal(_ number: Int32) {
        child.signal(number)
    }

    func stop() {
        child.stop()
    }
}
