import Foundation
import TestSupport
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Stopping and starting the servers dedicated to restart tests (`POSTGRES_RESTART_*`, `MYSQL_RESTART_*`),
/// with the options scripts/databases.sh started them with.
/// Every wait is bounded.
extension DatabaseServers {
    struct ServerControlError: Error, CustomStringConvertible {
        var description: String
    }

    /// Stops PostgreSQL (`pg_ctl -m fast stop`: connections are cut).
    static func stopPostgres(_ server: PostgresServer) throws {
        let (data, bin) = try postgresDirectories(server)
        try run("/usr/sbin/runuser", ["-u", "postgres", "--", bin + "/pg_ctl", "-D", data, "-m", "fast", "-w", "stop"])
    }

    /// Starts PostgreSQL again and waits until it accepts connections; does nothing when it runs.
    static func startPostgres(_ server: PostgresServer) throws {
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
                "-u", "postgres", "--", bin + "/pg_ctl", "-D", data, "-w", "-t", "30", "-l", directory + "/server.log",
                "-o", options, "start",
            ]
        )
    }

    /// Stops MariaDB (SIGTERM to the pid in `mysqld.pid`) and waits, at most 30 s, until the process is gone.
    static func stopMariaDB(_ server: MariaDBServer) throws {
        let directory = try mariaDBDirectory(server)
        let pidText = try String(contentsOfFile: directory + "/mysqld.pid", encoding: .utf8)
        guard let pid = pid_t(pidText.trimmingCharacters(in: .whitespacesAndNewlines)) else {
            throw ServerControlError(description: "no MariaDB pid in \(directory)/mysqld.pid")
        }
        kill(pid, SIGTERM)
        for _ in 0..<300 where isRunning(pid) {
            usleep(100_000)
        }
        guard !isRunning(pid) else { throw ServerControlError(description: "MariaDB did not stop within 30 s") }
    }

    /// Starts MariaDB again in the background and waits, at most 30 s, until it answers a ping.
    static func startMariaDB(_ server: MariaDBServer) throws {
        let directory = try mariaDBDirectory(server)
        let socket = server.socket ?? directory + "/mysqld.sock"
        if mariaDBAnswers(socket: socket) { return }
        let arguments = [
            "--no-defaults", "--user=root", "--datadir=\(directory)/data", "--port=\(server.port)",
            "--bind-address=127.0.0.1", "--socket=\(socket)", "--pid-file=\(directory)/mysqld.pid",
            "--innodb-flush-log-at-trx-commit=0", "--max-connections=300",
        ]
        _ = try spawn("/usr/sbin/mariadbd", arguments, output: directory + "/server.log")
        for _ in 0..<150 {
            if mariaDBAnswers(socket: socket) { return }
            usleep(200_000)
        }
        throw ServerControlError(description: "MariaDB did not start within 30 s")
    }

    /// Whether the process exists and has not exited: a server whose parent shell never reaps it stays
    /// a zombie after it stopped, which `kill(pid, 0)` alone reports as alive.
    private static func isRunning(_ pid: pid_t) -> Bool {
        guard kill(pid, 0) == 0 else { return false }
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
            let close = stat.lastIndex(of: ")")
        else { return true }
        return stat[stat.index(after: close)...].trimmingCharacters(in: .whitespaces).first != "Z"
    }

    private static func mariaDBAnswers(socket: String) -> Bool {
        (try? run("/usr/bin/mariadb-admin", ["--no-defaults", "--socket=\(socket)", "-uroot", "ping"])) != nil
    }

    private static func postgresDirectories(_ server: PostgresServer) throws -> (data: String, bin: String) {
        guard let data = server.dataDirectory, let bin = server.binDirectory else {
            throw ServerControlError(description: "POSTGRES_DATA_DIR and POSTGRES_BIN are needed to restart PostgreSQL")
        }
        return (data, bin)
    }

    private static func mariaDBDirectory(_ server: MariaDBServer) throws -> String {
        guard let data = server.dataDirectory else {
            throw ServerControlError(description: "MYSQL_DATA_DIR is needed to restart MariaDB")
        }
        return (data as NSString).deletingLastPathComponent
    }

    /// Runs a command to its end; a non-zero exit is an error.
    ///
    /// `posix_spawn` and `waitpid` rather than Foundation's `Process`, whose exit detection was seen to miss
    /// the end of `runuser` once `pg_ctl` had left a daemon behind.
    private static func run(_ executable: String, _ arguments: [String]) throws {
        let pid = try spawn(executable, arguments, output: "/dev/null")
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 {
            guard errno == EINTR else { throw ServerControlError(description: "waitpid failed for \(executable)") }
        }
        // WIFEXITED and WEXITSTATUS are macros: exited normally when the low 7 bits are 0, status in bits 8-15.
        guard status & 0x7f == 0, (status >> 8) & 0xff == 0 else {
            throw ServerControlError(description: "\(executable) \(arguments.joined(separator: " ")) failed")
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
        let result = ProcessLaunch.serialized { posix_spawn(&pid, executable, &actions, nil, argv + [nil], environ) }
        guard result == 0 else { throw ServerControlError(description: "could not start \(executable)") }
        return pid
    }
}
