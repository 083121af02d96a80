import Foundation
import Testing

@testable import Gateway

@Suite struct ProvisioningLogEntryTests {
    static let documentedKeys = [
        "time", "requestId", "tenant", "tokenId", "client", "method", "path", "operation", "resourceType",
        "resourceId", "userName", "externalId", "status", "scimType", "detail", "durationMs", "attributes",
        "dropped",
    ]

    @Test func jsonLineHasExactlyTheDocumentedKeysInOrder() throws {
        var entry = makeEntry(1)
        entry.tokenId = nil
        entry.detail = "quote \" backslash \\ newline \n"
        let line = entry.jsonLine()
        #expect(!line.contains("\n"))
        let object = try #require(
            try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
        )
        #expect(Set(object.keys) == Set(Self.documentedKeys))
        #expect(object["tokenId"] is NSNull)
        #expect(object["detail"] as? String == "quote \" backslash \\ newline \n")
        let positions = Self.documentedKeys.compactMap { line.range(of: "\"\($0)\":")?.lowerBound }
        #expect(positions.count == Self.documentedKeys.count)
        #expect(positions == positions.sorted())
    }

    @Test func jsonLineRoundTripsThroughDecoding() throws {
        let entry = makeEntry(7, status: 409)
        let decoded = try JSONDecoder().decode(ProvisioningLogEntry.self, from: Data(entry.jsonLine().utf8))
        #expect(decoded == entry)
    }

    @Test func encodableFormWritesNullsToo() throws {
        let entry = ProvisioningLogEntry(
            time: Date(timeIntervalSince1970: 0),
            requestId: "r",
            tenant: "t",
            method: "GET",
            path: "/scim/v2/Users",
            operation: "list",
            status: 200,
            durationMs: 0
        )
        let data = try JSONEncoder().encode(entry)
        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(Set(object.keys) == Set(Self.documentedKeys))
        #expect(object["time"] as? String == "1970-01-01T00:00:00.000Z")
    }
}

@Suite struct LogStoreLocationTests {
    @Test func parsesSQLiteForms() throws {
        #expect(
            try LogStoreLocation(parsing: "sqlite:./data/provisioning.sqlite")
                == .sqlite(path: "./data/provisioning.sqlite")
        )
        #expect(try LogStoreLocation(parsing: "sqlite:///var/lib/log.sqlite") == .sqlite(path: "/var/lib/log.sqlite"))
        #expect(try LogStoreLocation(parsing: LogStoreLocation.defaultText) == LogStoreLocation.defaultValue)
    }

    @Test func parsesPostgresAndHidesPassword() throws {
        let location = try LogStoreLocation(parsing: "postgres://gw:secret@db.internal:5432/log")
        #expect(location == .postgres(url: "postgres://gw:secret@db.internal:5432/log"))
        #expect(!location.description.contains("secret"))
    }

    @Test(arguments: ["", "mysql://x/y", "sqlite:", "./file.sqlite", "postgres://"])
    func rejectsOtherForms(_ text: String) {
        #expect(throws: ProvisioningLogError.self) { try LogStoreLocation(parsing: text) }
    }
}
