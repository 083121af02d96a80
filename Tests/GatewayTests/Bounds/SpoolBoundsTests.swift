import Backends
import Foundation
import Logging
import SQLDrivers
import Testing

@testable import Gateway

/// The spool is private, capped, and replayed exactly once even when a replay is repeated.
@Suite struct SpoolBoundsTests {
    @Test func spoolFileIsPrivate() throws {
        let spool = ProvisioningLogSpool(path: try temporaryDirectory() + "/spool.jsonl")
        try spool.append([makeEntry(1)])
        let attributes = try FileManager.default.attributesOfItem(atPath: spool.path)
        #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)
        let contents = try spool.read()
        #expect(!contents.id.isEmpty)
        #expect(contents.entries == [makeEntry(1)])
        #expect(contents.unreadable == 0)
    }

    @Test func fullSpoolRefusesAndCounts() async throws {
        let store = MemoryLogStore()
        store.setFailing(true)
        let spool = ProvisioningLogSpool(path: try temporaryDirectory() + "/spool.jsonl", maximumBytes: 2048)
        let writer = ProvisioningLog(
            store: store,
            spool: spool,
            configuration: .init(flushInterval: .seconds(3600), batchSize: 1, replayInterval: .seconds(3600)),
            logger: Logger(label: "test")
        )
        for number in 1...20 { writer.record(makeEntry(number)) }
        await writer.flush()
        let spooled = try spool.read().entries.count
        #expect(spooled > 0 && spooled < 20)
        #expect(writer.droppedCount == 20 - spooled)
        let size = try FileManager.default.attributesOfItem(atPath: spool.path)[.size] as? NSNumber
        #expect((size?.intValue ?? .max) <= 2048)
    }

    @Test func oldSpooledEntriesAreDroppedAtReplay() async throws {
        let store = MemoryLogStore()
        store.setFailing(true)
        let spool = ProvisioningLogSpool(path: try temporaryDirectory() + "/spool.jsonl", maximumAge: .seconds(60))
        let writer = ProvisioningLog(
            store: store,
            spool: spool,
            configuration: .init(flushInterval: .seconds(3600), replayInterval: .zero, retentionDays: nil),
            logger: Logger(label: "test")
        )
        var old = makeEntry(1)
        old.time = Date().addingTimeInterval(-3600)
        var recent = makeEntry(2)
        recent.time = Date()
        writer.record(old)
        writer.record(recent)
        await writer.flush()
        store.setFailing(false)
        await writer.flush()
        #expect(store.entries.map(\.requestId) == ["req-2"])
        #expect(writer.droppedCount == 1)
        #expect(!spool.hasEntries)
    }

    @Test func replayAfterACrashBeforeTheSpoolWasRemovedWritesNothingTwice() async throws {
        let directory = try temporaryDirectory()
        let store = SQLProvisioningLogStore(
            database: try SQLDatabase.sqlite(
                SQLiteConfiguration(path: directory + "/log.sqlite"),
                maxConnections: 4,
                creatingFolder: true
            )
        )
        try await store.prepare()
        let spool = ProvisioningLogSpool(path: directory + "/spool.jsonl")
        try spool.append([makeEntry(1), makeEntry(2)])
        // A replay committed, then the process died before removing the file: the marker records it.
        let first = try spool.read()
        try await store.insert(first.entries, replaying: first.id, through: first.entries.count)
        try spool.append([makeEntry(3)])
        #expect(try await store.replayedCount(spoolID: first.id) == 2)
        let writer = ProvisioningLog(
            store: store,
            spool: spool,
            configuration: .init(flushInterval: .seconds(3600), replayInterval: .zero, retentionDays: nil),
            logger: Logger(label: "test")
        )
        await writer.flush()
        let all = try await store.entries(matching: ProvisioningLogQuery())
        #expect(all.map(\.requestId) == ["req-1", "req-2", "req-3"])
        #expect(!spool.hasEntries)
        await store.close()
    }
}
