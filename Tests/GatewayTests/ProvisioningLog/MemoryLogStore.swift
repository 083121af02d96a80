import Foundation
import SCIM
import Synchronization

@testable import Gateway

/// A provisioning-log store held in memory that can be told to fail, for the writer's spooling tests.
final class MemoryLogStore: ProvisioningLogStore {
    struct Unavailable: Error {}

    private let state = Locked<(entries: [ProvisioningLogEntry], failing: Bool, inserts: Int)>(([], false, 0))

    var entries: [ProvisioningLogEntry] { state.withLock { $0.entries } }
    var insertCalls: Int { state.withLock { $0.inserts } }

    func setFailing(_ failing: Bool) {
        state.withLock { $0.failing = failing }
    }

    func prepare() async throws {
        if state.withLock({ $0.failing }) { throw Unavailable() }
    }

    func insert(_ entries: [ProvisioningLogEntry]) async throws {
        try state.withLock { state in
            if state.failing { throw Unavailable() }
            state.entries += entries
            state.inserts += 1
        }
    }

    func entries(matching query: ProvisioningLogQuery) async throws -> [ProvisioningLogEntry] {
        entries
    }

    func deleteEntries(olderThan cutoff: Date) async throws -> Int {
        state.withLock { state in
            let before = state.entries.count
            state.entries.removeAll { $0.time < cutoff }
            return before - state.entries.count
        }
    }

    func close() async {}
}

func makeEntry(
    _ number: Int,
    tenant: String = "acme",
    status: Int = 201,
    userName: String? = nil
)
    -> ProvisioningLogEntry
{
    ProvisioningLogEntry(
        time: Date(timeIntervalSince1970: 1_800_000_000 + Double(number)),
        requestId: "req-\(number)",
        tenant: tenant,
        tokenId: "tok1",
        client: "127.0.0.1",
        method: "POST",
        path: "/scim/v2/Users",
        operation: "create",
        resourceType: "User",
        resourceId: "\(number)",
        userName: userName ?? "user\(number)@example.org",
        externalId: "ext-\(number)",
        status: status,
        scimType: status >= 400 ? "uniqueness" : nil,
        detail: status >= 400 ? "userName already exists" : nil,
        durationMs: 1.5,
        attributes: ["userName", "name.givenName"]
    )
}

func temporaryDirectory() throws -> String {
    let path = FileManager.default.temporaryDirectory
        .appendingPathComponent("gateway-tests-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
}
