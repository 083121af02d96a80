import Foundation
import Testing

/// Through the real executable: a group larger than SQLite's bound-variable limit, and what the
/// `logs` command prints from hostile values.
@Suite(.serialized) struct MembershipAndOperatorWireTests {
    static func sqlite(_ database: String, _ arguments: [String], input: String? = nil) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/sqlite3")
        process.arguments = [database] + arguments
        let output = Pipe()
        let stdin = Pipe()
        process.standardOutput = output
        process.standardInput = stdin
        try process.run()
        if let input { stdin.fileHandleForWriting.write(Data(input.utf8)) }
        try stdin.fileHandleForWriting.close()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return text.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    @Test func aGroupBeyondSQLitesVariableLimitIsWrittenAndChangedByOne() async throws {
        try await BoundsGateway.run([BoundsTenant(id: "acme")]) { gateway in
            let database = gateway.databasePath("acme")
            let count = 33_000
            let seed = try String(
                contentsOf: BoundsGateway.root.appendingPathComponent("bench/seed-users.sql"),
                encoding: .utf8
            )
            _ = try Self.sqlite(database, ["-cmd", ".parameter set :count \(count)"], input: seed)
            #expect(try Self.sqlite(database, ["SELECT count(*) FROM user"]) == "\(count)")

            let members = (1...count).map { #"{"value":"\#($0)"}"# }.joined(separator: ",")
            let created = try gateway.scim(
                "POST",
                "/Groups",
                tenant: "acme",
                body: #"{"schemas":["urn:ietf:params:scim:schemas:core:2.0:Group"],"displayName":"All","members":["#
                    + members + "]}"
            )
            #expect(created.status == 201, "\(created.body.prefix(300))")
            let id = try #require(created.json?["id"] as? String)
            func memberCount() throws -> String {
                try Self.sqlite(database, ["SELECT count(*) FROM usergroup_rel_user WHERE usergroup_id = \(id)"])
            }
            #expect(try memberCount() == "\(count)")

            let patch = #"{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[OPS]}"#
            let removed = try gateway.scim(
                "PATCH",
                "/Groups/\(id)",
                tenant: "acme",
                body: patch.replacingOccurrences(of: "OPS", with: #"{"op":"remove","path":"members[value eq \"7\"]"}"#)
            )
            #expect([200, 204].contains(removed.status), "\(removed.body.prefix(300))")
            #expect(try memberCount() == "\(count - 1)")
            let added = try gateway.scim(
                "PATCH",
                "/Groups/\(id)",
                tenant: "acme",
                body: patch.replacingOccurrences(
                    of: "OPS",
                    with: #"{"op":"add","path":"members","value":[{"value":"7"},{"value":"7"}]}"#
                )
            )
            #expect([200, 204].contains(added.status), "\(added.body.prefix(300))")
            #expect(try memberCount() == "\(count)")
            #expect(gateway.isAlive)
        }
    }

    @Test func theLogsTableStripsControlCharacters() async throws {
        try await BoundsGateway.run([BoundsTenant(id: "acme")]) { gateway in
            let hostile = #"ada\u001b[2J\u001b[31mred\u0007\u009b"#
            let created = try gateway.scim(
                "POST",
                "/Users",
                tenant: "acme",
                body: HostileInputWireTests.user("x").replacingOccurrences(
                    of: #""userName":"x""#,
                    with: #""userName":"\#(hostile)""#
                )
            )
            #expect([201, 400].contains(created.status), "\(created.body)")
            // The log is written off the request path; the admin query flushes it.
            _ = try gateway.request("GET", "/admin/v1/logs", token: gateway.operatorToken)
            let table = try BoundsGateway.cli([
                "logs", "--config-dir", gateway.configDirectory, "--log-store",
                "sqlite:\(gateway.directory)/log.sqlite",
            ])
            #expect(table.status == 0, "\(table.stderr)")
            #expect(table.stdout.contains("POST"))
            if created.status == 201 { #expect(table.stdout.contains("ada[2J[31mred")) }
            #expect(!table.stdout.unicodeScalars.contains { $0.value == 0x1B || $0.value == 0x07 || $0.value == 0x9B })
        }
    }
}
