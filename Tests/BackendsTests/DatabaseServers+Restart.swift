import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Stopping and starting the shared test servers, with the options scripts/databases.sh started them with.
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
            ["-u", "postgres", "--", bin + "/pg_ctl", "-D", data, "-w", "-t", "30", "-l", directory + "/server.log",
             "-o", options, "start"]
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
        for _ in 0..<300 where kill(pid, 0) == 0 {
            usleep(100_000)
        }
        guard kill(pid, 0) != 0 else { throw ServerControlError(description: "MariaDB did not stop within 30 s") }
    }

    /// Starts MariaDB again in the background and waits, at most 30 s, until it answers a ping.
    static func startMariaDB(_ server: MariaDBServer) throws {
        let directory = try mariaDBDirectory(server)
        let socket = server.socket ?? directory + "/mysqld.sock"
        if mariaDBAnswers(socket: socket) { return }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/sbin/mariadbd")
        process.arguments = [
            "--no-defaults", "--user=root", "--datadir=\(directory)/data", "--port=\(server.port)",
            "--bind-address=127.0.0.1", "--socket=\(socket)", "--pid-file=\(directory)/mysqld.pid",
            "--innodb-flush-log-at-trx-commit=0", "--max-connections=300",
        ]
        let log = FileHandle(forWritingAtPath: directory + "/server.log")
        log?.seekToEndOfFile()
        process.standardOutput = log ?? FileHandle.nullDevice
        process.standardError = log ?? FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        try process.run()
        for _ in 0..<150 {
            if mariaDBAnswers(socket: socket) { return }
            usleep(200_000)
        }
        throw ServerControlError(description: "MariaDB did not start within 30 s")
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
    @discardableResult
    private static func run(_ executable: String, _ arguments: [String]) throws -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw ServerControlError(description: "\(executable) \(arguments.joined(separator: " ")) failed")
        }
        return process.terminationStatus
    }
}
