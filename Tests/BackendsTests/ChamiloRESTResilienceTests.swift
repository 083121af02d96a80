import SCIM
import TestSupport
import Testing

@testable import Backends

@Suite struct ChamiloRESTResilienceTests {
    @Test func rotatedKeyIsRenewedOnceTransparently() async throws {
        try await ChamiloRESTFixture.with { fixture in
            let created = try await fixture.backend.create(.user, attributes: chamiloUser("ada"))
            #expect(await fixture.state.requests("authenticate").count == 1)
            await fixture.state.rotateKey()
            let read = try await fixture.backend.get(.user, id: created.id)
            #expect(read.id == created.id)
            #expect(await fixture.state.requests("authenticate").count == 2)
            // get_users: once for the create's read-back, then refused and repeated once.
            #expect(await fixture.state.requests("get_users").count == 3)
            _ = try await fixture.backend.get(.user, id: created.id)
            #expect(await fixture.state.requests("authenticate").count == 2)
            #expect(await fixture.state.violations.isEmpty)
        }
    }

    @Test func wrongAdminPasswordIsBadGateway() async throws {
        try await ChamiloRESTFixture.with(password: "wrong") { fixture in
            let error = await scimError { _ = try await fixture.backend.search(.user, query: SearchQuery()) }
            #expect(error?.status == 502)
            #expect(error?.detail.contains("credentials") == true)
            #expect(error?.detail.contains("wrong") == false)
            let problems = await fixture.backend.verify(connect: true)
            #expect(problems.count == 1)
            #expect(problems.first?.contains("credentials") == true)
        }
    }

    @Test func verifyPassesAgainstAHealthyPortal() async throws {
        try await ChamiloRESTFixture.with { fixture in
            let lines = await fixture.backend.verify(connect: true)
            #expect(lines.allSatisfy(VerificationNote.isNote))
            #expect(lines.contains { $0.contains("read-only to SCIM") })
            #expect(await fixture.backend.verify(connect: false).isEmpty)
        }
    }

    @Test func stoppedSlowAndRecoveredPortal() async throws {
        try await ChamiloRESTFixture.with(statementTimeout: .seconds(4)) { fixture in
            let created = try await fixture.backend.create(.user, attributes: chamiloUser("ada"))

            await fixture.server.stop()
            let down = await scimError { _ = try await fixture.backend.get(.user, id: created.id) }
            #expect(down?.status == 503)
            #expect(down?.retryAfter != nil)

            try await fixture.server.start()
            // Well past the 4 s timeout; the timeout itself leaves room for a machine loaded by other suites.
            await fixture.state.setDelay(TestTiming.scaled(.seconds(9)))
            let slow = await scimError { _ = try await fixture.backend.get(.user, id: created.id) }
            #expect(slow?.status == 504)
            #expect(slow?.retryAfter != nil)

            await fixture.state.setDelay(.zero)
            let read = try await fixture.backend.get(.user, id: created.id)
            #expect(read.id == created.id)
            #expect(await fixture.state.violations.isEmpty)
        }
    }

    @Test func timedOutCreateIsNotRepeated() async throws {
        try await ChamiloRESTFixture.with(statementTimeout: .seconds(4)) { fixture in
            _ = try await fixture.backend.search(.user, query: SearchQuery())
            await fixture.state.setDelay(TestTiming.scaled(.seconds(9)))
            let error = await scimError { _ = try await fixture.backend.create(.user, attributes: chamiloUser("ada")) }
            #expect(error?.status == 504)
            await fixture.state.setDelay(.zero)
            // A repeat would have been sent before create returned, so before this call.
            _ = try await fixture.backend.search(.user, query: eq("userName", "admin"))
            #expect(await fixture.state.requests("save_user").count == 1)
        }
    }
}
