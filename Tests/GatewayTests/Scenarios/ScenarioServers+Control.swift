import Foundation
import TestSupport

#if canImport(Glibc)
import Glibc
#endif

/// Stopping and starting the database servers dedicated to restart scenarios (`*_RESTART_*`), with the
/// options scripts/databases.sh started them with. Every wait is bounded.
extension ScenarioServers {
    struct ControlError: Error, CustomStringConvertible {
        var description: String
    }

    static func stop(_ engine: ScenarioEngine, _ server: Server) throws {
        switch engine {
        case .postgres:
            let (data, bin) = try postgresDirectories(server)
            try run(
                "/usr/sbin/runuser",
                ["-u", "postgres", "--", bin + "/pg_ctl", "-D", data, "-m", "fast", "-w", "stop"]
            )
        case .mysql:
            let directory = try mariaDBDirectory(server)
            let text = try String(contentsOfFile: directory + "/mysqld.pid", encoding: .utf8)
            guard let pid = pid_t(text.trimmingCharacters(in: .whitespacesAndNewlines)) else {
                throw ControlError(description: "no MariaDB pid in \(directory)/mysqld.pid")
            }
            kill(pid, SIGTERM)
            for _ in 0..<600 where isRunning(pid) {
                usleep(100_000)
            }
            guard !isRunning(pid) else { throw ControlError(description: "MariaDB did not stop within 60 s") }
        case .sqlite, .chamiloREST:
            throw ControlError(description: "\(engine.rawValue) has no server to stop")
        }
    }

    /// Starts the server again and waits until it accepts connections; does nothing when it runs.
    static func start(_ engine: ScenarioEngine, _ server: Server) throws {
        switch engine {
        case .postgres:
            let (data, bin) = try postgresDirectories(server)
            if (try? run("/usr/sbin/runuser", ["-u", "postgres", "--", bin + "/pg_ctl", "-D", data, "status"])) != nil {
                return
            }
            let directory = (data as NSString).deletingLastPathComponent
            let options =
                "-c listen_addresses=127.0.0.1 -p \(server.port) -k \(directory) -c fsync=off -c max_connections=200"
            try run(
                "/usr/sbin/runuser",
                [
                    "-u", "postgres", "--", bin + "/pg_ctl", "-D", data, "-w", "-t", "60", "-l",
                    directory + "/server.log", "-o", options, "start",
                ]
            )
        case .mysql:
            let directory = try mariaDBDirectory(server)
            let socket = server.socket ?? directory + "/mysqld.sock"
            if mariaDBAnswers(socket) { return }
            let arguments = [
                "--no-defaults", "--user=root", "--datadir=\(directory)/data", "--port=\(server.port)",
                "--bind-address=127.0.0.1", "--socket=\(socket)", "--pid-file=\(directory)/mysqld.pid",
                "--innodb-flush-log-at-trx-commit=0", "--max-connections=300",
            ]
            _ = try spawn("/usr/sbin/mariadbd", arguments, output: directory + "/server.log")
            for _ in 0..<300 {
                if mariaDBAnswers(socket) { return }
                usleep(200_000)
            }
            throw ControlError(description: "MariaDB did not start within 60 s")
        case .sqlite, .chamiloREST:
            throw ControlError(description: "\(engine.rawValue) has no server to start")
        }
    }

    /// Whether a process runs. A server that exited but whose parent (the shell that started it) has not
    /// collected it yet is a zombie, which `kill(pid, 0)` still finds: it counts as stopped.
    private static func isRunning(_ pid: pid_t) -> Bool {
        guard kill(pid, 0) == 0 else { return false }
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
            let close = stat.lastIndex(of: ")")
        else { return true }
        return stat[stat.index(after: close)...].trimmingCharacters(in: .whitespaces).first != "Z"
    }

    private static func mariaDBAnswers(_ socket: String) -> Bool {
        (try? run("/usr/bin/mariadb-admin", ["--no-defaults", "--socket=\(socket)", "-uroot", "ping"])) != nil
    }

    private static func postgresDirectories(_ server: Server) throws -> (data: String, bin: String) {
        guard let data = server.dataDirectory, let bin = server.binDirectory else {
            throw ControlError(
                description: "POSTGRES_SCENARIO_RESTART_DATA_DIR and POSTGRES_SCENARIO_RESTART_BIN are needed"
            )
        }
        return (data, bin)
    }

    private static func mariaDBDirectory(_ server: Server) throws -> String {
        guard let data = server.dataDirectory else {
            throw ControlError(description: "MYSQL_SCENARIO_RESTART_DATA_DIR is needed")
        }
        return (data as NSString).deletingLastPathComponent
    }

    /// Runs a command to its end; a non-zero exit is an error. `posix_spawn` and `waitpid`, because the
    /// daemon `pg_ctl` leaves behind keeps Foundation's `Process` from seeing the end of `runuser`.
    private static func run(_ executable: String, _ arguments: [String]) throws {
        let pid = try spawn(executable, arguments, output: "/dev/null")
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 {
            guard errno == EINTR else { throw ControlError(description: "waitpid failed for \(executable)") }
        }
        // WIFEXITED / WEXITSTATUS are macros: a normal exit has the low 7 bits 0, the status in bits 8-15.
        guard status & 0x7f == 0, (status >> 8) & 0xff == 0 else {
            throw ControlError(description: "\(executable) \(arguments.joined(separator: " ")) failed")
        }
    }

    /// Starts a command with standard input from /dev/null and its output appended to `output`.
    private static func spawn(_ executable: String, _ arguments: [String], output: String) throws -> pid_t {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, output, O_WRONLY | O_CREAT | O_APPEND, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        // Nothing else of the test process: a daemon holding a pipe of another test would keep that
        // test from ever seeing the end of its output.
        SpawnActions.closeInherited(&actions)
        let argv = ([executable] + arguments).map { strdup($0) }
        defer { for argument in argv { free(argument) } }
        var pid: pid_t = 0
        let spawned = ProcessLaunch.serialized { posix_spawn(&pid, executable, &actions, nil, argv + [nil], environ) }
        guard spawned == 0 else {
            throw ControlError(description: "could not start \(executable)")
        }
        return pid
    }
}
