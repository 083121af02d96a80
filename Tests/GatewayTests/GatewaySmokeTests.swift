import Testing

@testable import Gateway

@Test func moduleLoads() {
    #expect(Bool(true))
}
