import Foundation
import SCIM
import SQLDrivers
import TestSupport
import Testing

/// The file system of the SQLite provisioning-log store fills up while 8 clients provision users
/// through the real executable. Provisioning goes on (the log is off the request path), the process
/// stays up, and once space is freed entries are written again. Entries that can be written neither to
/// the store nor to its spool (beside it, on the same full file system) wait in memory (README, "The
/// provisioning log"): afterwards every request is in the log exactly once and none was dropped.
@Suite struct DiskFullFaults {
    @Test(
        .timeLimit(.minutes(TestTiming.minutes(1))),
        .enabled(FaultDisk.cannotMountMessage) { try await Blocking.run { FaultDisk.canMount } }
    )
    func fullLogDiskLosesNothing() async throws {
        let disk = try await Blocking.run { try FaultDisk.mount() }
        do {
            try await Self.run(on: disk)
        } catch {
            await Self.unmount(disk)
            throw error
        }
        await Self.unmount(disk)
    }

    private static func unmount(_ disk: FaultDisk) async {
        _ = try? await Blocking.run { disk.unmount() }
    }

    private static func run(on disk: FaultDisk) async throws {
        try await WireGateway.run([WireTenant("acme")], logStore: "sqlite:" + disk.path + "/provisioning.sqlite") {
            gateway in
            let before = try await Self.creates(gateway, prefix: "before")
            try await FaultLogEntries.expectEveryRequestOnce(
                before,
                in: gateway,
                tenant: "acme",
                within: TestTiming.scaled(.seconds(15))
            )

            let filled = try await Blocking.run { try disk.fill() }
            #expect(filled > 0)
            let recorder = FaultRecorder()
            async let load: Void = FaultLoad.run(gateway, tenant: "acme", prefix: "full", recorder: recorder)
            // Several batches (one every 200 ms) meet the full disk: the load runs at least 1.5 s and
            // until it has had 16 answers, however slow the machine.
            try await Task.sleep(for: TestTiming.scaled(.milliseconds(1500)))
            let answered = try await recorder.wait(atMost: TestTiming.scaled(.seconds(20))) { $0.count >= 16 }
            recorder.stop()
            await load
            let full = recorder.outcomes
            #expect(answered, "the load got \(full.count) answers in 20 s")
            let refused = full.filter { !$0.isSuccess }
            #expect(!full.isEmpty && refused.isEmpty, "\(refused.count) of \(full.count) refused: \(refused.prefix(5))")
            #expect(gateway.isAlive, "the gateway exited:\n\(gateway.serverOutput().suffix(2000))")

            let noticed = try await Wire.eventually { gateway.serverOutput().contains("held in memory") }
            #expect(noticed, "the full disk was never noticed:\n\(gateway.serverOutput().suffix(2000))")

            try await Blocking.run { try disk.free() }
            let after = try await Self.creates(gateway, prefix: "after")
            try await FaultLogEntries.expectEveryRequestOnce(
                before + full + after,
                in: gateway,
                tenant: "acme",
                within: TestTiming.scaled(.seconds(20))
            )
            #expect(try await Self.droppedEntries(gateway) == 0)
            #expect(gateway.isAlive)
        }
    }

    /// Three creates, one after the other, each answered 201.
    private static func creates(_ gateway: WireGateway, prefix: String) async throws -> [FaultOutcome] {
        var outcomes: [FaultOutcome] = []
        for index in 0..<3 {
            let userName = "\(prefix)-\(index)@example.org"
            let started = ContinuousClock.now
            let response = try await gateway.request(
                "POST",
                "/scim/v2/Users",
                tenant: "acme",
                body: Wire.user(userName)
            )
            #expect(response.status == 201, "\(response)")
            outcomes.append(
                FaultOutcome(
                    operation: .create,
                    userName: userName,
                    id: response["id"]?.stringValue,
                    status: response.status,
                    retryAfter: nil,
                    started: started,
                    finished: .now,
                    body: response.body
                )
            )
        }
        return outcomes
    }

    /// `scim_gateway_provisioning_log_dropped_entries` from `/metrics`.
    private static func droppedEntries(_ gateway: WireGateway) async throws -> Int {
        let metrics = try await gateway.request("GET", "/metrics", tenant: nil)
        let line = metrics.body.split(separator: "\n").first {
            $0.hasPrefix("scim_gateway_provisioning_log_dropped_entries ")
        }
        let value = try #require(line?.split(separator: " ").last, "no dropped-entries metric:\n\(metrics.body)")
        return try #require(Int(value) ?? Double(value).map { Int($0) }, "\(String(describing: line))")
    }
}
