import Foundation
import Logging
import SCIM
import ServiceLifecycle
import Synchronization

/// Writes provisioning-log entries off the request path.
///
/// ``record(_:)`` only appends to a bounded in-memory buffer. The service's background loop writes
/// the buffer to the store in batches (every ``Configuration/flushInterval`` or as soon as
/// ``Configuration/batchSize`` entries wait), each batch in one transaction. When the store fails,
/// batches go to the spool file and are replayed once the store answers again; when the spool file
/// cannot be written either (a full disk), batches stay in the buffer and are tried again at the next
/// flush. A graceful shutdown writes everything still buffered. An entry is never dropped silently: a
/// full buffer counts what it refused and the loop reports it at `critical` level.
public final class ProvisioningLog: Service, Sendable {
    /// How the writer batches, spools and prunes.
    public struct Configuration: Sendable {
        /// How often buffered entries are written.
        public var flushInterval: Duration
        /// Entries per transaction; a full batch is written without waiting for the interval.
        public var batchSize: Int
        /// The most entries held in memory.
        public var capacity: Int
        /// How often a spooled backlog is retried against the store.
        public var replayInterval: Duration
        /// Entries older than this many days are deleted; `nil` keeps everything.
        public var retentionDays: Int?
        /// How often old entries are pruned.
        public var retentionInterval: Duration

        /// The default: 200 ms / 500 entries, 100 000 in memory, replay every 5 s, 90 days kept.
        public init(
            flushInterval: Duration = .milliseconds(200),
            batchSize: Int = 500,
            capacity: Int = 100_000,
            replayInterval: Duration = .seconds(5),
            retentionDays: Int? = 90,
            retentionInterval: Duration = .seconds(3600)
        ) {
            self.flushInterval = flushInterval
            self.batchSize = max(1, batchSize)
            self.capacity = max(1, capacity)
            self.replayInterval = replayInterval
            self.retentionDays = retentionDays
            self.retentionInterval = retentionInterval
        }
    }

    private struct State {
        var buffer: [ProvisioningLogEntry] = []
        var dropped = 0
        var droppedReported = 0
        /// Neither the store nor the spool took the last batch: entries wait in the buffer.
        var holding = false
        var shuttingDown = false
        var prepared = false
        var lastReplayAttempt: ContinuousClock.Instant?
        var lastRetention: ContinuousClock.Instant?
    }

    /// The store entries are written to.
    public let store: any ProvisioningLogStore
    /// Where entries wait while the store fails.
    public let spool: ProvisioningLogSpool
    /// The batching settings.
    public let configuration: Configuration
    /// Per-tenant request and failure counts of this node, fed by every entry recorded.
    public let activity = TenantActivity()
    private let logger: Logger
    private let state = Locked(State())
    private let gate = FlushGate()
    private let wakeups: AsyncStream<Void>
    private let wake: AsyncStream<Void>.Continuation

    /// A writer over `store`, spooling to `spool` while the store fails.
    public init(
        store: any ProvisioningLogStore,
        spool: ProvisioningLogSpool,
        configuration: Configuration = .init(),
        logger: Logger
    ) {
        self.store = store
        self.spool = spool
        self.configuration = configuration
        self.logger = logger
        (self.wakeups, self.wake) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
    }

    /// Queues an entry; never waits. A full buffer refuses it and counts it (reported loudly).
    public func record(_ entry: ProvisioningLogEntry) {
        activity.record(tenant: entry.tenant, status: entry.status, at: entry.time)
        let capacity = configuration.capacity
        let batchSize = configuration.batchSize
        let shouldWake = state.withLock { state -> Bool in
            guard state.buffer.count < capacity else {
                state.dropped += 1
                return true
            }
            state.buffer.append(entry)
            // While nothing takes entries, the loop retries at its interval, not at every request.
            return state.buffer.count >= batchSize && !state.holding
        }
        if shouldWake {
            wake.yield()
        }
    }

    /// Entries refused because the buffer or the spool was full, or dropped from the spool for their
    /// age, since start (`scim_gateway_provisioning_log_dropped_total`).
    public var droppedCount: Int { state.withLock { $0.dropped } }

    /// Entries waiting in memory.
    public var pendingCount: Int { state.withLock { $0.buffer.count } }

    public func run() async throws {
        let interval = configuration.flushInterval
        let wake = self.wake
        await withGracefulShutdownHandler {
            await withDiscardingTaskGroup { group in
                group.addTask {
                    while !Task.isCancelled {
                        try? await Task.sleep(for: interval)
                        wake.yield()
                    }
                }
                for await _ in wakeups {
                    await flush()
                    if state.withLock({ $0.shuttingDown }) { break }
                }
                group.cancelAll()
            }
        } onGracefulShutdown: {
            self.state.withLock { $0.shuttingDown = true }
            wake.yield()
        }
        // Whatever arrived while the loop was stopping.
        await flush()
        let unwritten = pendingCount
        if unwritten > 0 {
            logger.critical(
                "provisioning-log entries LOST at shutdown: neither the store nor the spool file could take them",
                metadata: ["entries": "\(unwritten)", "spool": "\(spool.path)"]
            )
        }
        logger.debug("provisioning log stopped")
    }

    /// Writes everything buffered now (to the store, or to the spool when the store fails), replays a
    /// due spool backlog and prunes old entries when due. Calls are serialised.
    public func flush() async {
        await gate.acquire()
        await flushLocked()
        await gate.release()
    }

    private func flushLocked() async {
        reportDropped()
        let batchSize = configuration.batchSize
        while true {
            let batch = state.withLock { state -> [ProvisioningLogEntry] in
                let count = min(batchSize, state.buffer.count)
                let batch = Array(state.buffer.prefix(count))
                state.buffer.removeFirst(count)
                return batch
            }
            if batch.isEmpty { break }
            // A batch nothing could take went back to the buffer: the next flush tries again.
            guard await write(batch) else { break }
        }
        if spool.hasEntries {
            await replay(force: false)
        }
        await pruneIfDue()
    }

    /// Writes a batch to the store, or to the spool while the store fails; false when neither took it
    /// and it went back to the front of the buffer.
    private func write(_ batch: [ProvisioningLogEntry]) async -> Bool {
        // Keep order: while a backlog waits in the spool, new entries join it.
        if spool.hasEntries {
            await replay(force: false)
        }
        if !spool.hasEntries {
            do {
                try await prepareIfNeeded()
                try await store.insert(batch)
                endHolding()
                return true
            } catch {
                // Entries held in memory are retried at every flush: the failure was reported when it began.
                let holding = state.withLock { state -> Bool in
                    state.lastReplayAttempt = .now
                    return state.holding
                }
                if !holding {
                    logger.error(
                        "provisioning-log store failed; spooling entries",
                        metadata: ["error": "\(error)", "entries": "\(batch.count)", "spool": "\(spool.path)"]
                    )
                }
            }
        }
        return appendToSpool(batch)
    }

    private func appendToSpool(_ batch: [ProvisioningLogEntry]) -> Bool {
        do {
            let refused = try spool.append(batch)
            endHolding()
            if refused > 0 {
                state.withLock { $0.dropped += refused }
                logger.critical(
                    "provisioning-log spool full: entries DROPPED",
                    metadata: [
                        "entries": "\(refused)", "spool": "\(spool.path)", "limit": "\(spool.maximumBytes) bytes",
                    ]
                )
            }
            return true
        } catch {
            hold(batch, error: error)
            return false
        }
    }

    /// Puts a batch neither the store nor the spool took back at the front of the buffer, as far as
    /// the buffer's capacity allows; the rest is dropped and counted.
    private func hold(_ batch: [ProvisioningLogEntry], error: any Error) {
        let capacity = configuration.capacity
        let (dropped, first) = state.withLock { state -> (Int, Bool) in
            let kept = batch.prefix(max(0, capacity - state.buffer.count))
            state.buffer.insert(contentsOf: kept, at: 0)
            state.dropped += batch.count - kept.count
            defer { state.holding = true }
            return (batch.count - kept.count, !state.holding)
        }
        if first || dropped > 0 {
            logger.critical(
                "provisioning-log entries held in memory: neither the store nor the spool file can take them",
                metadata: [
                    "error": "\(error)", "entries": "\(batch.count)", "dropped": "\(dropped)", "spool": "\(spool.path)",
                ]
            )
        }
    }

    private func endHolding() {
        let wasHolding = state.withLock { state -> Bool in
            defer { state.holding = false }
            return state.holding
        }
        if wasHolding {
            logger.notice("provisioning-log entries held in memory are written again")
        }
    }

    /// Moves the spool into the store, at most once per replay interval unless forced.
    private func replay(force: Bool) async {
        let interval = configuration.replayInterval
        let due = state.withLock { state -> Bool in
            if !force, let last = state.lastReplayAttempt, last.duration(to: .now) < interval { return false }
            state.lastReplayAttempt = .now
            return true
        }
        guard due else { return }
        do {
            let contents = try spool.read()
            if contents.unreadable > 0 {
                logger.critical(
                    "provisioning-log spool has unreadable lines; they are skipped",
                    metadata: ["lines": "\(contents.unreadable)", "spool": "\(spool.path)"]
                )
            }
            try await prepareIfNeeded()
            // At least once, and no more: the store says how many of this spool's entries an
            // earlier replay wrote (it may have committed just before a crash) and records the new
            // count in the same transaction as the entries.
            let done = contents.id.isEmpty ? 0 : try await store.replayedCount(spoolID: contents.id)
            let pending = contents.entries.dropFirst(min(done, contents.entries.count))
            let now = Date()
            let fresh = pending.filter { !spool.isExpired($0, now: now) }
            if fresh.count < pending.count {
                state.withLock { $0.dropped += pending.count - fresh.count }
                logger.critical(
                    "provisioning-log spool entries past the spool's age limit DROPPED",
                    metadata: ["entries": "\(pending.count - fresh.count)", "spool": "\(spool.path)"]
                )
            }
            try await store.insert(Array(fresh), replaying: contents.id, through: contents.entries.count)
            try spool.removeAll()
            logger.notice("provisioning-log spool replayed", metadata: ["entries": "\(fresh.count)"])
        } catch {
            logger.warning(
                "provisioning-log spool not replayed yet",
                metadata: ["error": "\(error)", "spool": "\(spool.path)"]
            )
        }
    }

    private func prepareIfNeeded() async throws {
        guard !state.withLock({ $0.prepared }) else { return }
        try await store.prepare()
        state.withLock { $0.prepared = true }
    }

    private func pruneIfDue() async {
        guard let days = configuration.retentionDays, days > 0 else { return }
        let interval = configuration.retentionInterval
        let due = state.withLock { state -> Bool in
            if let last = state.lastRetention, last.duration(to: .now) < interval { return false }
            state.lastRetention = .now
            return true
        }
        guard due else { return }
        let cutoff = Date().addingTimeInterval(-Double(days) * 86_400)
        do {
            try await prepareIfNeeded()
            let deleted = try await store.deleteEntries(olderThan: cutoff)
            if deleted > 0 {
                logger.info("provisioning-log entries past retention deleted", metadata: ["entries": "\(deleted)"])
            }
        } catch {
            logger.warning("provisioning-log retention failed", metadata: ["error": "\(error)"])
        }
    }

    private func reportDropped() {
        let (newly, total) = state.withLock { state -> (Int, Int) in
            let newly = state.dropped - state.droppedReported
            state.droppedReported = state.dropped
            return (newly, state.dropped)
        }
        if newly > 0 {
            logger.critical(
                "provisioning-log buffer full: entries DROPPED",
                metadata: ["dropped": "\(newly)", "droppedSinceStart": "\(total)"]
            )
        }
    }
}

/// Serialises flushes: a waiting caller resumes when the one before it finished.
private actor FlushGate {
    private var busy = false
    private var waiters: [CheckedContinuation<Void, Never>] = []

    func acquire() async {
        guard busy else {
            busy = true
            return
        }
        await withCheckedContinuation { waiters.append($0) }
    }

    func release() {
        if waiters.isEmpty {
            busy = false
        } else {
            waiters.removeFirst().resume()
        }
    }
}
