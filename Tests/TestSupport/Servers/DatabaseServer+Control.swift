#if canImport(Glibc)
import Foundation
import Glibc

/// Stopping, killing and starting a server dedicated to restart tests, with the options
/// scripts/databases.sh started it with. Every call blocks (run it through `Blocking.run`) and every wait
/// is bounded.
extension DatabaseServer {
    public struct ControlError: Error, CustomStringConvertible {
        public var description: String
    }

    /// Stops the server the orderly way: `pg_ctl -m fast stop` (connections are cut) or SIGTERM to
    /// MariaDB, and waits until it is gone.
    public func stop() throws {
        switch engine {
        case .postgres:
            let (data, bin) = try postgresDirectories()
            try Self.run(
                "/usr/sbin/runuser",
                ["-u", "postgres", "--", bin + "/pg_ctl", "-D", data, "-m", "fast", "-w", "stop"]
            )
        case .mariaDB:
            try signalMariaDB(SIGTERM)
        }
    }

    /// Kills the server as a crash would: SIGKILL to the server process and, for PostgreSQL, to every
    /// process it started, then waits until they are gone. The lock files a dead PostgreSQL leaves are
    /// removed, since a server process nobody collects yet would make them look taken.
    public func kill() throws {
        switch engine {
        case .postgres:
            let (data, _) = try postgresDirectories()
            guard let pid = Self.pid(inFile: data + "/postmaster.pid") else {
                throw ControlError(description: "no PostgreSQL pid in \(data)/postmaster.pid (\(prefix))")
            }
            let processes = [pid] + Self.children(of: pid)
            for process in processes { Glibc.kill(process, SIGKILL) }
            try Self.waitUntilGone(processes, what: "PostgreSQL")
            let directory = (data as NSString).deletingLastPathComponent
            unlink(data + "/postmaster.pid")
            unlink(directory + "/.s.PGSQL.\(port).lock")
        case .mariaDB:
            try signalMariaDB(SIGKILL)
        }
    }

    /// Starts the server again and waits, at most 60 s, until it accepts connections; does nothing when
    /// it runs.
    public func start() throws {
        switch engine {
        case .postgres:
            let (data, bin) = try postgresDirectories()
            if (try? Self.run("/usr/sbin/runuser", ["-u", "postgres", "--", bin + "/pg_ctl", "-D", data, "status"]))
                != nil
            {
                return
            }
            let directory = (data as NSString).deletingLastPathComponent
            let options = "-c listen_addresses=127.0.0.1 -p \(port) -k \(directory) -c fsync=off -c max_connections=200"
            try Self.run(
                "/usr/sbin/runuser",
                [
                    "-u", "postgres", "--", bin + "/pg_ctl", "-D", data, "-w", "-t", "60", "-l",
                    directory + "/server.log", "-o", options, "start",
                ]
            )
        case .mariaDB:
            if acceptsConnections() { return }
            let directory = try mariaDBDirectory()
            let arguments = [
                "--no-defaults", "--user=root", "--datadir=\(directory)/data", "--port=\(port)",
                "--bind-address=127.0.0.1", "--socket=\(try mariaDBSocket())", "--pid-file=\(directory)/mysqld.pid",
                // 2, not scripts/databases.sh's 0: each commit reaches the OS, so that a later kill of
                // the process (which restart tests do) loses no committed row.
                "--innodb-flush-log-at-trx-commit=2", "--max-connections=300",
            ]
            _ = try Self.spawn("/usr/sbin/mariadbd", arguments, output: directory + "/server.log")
            for _ in 0..<300 {
                if acceptsConnections() { return }
                usleep(200_000)
            }
            throw ControlError(description: "MariaDB (\(prefix)) did not start within 60 s")
        }
    }

    /// Whether the server accepts connections: `pg_isready` for PostgreSQL, `mariadb-admin ping` for MariaDB.
    public func acceptsConnections() -> Bool {
        switch engine {
        case .postgres:
            guard let bin = binDirectory else { return false }
            return (try? Self.run(bin + "/pg_isready", ["-q", "-h", host, "-p", "\(port)"])) != nil
        case .mariaDB:
            guard let socket = try? mariaDBSocket() else { return false }
            return (try? Self.run("/usr/bin/mariadb-admin", ["--no-defaults", "--socket=\(socket)", "-uroot", "ping"]))
                != nil
        }
    }

    private func postgresDirectories() throws -> (data: String, bin: String) {
        guard let data = dataDirectory, let bin = binDirectory else {
            throw ControlError(description: "\(prefix)_DATA_DIR and \(prefix)_BIN are needed to restart PostgreSQL")
        }
        return (data, bin)
    }

    private func mariaDBDirectory() throws -> String {
        guard let data = dataDirectory else {
            throw ControlError(description: "\(prefix)_DATA_DIR is needed to restart MariaDB")
        }
        return (data as NSString).deletingLastPathComponent
    }

    private func mariaDBSocket() throws -> String {
        try socket ?? mariaDBDirectory() + "/mysqld.sock"
    }

    /// Sends MariaDB (the pid in `mysqld.pid`) a signal and waits until it is gone.
    private func signalMariaDB(_ signal: Int32) throws {
        let file = try mariaDBDirectory() + "/mysqld.pid"
        guard let pid = Self.pid(inFile: file) else {
            throw ControlError(description: "no MariaDB pid in \(file) (\(prefix))")
        }
        Glibc.kill(pid, signal)
        try Self.waitUntilGone([pid], what: "MariaDB")
    }

    /// The number on the first line of a pid file.
    private static func pid(inFile path: String) -> pid_t? {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8),
            let line = text.split(whereSeparator: \.isNewline).first
        else { return nil }
        return pid_t(line.trimmingCharacters(in: .whitespaces))
    }

    /// The processes whose parent is `pid`, from /proc.
    private static func children(of pid: pid_t) -> [pid_t] {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return entries.compactMap { entry in
            guard let child = pid_t(entry), let stat = processStat(child), stat.count > 1,
                pid_t(stat[1]) == pid
            else { return nil }
            return child
        }
    }

    /// The fields of /proc/PID/stat after the command name: state, parent, ….
    private static func processStat(_ pid: pid_t) -> [Substring]? {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
            let close = stat.lastIndex(of: ")")
        else { return nil }
        return stat[stat.index(after: close)...].split(separator: " ")
    }

    /// Whether a process exists and has not exited: a server whose parent never collects it stays a
    /// zombie after it stopped, which `kill(pid, 0)` alone reports as alive.
    private static func isRunning(_ pid: pid_t) -> Bool {
        guard Glibc.kill(pid, 0) == 0 else { return false }
        guard let state = processStat(pid)?.first else { return false }
        return state != "Z"
    }

    private static func waitUntilGone(_ processes: [pid_t], what: String) throws {
        for _ in 0..<600 where processes.contains(where: isRunning) {
            usleep(100_000)
        }
        guard !processes.contains(where: isRunning) else {
            throw ControlError(description: "\(what) did not stop within 60 s")
        }
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
        SpawnActions.closeInherited(&actions)
        let argv = ([executable] + arguments).map { strdup($0) }
        defer { for argument in argv { free(argument) } }
        var pid: pid_t = 0
        let spawned = ProcessLaunch.serialized { posix_spawn(&pid, executable, &actions, nil, argv + [nil], environ) }
        guard spawned == 0 else { throw ControlError(description: "could not start \(executable)") }
        return pid
    }
}
#endif
