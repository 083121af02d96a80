import Foundation

/// Which entries a provisioning-log query returns. Empty criteria match everything.
public struct ProvisioningLogQuery: Sendable, Hashable {
    /// Only this tenant's entries.
    public var tenant: String?
    /// Only entries at or after this time.
    public var since: Date?
    /// Only failed requests (status 400 or above).
    public var failedOnly: Bool
    /// Only entries whose `userName` (compared without letter case) or `externalId` is this.
    public var user: String?
    /// At most this many entries: the most recent ones.
    public var limit: Int

    /// Makes a query.
    public init(
        tenant: String? = nil,
        since: Date? = nil,
        failedOnly: Bool = false,
        user: String? = nil,
        limit: Int = 1000
    ) {
        self.tenant = tenant
        self.since = since
        self.failedOnly = failedOnly
        self.user = user
        self.limit = limit
    }
}

/// Where provisioning-log entries are kept: an SQLite file, or PostgreSQL shared by several nodes.
public protocol ProvisioningLogStore: Sendable {
    /// Creates the table and its indexes when absent.
    func prepare() async throws

    /// Writes entries in one transaction: all of them or none.
    func insert(_ entries: [ProvisioningLogEntry]) async throws

    /// The most recent entries matching `query`, oldest first.
    func entries(matching query: ProvisioningLogQuery) async throws -> [ProvisioningLogEntry]

    /// Deletes entries older than `cutoff`; answers how many were deleted.
    @discardableResult
    func deleteEntries(olderThan cutoff: Date) async throws -> Int

    /// Closes the store.
    func close() async

    /// How many entries of the spool `spoolID` an earlier replay wrote (0 when none).
    func replayedCount(spoolID: String) async throws -> Int

    /// Writes replayed spool entries and, in the same transaction, that the spool `spoolID` has been
    /// written through its first `through` entries.
    func insert(_ entries: [ProvisioningLogEntry], replaying spoolID: String, through: Int) async throws
}

extension ProvisioningLogStore {
    /// A store without replay markers has written none.
    public func replayedCount(spoolID: String) async throws -> Int { 0 }

    /// A store without replay markers writes the entries alone.
    public func insert(_ entries: [ProvisioningLogEntry], replaying spoolID: String, through: Int) async throws {
        try await insert(entries)
    }
}
