/// A transport fault of the fake portal, for the gateway's fault tests: the API behind it keeps its
/// contract, only the connection misbehaves.
public enum FakeChamiloFault: Sendable, Equatable {
    /// Requests are answered.
    case none
    /// Requests are read and recorded but never answered, as a portal stuck on a lock or a dead PHP
    /// worker behind a live web server: the connection stays open until the client gives up or the fault
    /// is cleared (then the request is dropped unanswered and not run).
    case hang
    /// Requests are run, and the answer is cut off halfway: the head announces the whole body, half of
    /// it is sent, then the connection closes, as a proxy or a crashing worker does.
    case dropMidResponse
}

/// Thrown to end a response whose connection the fake cuts.
struct FakeChamiloCut: Error {}

extension FakeChamiloState {
    /// Makes the portal misbehave (or behave again, with `.none`).
    public func setFault(_ fault: FakeChamiloFault) {
        self.fault = fault
    }
}
