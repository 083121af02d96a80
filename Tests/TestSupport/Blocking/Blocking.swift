import Dispatch

/// Runs blocking work (sockets, child processes, waiting for a server to stop) on a dispatch thread
/// and awaits it, so that Swift concurrency's few cooperative threads stay free meanwhile: an
/// in-process fake portal or a NIO-driven client of another test needs them.
public enum Blocking {
    private static let queue = DispatchQueue(label: "test-blocking", attributes: .concurrent)

    /// The result of `work`, computed off the cooperative threads.
    public static func run<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            queue.async { continuation.resume(with: Result { try work() }) }
        }
    }
}
