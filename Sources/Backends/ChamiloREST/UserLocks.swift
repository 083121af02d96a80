import Foundation
import SCIM

/// Serialises writes to one user within this process: the API has no row lock or version check,
/// so a read-modify-write holds the user's lock from the read to the write. A write waits for the lock
/// at most `wait` (half the portal's call timeout): behind a write stuck on a hung portal, the next ones
/// get a 504 after that wait, not one more timeout per write queued before them.
actor UserLocks {
    private struct Waiter {
        var number: Int
        var continuation: CheckedContinuation<Void, any Error>
        var timer: Task<Void, Never>?
    }

    /// How long a write waits for its user's lock.
    let wait: Duration
    /// The tenant, for the error's detail.
    let tenantID: String
    private var held: Set<String> = []
    private var waiters: [String: [Waiter]] = [:]
    private var nextNumber = 0

    init(tenantID: String, wait: Duration) {
        self.tenantID = tenantID
        self.wait = wait
    }

    /// The lock key of a SCIM id: the Chamilo user id it names, so `5`, `05` and ` 5` share one lock
    /// (``ChamiloRESTBackend/user(id:)`` reads all of them as user 5). An id that names no number
    /// keeps its own key; it is answered 404 under that lock.
    static func key(_ id: String) -> String {
        let trimmed = id.trimmingCharacters(in: .whitespaces)
        return Int(trimmed).map { String($0) } ?? trimmed
    }

    /// Runs `body` while holding the lock of `id`; a 504 with Retry-After when the lock did not come free
    /// within ``wait``.
    func withLock<T: Sendable>(_ id: String, _ body: @Sendable () async throws -> T) async throws -> T {
        try await acquire(id)
        do {
            let result = try await body()
            release(id)
            return result
        } catch {
            release(id)
            throw error
        }
    }

    private func acquire(_ id: String) async throws {
        if held.insert(id).inserted { return }
        let number = nextNumber
        nextNumber += 1
        let wait = self.wait
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            let timer = Task { [weak self] in
                do {
                    try await Task.sleep(for: wait)
                } catch {
                    return
                }
                await self?.expire(id, number)
            }
            waiters[id, default: []].append(Waiter(number: number, continuation: continuation, timer: timer))
        }
    }

    private func expire(_ id: String, _ number: Int) {
        guard var queue = waiters[id], let index = queue.firstIndex(where: { $0.number == number }) else { return }
        let waiter = queue.remove(at: index)
        waiters[id] = queue.isEmpty ? nil : queue
        waiter.continuation.resume(
            throwing: SCIMError(
                status: 504,
                detail: "The Chamilo portal of tenant '\(tenantID)' is still busy with an earlier change of this "
                    + "user; try again.",
                retryAfter: 5
            )
        )
    }

    /// Hands the lock to the next waiter, if any, without releasing it in between.
    private func release(_ id: String) {
        if var queue = waiters[id], queue.isEmpty == false {
            let next = queue.removeFirst()
            waiters[id] = queue.isEmpty ? nil : queue
            next.timer?.cancel()
            next.continuation.resume()
        } else {
            held.remove(id)
        }
    }
}
