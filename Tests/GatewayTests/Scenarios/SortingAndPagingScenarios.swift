import Backends
import Foundation
import HTTPTypes
import SCIM
import SQLDrivers
import Testing

/// `sortBy`, `sortOrder`, `startIndex` and `count`.
@Suite struct SortingAndPagingScenarios {
    @Test(arguments: ScenarioEngine.supporting([.users, .sorting]))
    func sortAndPage(engine: ScenarioEngine) async throws {
        try await ScenarioGateway.run(engine) { _, client in
            let names = ["delta", "Alpha", "echo", "charlie", "Bravo"]
            for name in names {
                _ = try await client.createUser(ScenarioUsers.json("\(name)@example.org"))
            }
            let sorted = names.map { "\($0)@example.org" }.sorted { $0.lowercased() < $1.lowercased() }

            let ascending = try await client.list(query: ["sortBy": "userName"])
            #expect(ascending.userNames == sorted)
            let explicit = try await client.list(query: ["sortBy": "userName", "sortOrder": "ascending"])
            #expect(explicit.userNames == sorted)
            let descending = try await client.list(query: ["sortBy": "userName", "sortOrder": "descending"])
            #expect(descending.userNames == sorted.reversed())

            let page = try await client.list(query: ["sortBy": "userName", "startIndex": "2", "count": "2"])
            #expect(page.userNames == Array(sorted[1...2]))
            #expect(page.totalResults == 5)
            #expect(page.integer("startIndex") == 2)
            #expect(page.integer("itemsPerPage") == 2)
            let last = try await client.list(query: ["sortBy": "userName", "startIndex": "5", "count": "10"])
            #expect(last.userNames == [sorted[4]])
            let beyond = try await client.list(query: ["sortBy": "userName", "startIndex": "9"])
            #expect(beyond.resources.isEmpty)
            #expect(beyond.totalResults == 5)

            let countOnly = try await client.list(query: ["count": "0"])
            #expect(countOnly.status == .ok)
            #expect(countOnly.totalResults == 5)
            #expect(countOnly.resources.isEmpty)
            #expect(countOnly.integer("itemsPerPage") == 0)

            let filtered = try await client.list(
                filter: #"not (userName sw "echo")"#,
                query: ["sortBy": "userName", "sortOrder": "descending", "count": "2"]
            )
            #expect(filtered.totalResults == 4)
            #expect(filtered.userNames == ["delta@example.org", "charlie@example.org"])
        }
    }
}
