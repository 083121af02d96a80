import SCIM
import ServiceLifecycle
import Synchronization

extension TenantDirectory {
    /// Loads the directory (unless already loaded), then polls it until graceful shutdown and
    /// reloads whenever a tenant, token or mapping file changes; finally shuts every backend down.
    public func run() async throws {
        if !isLoaded {
            await reload()
        }
        await cancelWhenGracefulShutdown { [self] in
            await watch()
        }
        flushUsage()
        await shutdownAll()
    }

    private func watch() async {
        var lastFlush = ContinuousClock.now
        while !Task.isCancelled {
            do {
                try await Task.sleep(for: pollInterval)
            } catch {
                return
            }
            await reloadIfChanged()
            if lastFlush.duration(to: .now) >= usageFlushInterval {
                lastFlush = .now
                flushUsage()
            }
        }
    }

    /// Reloads if any watched file changed since the last reload; returns the problems, or `nil`
    /// when nothing changed. This is one step of ``run()``'s polling.
    @discardableResult
    public func reloadIfChanged() async -> [String]? {
        let fingerprint = DirectoryFingerprint.take(of: files.paths)
        guard fingerprint != state.withLock({ $0.fingerprint }) else { return nil }
        return await reload()
    }
}
