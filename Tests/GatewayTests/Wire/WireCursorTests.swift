import Foundation
import SCIM
import Testing

/// RFC 9865 cursor pages through the real executable: a walk never skips or repeats a user that exists
/// throughout it, whatever is created or deleted meanwhile.
@Suite struct WireCursorTests {
    static let engines = ScenarioEngine.supporting(.sqlRows)

    @Test(arguments: engines)
    func cursorWalkSurvivesConcurrentChanges(engine: ScenarioEngine) async throws {
        try await WireGateway.run([WireTenant("acme", engine: engine), WireTenant("beta", engine: engine)]) {
            gateway in
            var initial: [String] = []
            for batch in 0..<2 {
                let operations = (0..<1000).map { index in
                    let name = "walk\(batch * 1000 + index)@example.org"
                    return #"{"method":"POST","path":"/Users","bulkId":"b\#(index)","data":\#(Wire.user(name))}"#
                }
                let body = #"{"schemas":["\#(Wire.bulkSchema)"],"Operations":[\#(operations.joined(separator: ","))]}"#
                let response = try await gateway.request(
                    "POST",
                    "/scim/v2/Bulk",
                    tenant: "acme",
                    body: body,
                    timeout: 300
                )
                let results = response["Operations"]?.arrayValue?.compactMap(\.objectValue) ?? []
                #expect(response.status == 200 && results.count == 1000, "\(response.status)")
                initial += results.compactMap {
                    $0["location"]?.stringValue?.split(separator: "/").last.map(String.init)
                }
            }
            try #require(initial.count == 2000)
            let doomed = Set(initial.enumerated().filter { $0.offset % 10 == 3 }.map(\.element))

            // Deletions of every tenth user and creations run while the walk goes on.
            let churn = Task {
                var created = 0
                for (index, id) in doomed.sorted().enumerated() {
                    _ = try await gateway.request("DELETE", "/scim/v2/Users/\(id)", tenant: "acme")
                    if index % 2 == 0 {
                        _ = try await gateway.request(
                            "POST",
                            "/scim/v2/Users",
                            tenant: "acme",
                            body: Wire.user("new\(index)@example.org")
                        )
                        created += 1
                    }
                }
                return created
            }
            var seen: [String] = []
            var cursor = ""
            var pages = 0
            repeat {
                let response = try await gateway.request(
                    "GET",
                    "/scim/v2/Users?count=100&cursor=\(cursor)&attributes=userName",
                    tenant: "acme"
                )
                try #require(response.status == 200, "\(response)")
                #expect(response["startIndex"] == nil)
                seen += Wire.resources(response).compactMap { $0["id"]?.stringValue }
                cursor = response["nextCursor"]?.stringValue ?? ""
                pages += 1
            } while !cursor.isEmpty && pages < 100
            _ = try await churn.value

            #expect(Set(seen).count == seen.count, "a user came twice")
            let throughout = Set(initial).subtracting(doomed)
            let missing = throughout.subtracting(seen)
            #expect(missing.isEmpty, "\(missing.count) users that existed throughout were skipped")
        }
    }

    @Test func foreignTamperedAndMisusedCursorsAreInvalid() async throws {
        try await WireGateway.run([WireTenant("acme"), WireTenant("beta"), WireTenant("rest", engine: .chamiloREST)]) {
            gateway in
            for index in 0..<3 { try await Wire.createUser(gateway, "acme", "c\(index)@example.org") }
            let first = try await gateway.request("GET", "/scim/v2/Users?cursor=&count=1", tenant: "acme")
            #expect(first.status == 200 && Wire.resources(first).count == 1, "\(first)")
            let cursor = try #require(first["nextCursor"]?.stringValue, "\(first)")
            let next = try await gateway.request("GET", "/scim/v2/Users?count=1&cursor=\(cursor)", tenant: "acme")
            #expect(next.status == 200 && Wire.resources(next).count == 1, "\(next)")

            var tampered = Array(cursor)
            tampered[tampered.count / 3] = tampered[tampered.count / 3] == "A" ? "B" : "A"
            for (target, tenant) in [
                ("/scim/v2/Users?count=1&cursor=\(String(tampered))", "acme"),
                ("/scim/v2/Users?count=1&cursor=\(cursor)", "beta"),
                ("/scim/v2/Users?count=1&cursor=\(cursor)&filter=userName+sw+%22c%22", "acme"),
                ("/scim/v2/Users?count=1&cursor=\(cursor)&sortOrder=descending", "acme"),
                ("/scim/v2/Users?count=1&cursor=not-a-cursor", "acme"),
                ("/scim/v2/Groups?count=1&cursor=\(cursor)", "acme"),
                ("/scim/v2/Users?count=1&cursor=", "rest"),
            ] {
                let response = try await gateway.request("GET", target, tenant: tenant)
                #expect(response.status == 400, "\(target) as \(tenant): \(response)")
                #expect(response["scimType"]?.stringValue == "invalidCursor", "\(target) as \(tenant): \(response)")
            }
            let sorted = try await gateway.request("GET", "/scim/v2/Users?cursor=&sortBy=userName", tenant: "acme")
            #expect(sorted.status == 400 && sorted["scimType"]?.stringValue == "invalidValue", "\(sorted)")
            let byID = try await gateway.request("GET", "/scim/v2/Users?cursor=&sortBy=id&count=2", tenant: "acme")
            #expect(byID.status == 200 && byID["nextCursor"] != nil, "\(byID)")
            let last = try await gateway.request("GET", "/scim/v2/Users?cursor=&count=10", tenant: "acme")
            #expect(last["nextCursor"] == nil && Wire.resources(last).count == 3, "\(last)")

            let config = try await gateway.request("GET", "/scim/v2/ServiceProviderConfig", tenant: "acme")
            let pagination = config["pagination"]?.objectValue
            #expect(pagination?["cursor"] == .bool(true) && pagination?["index"] == .bool(true), "\(config)")
            #expect(pagination?["cursorTimeout"]?.wireInteger == 3600 && pagination?["maxPageSize"] != nil)
            let restConfig = try await gateway.request("GET", "/scim/v2/ServiceProviderConfig", tenant: "rest")
            #expect(restConfig["pagination"]?.objectValue?["cursor"] == .bool(false), "\(restConfig)")
        }
    }
}
