import Foundation
import Logging
import ServiceLifecycle
import Testing

@testable import Gateway

@Suite struct ProvisioningLogWriterTests {
    let logger = Logger(label: "test")

    func makeWriter(store: MemoryLogStore, directory: String, capacity: Int = 1000) -> ProvisioningLog {
        ProvisioningLog(
            store: store,
            spool: ProvisioningLogSpool(path: directory + "/spool.jsonl"),
            configuration: .init(
                flushInterval: .seconds(3600),
                batchSize: 2,
                capacity: capacity,
                replayInterval: .zero,
                retentionDays: nil
            ),
            logger: logger
        )
    }

    @Test func flushWritesEverythingInBatches() async throws {
        let store = MemoryLogStore()
        let writer = makeWriter(store: store, directory: try temporaryDirectory())
        for number in 1...5 { writer.record(makeEntry(number)) }
        await writer.flush()
        #expect(store.entries.map(\.requestId) == (1...5).map { "req-\($0)" })
        #expect(store.insertCalls == 3)
        #expect(writer.pendingCount == 0)
    }

    @Test func failingStoreSpoolsAndReplaysInOrder() async throws {
        let store = MemoryLogStore()
        let directory = try temporaryDirectory()
        let writer = makeWriter(store: store, directory: directory)
        store.setFailing(true)
        for number in 1...3 { writer.record(makeEntry(number)) }
        await writer.flush()
        #expect(store.entries.isEmpty)
        #expect(writer.spool.hasEntries)
        let spooled = try writer.spool.read()
        #expect(spooled.entries.map(\.requestId) == ["req-1", "req-2", "req-3"])
        #expect(spooled.unreadable == 0)

        store.setFailing(false)
        writer.record(makeEntry(4))
        await writer.flush()
        #expect(store.entries.map(\.requestId) == ["req-1", "req-2", "req-3", "req-4"])
        #expect(!writer.spool.hasEntries)
    }

    @Test func gracefulShutdownFlushesTheBuffer() async throws {
        let store = MemoryLogStore()
        let writer = makeWriter(store: store, directory: try temporaryDirectory())
        // batchSize 2 would wake the loop; one entry alone waits for the (hour-long) interval.
        writer.record(makeEntry(1))
        let group = ServiceGroup(services: [writer], logger: logger)
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
        }
        #expect(store.entries.map(\.requestId) == ["req-1"])
    }

    @Test func entriesNeitherStoreNorSpoolTakesWaitInMemory() async throws {
        let store = MemoryLogStore()
        let directory = try temporaryDirectory()
        // The spool's folder is a file, so the spool cannot be written, as on a full disk.
        #expect(FileManager.default.createFile(atPath: directory + "/blocked", contents: Data()))
        let writer = ProvisioningLog(
            store: store,
            spool: ProvisioningLogSpool(path: directory + "/blocked/spool.jsonl"),
            configuration: .init(
                flushInterval: .seconds(3600),
                batchSize: 2,
                replayInterval: .zero,
                retentionDays: nil
            ),
            logger: logger
        )
        store.setFailing(true)
        for number in 1...5 { writer.record(makeEntry(number)) }
        await writer.flush()
        await writer.flush()
        #expect(writer.pendingCount == 5)
        #expect(writer.droppedCount == 0)
        store.setFailing(false)
        await writer.flush()
        #expect(store.entries.map(\.requestId) == ["req-1", "req-2", "req-3", "req-4", "req-5"])
        #expect(writer.pendingCount == 0 && writer.droppedCount == 0)
    }

    @Test func fullBufferCountsWhatItRefuses() async throws {
        let store = MemoryLogStore()
        let writer = makeWriter(store: store, directory: try temporaryDirectory(), capacity: 2)
        store.setFailing(true)
        for number in 1...5 { writer.record(makeEntry(number)) }
        #expect(writer.droppedCount == 3)
        #expect(writer.pendingCount == 2)
    }
}
