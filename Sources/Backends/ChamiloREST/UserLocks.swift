import Foundation

/// Serialises writes to one user within this process: the API has no row lock or version check,
/// so a read-modify-write holds the user's lock from the read to the write.
actor UserLocks {
    private var held: Set<String> = []
    private var waiters: [String: [CheckedContinuation<Void, Never>]] = [:]

    /// The lock key of a SCIM id: the Chamilo user id it names, so `5`, `05` and ` 5` share one lock
    /// (``ChamiloRESTBackend/user(id:)`` reads all of them as user 5). An id that names no number
    /// keeps its own key; it is answered 404 under that lock.
    static func key(_ id: String) -> String {
        let trimmed = id.trimmingCharacters(in: .whitespaces)
        return Int(trimmed).map { String($0) } ?? trimmed
    }

    /// Runs `body` while holding the lock of `id`.
    func withLock<T: Sendable>(_ id: String, _ body: @Sendable () async throws -> T) async throws -> T {
        await acquire(id)
        do {
            let result = try await body()
            release(id)
            return result
        } catch {
            release(id)
            throw error
        }
    }

    private func acquire(_ id: String) async {
        if held.insert(id).inserted { return }
        await withCheckedContinuation { continuation in
            waiters[id, default: []].append(continuation)
        }
    }

    /// Hands the lock to the next waiter, if any, without releasing it in between.
    private func release(_ id: String) {
        if var queue = waiters[id], queue.isEmpty == false {
            let next = queue.removeFirst()
            waiters[id] = queue.isEmpty ? nil : queue
            next.resume()
        } else {
            held.remove(id)
        }
    }
}
