import Foundation
import Testing

@testable import Gateway

@Suite struct TenantActivityTests {
    let start = Date(timeIntervalSince1970: 1_800_000_000)

    @Test func windowsCountWhatFellInsideThem() {
        let activity = TenantActivity()
        for minute in 0..<120 {
            activity.record(tenant: "acme", status: minute % 4 == 0 ? 409 : 200, at: start + Double(minute * 60))
        }
        let now = start + 119 * 60
        let hour = activity.summary(tenant: "acme", lastMinutes: 60, now: now)
        #expect(hour.requests == 60 && hour.failures == 15)
        #expect(abs(hour.failureRatio - 0.25) < 1e-9)
        let day = activity.summary(tenant: "acme", lastMinutes: 1440, now: now)
        #expect(day.requests == 120 && day.failures == 30)
        #expect(activity.summary(tenant: "other", lastMinutes: 60, now: now).failureRatio == 0)
        #expect(activity.lastActivity(tenant: "acme") == now)
    }

    @Test func slotsOfAnOlderDayDoNotCount() {
        let activity = TenantActivity()
        activity.record(tenant: "acme", status: 500, at: start)
        let nextDay = start + 24 * 3600
        activity.record(tenant: "acme", status: 200, at: nextDay)
        let day = activity.summary(tenant: "acme", lastMinutes: 1440, now: nextDay)
        #expect(day.requests == 1 && day.failures == 0)
        activity.retain(tenants: [])
        #expect(activity.summary(tenant: "acme", lastMinutes: 1440, now: nextDay).requests == 0)
    }
}
