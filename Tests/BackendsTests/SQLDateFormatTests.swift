import Foundation
import SCIM
import Testing

@testable import Backends

/// Stored dates and dateTime filter values share SCIM's calendar: a day the month lacks is refused.
@Suite struct SQLDateFormatTests {
    static let missingDays = ["2025-02-30", "2025-04-31", "2023-02-29", "2025-13-01", "2025-00-10", "2025-01-00"]

    @Test func storedTextRefusesDaysTheMonthLacks() {
        for day in Self.missingDays {
            #expect(SQLDateFormat.date(from: "\(day) 12:00:00") == nil, "\(day)")
            #expect(SQLDateFormat.date(from: "\(day)T12:00:00Z") == nil, "\(day)")
        }
        let leapDay = SQLDateFormat.date(from: "2024-02-29 12:00:00")
        #expect(leapDay.map(SQLDateFormat.string(from:)) == "2024-02-29 12:00:00")
        #expect(
            SQLDateFormat.date(from: "2025-04-30 00:00:00").map(SQLDateFormat.string(from:)) == "2025-04-30 00:00:00"
        )
    }

    @Test func filterValuesRefuseDaysTheMonthLacks() {
        for day in Self.missingDays {
            #expect(SQLDateFormat.storedText(fromSCIM: "\(day)T00:00:00Z") == nil, "\(day)")
            #expect(SCIMDateTime.instant("\(day)T00:00:00Z") == nil, "\(day)")
        }
        #expect(SQLDateFormat.storedText(fromSCIM: "2024-02-29T23:00:00-02:00") == "2024-03-01 01:00:00")
        #expect(SCIMDateTime.instant("2024-02-29T00:00:00Z") == 1_709_164_800)
    }

    @Test func formattingClampsToTheYearsSCIMCanWrite() {
        #expect(SQLDateFormat.string(from: Date(timeIntervalSince1970: 1e15)) == "9999-12-31 23:59:59")
        #expect(SQLDateFormat.string(from: Date(timeIntervalSince1970: -1e15)) == "0001-01-01 00:00:00")
        #expect(SQLDateFormat.string(from: Date(timeIntervalSince1970: .nan)) == "1970-01-01 00:00:00")
        #expect(SQLDateFormat.string(from: Date(timeIntervalSince1970: -0.5)) == "1969-12-31 23:59:59")
    }

    @Test(arguments: Engine.available)
    func aFilterOnAMissingDayIsAnInvalidFilter(engine: Engine) async throws {
        let fixture = try await ChamiloFixture.make(engine)
        defer { Task { await fixture.close() } }
        _ = try await fixture.backend.create(.user, attributes: userAttributes("ada"))
        for day in ["2025-02-30", "2023-02-29"] {
            let filter = try FilterParser.parse(#"meta.lastModified gt "\#(day)T00:00:00Z""#)
            await #expect {
                _ = try await fixture.backend.search(.user, query: SearchQuery(filter: filter))
            } throws: { ($0 as? SCIMError)?.scimType == .invalidFilter }
        }
        let leapDay = try FilterParser.parse(#"meta.lastModified gt "2024-02-29T00:00:00Z""#)
        let found = try await fixture.backend.search(.user, query: SearchQuery(filter: leapDay))
        #expect(found.resources.count == 1)
    }
}
