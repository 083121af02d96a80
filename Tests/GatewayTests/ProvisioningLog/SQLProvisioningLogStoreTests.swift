import Backends
import Foundation
import Testing

@testable import Gateway

@Suite struct SQLProvisioningLogStoreTests {
    func makeStore() async throws -> SQLProvisioningLogStore {
        let directory = try temporaryDirectory()
        let store = SQLProvisioningLogStore(database: try await SQLiteDatabase(path: directory + "/log.sqlite"))
        try await store.prepare()
        return store
    }

    @Test func insertsAndReadsBackOldestFirst() async throws {
        let store = try await makeStore()
        let entries = (1...3).map { makeEntry($0) }
        try await store.insert(entries)
        let read = try await store.entries(matching: ProvisioningLogQuery())
        #expect(read == entries)
        await store.close()
    }

    @Test func filtersByTenantSinceFailedAndUser() async throws {
        let store = try await makeStore()
        try await store.insert([
            makeEntry(1, tenant: "acme", status: 201, userName: "Alice@Example.org"),
            makeEntry(2, tenant: "acme", status: 409, userName: "bob@example.org"),
            makeEntry(3, tenant: "other", status: 500, userName: "alice@example.org"),
            makeEntry(4, tenant: "acme", status: 200, userName: "carol@example.org"),
        ])
        func ids(_ query: ProvisioningLogQuery) async throws -> [String] {
            try await store.entries(matching: query).map(\.requestId)
        }
        #expect(try await ids(.init(tenant: "acme")) == ["req-1", "req-2", "req-4"])
        #expect(try await ids(.init(failedOnly: true)) == ["req-2", "req-3"])
        #expect(try await ids(.init(user: "alice@example.org")) == ["req-1", "req-3"])
        #expect(try await ids(.init(user: "ext-4")) == ["req-4"])
        #expect(try await ids(.init(since: makeEntry(3).time)) == ["req-3", "req-4"])
        #expect(try await ids(.init(tenant: "acme", failedOnly: true)) == ["req-2"])
        #expect(try await ids(.init(limit: 2)) == ["req-3", "req-4"])
        await store.close()
    }

    @Test func retentionDeletesOnlyOlderEntries() async throws {
        let store = try await makeStore()
        try await store.insert((1...4).map { makeEntry($0) })
        let deleted = try await store.deleteEntries(olderThan: makeEntry(3).time)
        #expect(deleted == 2)
        #expect(try await store.entries(matching: .init()).map(\.requestId) == ["req-3", "req-4"])
        await store.close()
    }

    @Test func prepareIsRepeatable() async throws {
        let store = try await makeStore()
        try await store.prepare()
        try await store.insert([makeEntry(1)])
        #expect(try await store.entries(matching: .init()).count == 1)
        await store.close()
    }
}
