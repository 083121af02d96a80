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
        let decoded = try #require(ProvisioningLogEntry(jsonLine: Array(entry.jsonLine().utf8)))
        #expect(decoded == entry)
    }

    @Test func jsonFormWritesNullsToo() throws {
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
        let line = entry.jsonLine()
        #expect(
            line == #"{"time":"1970-01-01T00:00:00.000Z","requestId":"r","tenant":"t","tokenId":null,"client":null,"#
                + #""method":"GET","path":"/scim/v2/Users","operation":"list","resourceType":null,"resourceId":null,"#
                + #""userName":null,"externalId":null,"status":200,"scimType":null,"detail":null,"durationMs":0,"#
                + #""attributes":[],"dropped":[]}"#
        )
        let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        #expect(Set(object.keys) == Set(Self.documentedKeys))
    }

    /// A line written before the log used ``JSONValue`` (Foundation's encoder, keys in any order) still reads.
    @Test func linesOfEarlierVersionsStillRead() throws {
        let line =
            #"{"dropped":["nickName"],"attributes":["userName","name.givenName"],"durationMs":12.345,"status":409,"#
            + #""time":"2026-03-01T10:00:00.123Z","requestId":"req-1","tenant":"acme","tokenId":"tok_1","#
            + #""client":"10.0.0.1","method":"POST","path":"\/scim\/v2\/Users","operation":"create","#
            + #""resourceType":"User","resourceId":null,"userName":"ada","externalId":null,"scimType":"uniqueness","#
            + #""detail":"taken \u0008 \"quoted\""}"#
        let entry = try #require(ProvisioningLogEntry(jsonLine: Array(line.utf8)))
        #expect(entry.path == "/scim/v2/Users")
        #expect(entry.detail == "taken \u{8} \"quoted\"")
        #expect(entry.durationMs == 12.345)
        #expect(entry.attributes == ["userName", "name.givenName"])
        #expect(entry.dropped == ["nickName"])
        #expect(entry.resourceId == nil)
        #expect(ProvisioningLogEntry(jsonLine: Array(#"{"time":"2026-03-01T10:00:00Z"}"#.utf8)) == nil)
    }

    @Test func millisecondsAreRoundedAsBefore() {
        #expect(ProvisioningLogJSON.number(12) == "12")
        #expect(ProvisioningLogJSON.number(12.34567) == "12.346")
        #expect(ProvisioningLogJSON.number(.infinity) == "0")
        #expect(ProvisioningLogJSON.list(["a\"b", "c"]) == #"["a\"b","c"]"#)
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
        #expect(try LogStoreLocation(parsing: " None ") == LogStoreLocation.none)
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
