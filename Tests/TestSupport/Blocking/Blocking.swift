import Foundation

/// Runs blocking work (sockets, child processes, waiting for a server to stop) on a thread of its own
/// and awaits it, so that Swift concurrency's few cooperative threads stay free meanwhile: an
/// in-process fake portal or a NIO-driven client of another test needs them.
///
/// Every call gets a new thread rather than a dispatch queue's: libdispatch on Linux keeps a concurrent
/// queue to about one thread per core and only slowly adds one when they all block, so on a 2-core
/// machine eight load clients queued behind a test's hanging requests sent nothing for seconds.
public enum Blocking {
    /// Enough for socket and process work; the threads live no longer than one call.
    private static let stackSize = 1 << 20

    /// The result of `work`, computed off the cooperative threads.
    public static func run<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            let thread = Thread { continuation.resume(with: Result { try work() }) }
            thread.stackSize = stackSize
            thread.start()
        }
    }
}
