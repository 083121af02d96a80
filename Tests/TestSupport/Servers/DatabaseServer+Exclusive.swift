/// One test at a time per restartable server: suites run in parallel, and a test that stops, kills or
/// starts a server must not have it go away under another test (or come back in the middle of its
/// outage). Every test that restarts a server runs its whole body, the database's setup included,
/// inside ``DatabaseServer/exclusively(_:)``.
extension DatabaseServer {
    /// Runs `body` while no other test of this process holds the server (by its prefix); waits its turn.
    public func exclusively<T>(_ body: () async throws -> T) async throws -> T {
        await ServerTurns.shared.acquire(prefix)
        do {
            let result = try await body()
            await ServerTurns.shared.release(prefix)
            return result
        } catch {
            await ServerTurns.shared.release(prefix)
            throw error
        }
    }
}

/// The servers held by a test, and the tests waiting for each.
private actor ServerTurns {
    static let shared = ServerTurns()

    private var held: Set<String> = []
    private var waiting: [String: [CheckedContinuation<Void, Never>]] = [:]

    func acquire(_ prefix: String) async {
        guard held.contains(prefix) else {
            held.insert(prefix)
            return
        }
        await withCheckedContinuation { waiting[prefix, default: []].append($0) }
    }

    func release(_ prefix: String) {
        if var queue = waiting[prefix], !queue.isEmpty {
            // The turn passes straight to the next test: the server stays held.
            queue.removeFirst().resume()
            waiting[prefix] = queue
        } else {
            held.remove(prefix)
        }
    }
}
