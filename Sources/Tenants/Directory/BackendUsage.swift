import SCIM
import Synchronization

/// Counts the requests using one tenant's backend, so that a reload retiring the backend waits for
/// them to finish on it before shutting it down (their queries would fail on a closed pool).
public final class BackendUsage: Sendable {
    private struct State {
        var inFlight = 0
        var waiters: [CheckedContinuation<Void, Never>] = []
    }

    private let state = Locked(State())

    /// No request in flight.
    public init() {}

    /// Requests using the backend now.
    public var inFlight: Int { state.withLock { $0.inFlight } }

    /// Runs `body` as one request using the backend.
    public func use<T>(_ body: () async throws -> T) async throws -> T {
        state.withLock { $0.inFlight += 1 }
        defer { end() }
        return try await body()
    }

    private func end() {
        let ready = state.withLock { state -> [CheckedContinuation<Void, Never>] in
            state.inFlight -= 1
            guard state.inFlight == 0 else { return [] }
            defer { state.waiters = [] }
            return state.waiters
        }
        for waiter in ready { waiter.resume() }
    }

    /// Returns once no request uses the backend, or after `timeout`, whichever comes first.
    public func drained(timeout: Duration) async {
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await self.idle() }
            group.addTask { try? await Task.sleep(for: timeout) }
            await group.next()
            group.cancelAll()
            self.releaseWaiters()
        }
    }

    private func idle() async {
        await withCheckedContinuation { continuation in
            let done = state.withLock { state -> Bool in
                if state.inFlight == 0 { return true }
                state.waiters.append(continuation)
                return false
            }
            if done { continuation.resume() }
        }
    }

    private func releaseWaiters() {
        let waiting = state.withLock { state -> [CheckedContinuation<Void, Never>] in
            defer { state.waiters = [] }
            return state.waiters
        }
        for waiter in waiting { waiter.resume() }
    }
}
