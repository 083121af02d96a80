import Synchronization

/// A value behind a `Synchronization.Mutex`, which also orders each holder's accesses after the
/// previous holder's with an atomic counter the compiler sees.
///
/// On Linux a contended `Mutex` is handed from one thread to the next by the kernel (a
/// priority-inheriting futex), with no atomic operation in user space, so ThreadSanitizer sees no
/// ordering between two holders and reports their accesses inside `withLock` as a race. The counter,
/// incremented with release ordering before each unlock and read with acquire ordering after each
/// lock, is that ordering in a form the sanitizer observes; it costs one uncontended atomic operation
/// per lock, and the lock itself is the same.
public struct Locked<Value: ~Copyable>: ~Copyable {
    private let mutex: Mutex<Value>
    private let handOver = Atomic<UInt>(0)

    /// A lock around `value`.
    public init(_ value: consuming sending Value) {
        mutex = Mutex(value)
    }

    /// Runs `body` with the value, holding the lock.
    public borrowing func withLock<Result: ~Copyable, Failure: Error>(
        _ body: (inout sending Value) throws(Failure) -> sending Result
    ) throws(Failure) -> sending Result {
        try mutex.withLock { (value: inout sending Value) throws(Failure) -> sending Result in
            _ = handOver.load(ordering: .acquiring)
            defer { handOver.wrappingAdd(1, ordering: .releasing) }
            return try body(&value)
        }
    }
}

extension Locked: @unchecked Sendable where Value: ~Copyable {}
