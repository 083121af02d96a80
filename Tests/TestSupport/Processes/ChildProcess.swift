#if canImport(Glibc)
import SCIM
import Foundation
import Glibc
import Synchronization

/// glibc's `posix_spawn_file_actions_addchdir_np` (2.29 and later), which the Glibc module does not show.
@_silgen_name("posix_spawn_file_actions_addchdir_np")
private func addChangeDirectory(
    _ actions: UnsafeMutablePointer<posix_spawn_file_actions_t>,
    _ path: UnsafePointer<CChar>
) -> Int32

/// A child process started with `posix_spawn`, for the tests. Foundation's `Process.run()` crashes now
/// and then here: it copies each entry of `/proc/self/fd` with a full 256-byte name, reading past the end
/// of glibc's directory buffer, which faults when the buffer ends at a page boundary (AddressSanitizer
/// reports the over-read on every launch). The child's output goes to files, never pipes, so that a daemon
/// started meanwhile cannot hold another test's pipe open; descriptors from 3 on are closed in the child.
public final class ChildProcess: Sendable {
    /// What the child reads on standard input.
    public enum Input: Sendable {
        /// `/dev/null`.
        case null
        /// A file.
        case file(String)
        /// A pipe whose write end the test keeps (``write(_:)``, ``closeInput()``).
        case pipe
    }

    public struct LaunchError: Error, CustomStringConvertible {
        public var description: String
    }

    /// The child's process id.
    public let pid: pid_t
    private let input = Locked<Int32?>(nil)
    private let exitStatus = Locked<Int32?>(nil)

    private init(pid: pid_t, input: Int32?) {
        self.pid = pid
        self.input.withLock { $0 = input }
    }

    deinit {
        if let descriptor = input.withLock({ $0 }) { close(descriptor) }
    }

    /// Starts `executable` (an absolute path) with `arguments`; standard output and error are appended to
    /// `output` (and to `errorOutput` when given instead); the environment is the test process's unless
    /// given.
    public static func launch(
        _ executable: String,
        _ arguments: [String],
        environment: [String: String]? = nil,
        directory: String? = nil,
        input: Input = .null,
        output: String,
        errorOutput: String? = nil
    ) throws -> ChildProcess {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        var pipeEnds: [Int32] = [-1, -1]
        switch input {
        case .null: posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        case .file(let path): posix_spawn_file_actions_addopen(&actions, 0, path, O_RDONLY, 0)
        case .pipe:
            guard pipe(&pipeEnds) == 0 else { throw LaunchError(description: "pipe failed: \(errno)") }
            for end in pipeEnds { _ = fcntl(end, F_SETFD, FD_CLOEXEC) }
            posix_spawn_file_actions_adddup2(&actions, pipeEnds[0], 0)
        }
        let flags = O_WRONLY | O_CREAT | O_APPEND
        posix_spawn_file_actions_addopen(&actions, 1, output, flags, 0o644)
        if let errorOutput {
            posix_spawn_file_actions_addopen(&actions, 2, errorOutput, flags, 0o644)
        } else {
            posix_spawn_file_actions_adddup2(&actions, 1, 2)
        }
        if let directory { _ = addChangeDirectory(&actions, directory) }
        SpawnActions.closeInherited(&actions)

        let variables = (environment ?? ProcessInfo.processInfo.environment).map { "\($0.key)=\($0.value)" }
        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        let envp = variables.map { strdup($0) } + [nil]
        defer {
            for pointer in argv { free(pointer) }
            for pointer in envp { free(pointer) }
        }
        var pid: pid_t = 0
        let result = ProcessLaunch.serialized { posix_spawn(&pid, executable, &actions, nil, argv, envp) }
        if pipeEnds[0] >= 0 { close(pipeEnds[0]) }
        guard result == 0 else {
            if pipeEnds[1] >= 0 { close(pipeEnds[1]) }
            throw LaunchError(description: "cannot start \(executable): \(String(cString: strerror(result)))")
        }
        return ChildProcess(pid: pid, input: pipeEnds[1] >= 0 ? pipeEnds[1] : nil)
    }

    /// Runs a command to its end; its exit status and what it printed on standard output and error.
    public static func run(
        _ executable: String,
        _ arguments: [String],
        environment: [String: String]? = nil,
        input: Input = .null
    ) throws -> (status: Int32, stdout: String, stderr: String) {
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("child-\(UUID().uuidString)").path
        defer {
            try? FileManager.default.removeItem(atPath: base + ".out")
            try? FileManager.default.removeItem(atPath: base + ".err")
        }
        let child = try launch(
            executable,
            arguments,
            environment: environment,
            input: input,
            output: base + ".out",
            errorOutput: base + ".err"
        )
        let status = child.wait()
        return (
            status,
            (try? String(contentsOfFile: base + ".out", encoding: .utf8)) ?? "",
            (try? String(contentsOfFile: base + ".err", encoding: .utf8)) ?? ""
        )
    }

    /// Writes to the child's standard input (``Input/pipe``).
    public func write(_ text: String) {
        guard let descriptor = input.withLock({ $0 }) else { return }
        let bytes = Array(text.utf8)
        var offset = 0
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress, $0.count) }
            if written <= 0 { return }
            offset += written
        }
    }

    /// Closes the child's standard input (``Input/pipe``).
    public func closeInput() {
        if let descriptor = input.withLock({ value in
            defer { value = nil }
            return value
        }) {
            close(descriptor)
        }
    }

    /// Whether the child has not ended yet.
    public var isRunning: Bool {
        exitStatus.withLock { status in
            if status != nil { return false }
            var raw: Int32 = 0
            let reaped = waitpid(pid, &raw, WNOHANG)
            if reaped == pid {
                status = Self.decode(raw)
                return false
            }
            return reaped == 0
        }
    }

    /// Sends `number` to the child while it runs.
    public func signal(_ number: Int32) {
        if isRunning { kill(pid, number) }
    }

    /// Waits for the child to end; its exit status (128 + the signal when a signal ended it). The wait
    /// itself holds no lock, so ``isRunning`` answers meanwhile; whichever of the two reaps the child
    /// records its status.
    @discardableResult
    public func wait() -> Int32 {
        if let status = exitStatus.withLock({ $0 }) { return status }
        var raw: Int32 = 0
        var reaped: pid_t
        repeat { reaped = waitpid(pid, &raw, 0) } while reaped < 0 && errno == EINTR
        return exitStatus.withLock { status in
            if let status { return status }
            let decoded = reaped == pid ? Self.decode(raw) : -1
            status = decoded
            return decoded
        }
    }

    /// SIGTERM, up to five seconds, then SIGKILL; waits for the end.
    public func stop() {
        guard isRunning else { return }
        kill(pid, SIGTERM)
        for _ in 0..<100 where isRunning { usleep(50_000) }
        if isRunning { kill(pid, SIGKILL) }
        wait()
    }

    private static func decode(_ raw: Int32) -> Int32 {
        let signal = raw & 0x7f
        return signal == 0 ? (raw >> 8) & 0xff : 128 + signal
    }
}
#endif
