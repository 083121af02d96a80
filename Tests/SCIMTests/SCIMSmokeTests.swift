import Testing

@testable import SCIM

@Test func moduleLoads() {
    #expect(Bool(true))
}
