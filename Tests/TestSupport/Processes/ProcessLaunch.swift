import SCIM
import Synchronization

/// One child process started at a time in the test process: Foundation's `Process.run()` was seen to
/// crash (a bad pointer in its spawn preparation) when several test threads started processes at once,
/// and a daemon spawned meanwhile could inherit another launch's descriptors. Waiting for a process to
/// end is not serialised, only starting it.
public enum ProcessLaunch {
    private static let lock = Locked(())

    /// Runs `start` (which starts a process) while no other test starts one.
    public static func serialized<T>(_ start: () throws -> T) rethrows -> T {
        try lock.withLock { _ in try start() }
    }
}
