import Testing

@testable import Backends

@Test func moduleLoads() {
    #expect(Bool(true))
}
