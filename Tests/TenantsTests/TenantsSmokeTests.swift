import Testing

@testable import Tenants

@Test func moduleLoads() {
    #expect(Bool(true))
}
