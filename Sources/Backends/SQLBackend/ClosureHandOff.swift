import SCIM
import Synchronization

/// Hands a non-escaping closure (made escapable with `withoutActuallyEscaping`) to a blocking
/// thread-pool job so that no reference to it outlives the call.
///
/// The job calls ``take()`` and drops the closure when it returns; the caller calls ``take()``
/// again before leaving `withoutActuallyEscaping`, covering a job that never ran.
final class ClosureHandOff<Function: Sendable>: Sendable {
    private let function: Locked<Function?>

    init(_ function: Function) {
        self.function = Locked(function)
    }

    /// The closure, once; nil afterwards.
    func take() -> Function? {
        function.withLock { stored in
            defer { stored = nil }
            return stored
        }
    }
}
