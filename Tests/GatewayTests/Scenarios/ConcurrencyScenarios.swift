import Backends
import Foundation
import HTTPTypes
import SCIM
import Testing

/// Fifty PATCHes of one user at once. Each sets one of seven attributes to a value no other PATCH uses,
/// and each response shows the whole user after its own change. If the PATCHes ran one after another,
/// every response is its predecessor's state plus its own change: the responses then chain from the
/// created state to the final one. A lost update breaks the chain (some response, or the final state,
/// lacks a value an earlier PATCH wrote), whatever order the server chose.
@Suite struct ConcurrencyScenarios {
    /// The attributes the PATCHes set, and the value PATCH `index` writes.
    static let attributes: [(path: String, value: @Sendable (Int) -> String)] = [
        ("userName", { "user\($0)@example.org" }),
        ("name.givenName", { "Given\($0)" }),
        ("name.familyName", { "Family\($0)" }),
        (#"emails[type eq "work"].value"#, { "mail\($0)@example.org" }),
        (#"phoneNumbers[type eq "work"].value"#, { "+1 555 01\($0)" }),
        ("externalId", { "ext-\($0)" }),
        ("\(ScenarioUsers.enterprise):employeeNumber", { "N-\($0)" }),
    ]

    /// The seven values as a response shows them.
    static func state(_ response: ScenarioResponse) -> [String?] {
        func first(_ name: String) -> String? {
            response[name]?.arrayValue?.first?.objectValue?["value"]?.stringValue
        }
        return [
            response["userName"]?.stringValue, response["name.givenName"]?.stringValue,
            response["name.familyName"]?.stringValue, first("emails"), first("phoneNumbers"),
            response["externalId"]?.stringValue,
            response.member(ScenarioUsers.enterprise, "employeeNumber")?.stringValue,
        ]
    }

    @Test(arguments: ScenarioEngine.supporting([.users, .sqlRows]))
    func fiftyPatchesLoseNothing(engine: ScenarioEngine) async throws {
        try await ScenarioGateway.run(engine) { _, client in
            let created = try await client.post(
                "/Users",
                ScenarioUsers.json("start@example.org", email: "start@example.org", externalId: "ext-start")
            )
            let id = try #require(created["id"]?.stringValue)
            let results = try await withThrowingTaskGroup(of: (Int, ScenarioResponse).self) { group in
                for index in 0..<50 {
                    group.addTask {
                        let attribute = Self.attributes[index % Self.attributes.count]
                        let path = attribute.path.replacingOccurrences(of: "\"", with: "\\\"")
                        let response = try await client.patch(
                            "/Users/\(id)",
                            operations: #"[{"op":"replace","path":"\#(path)","value":"\#(attribute.value(index))"}]"#
                        )
                        return (index, response)
                    }
                }
                var results: [Int: ScenarioResponse] = [:]
                for try await (index, response) in group {
                    results[index] = response
                }
                return results
            }
            for (index, response) in results.sorted(by: { $0.key < $1.key }) {
                #expect(response.status == .ok, "PATCH \(index): \(response.text)")
            }
            let final = try await client.get("/Users/\(id)")
            let chain = Self.chain(
                from: Self.state(created),
                to: Self.state(final),
                responses: results.mapValues(Self.state)
            )
            #expect(chain.count == 50, "the responses do not chain: a PATCH lost an earlier one's change")
            #expect(chain.last.map { results[$0].map(Self.state) } == Self.state(final))
            for (position, attribute) in Self.attributes.enumerated() {
                // The final value is the last write of that attribute in the chain.
                let last = chain.last { $0 % Self.attributes.count == position }
                #expect(Self.state(final)[position] == last.map(attribute.value), "\(attribute.path)")
            }
        }
    }

    /// An order of the PATCHes in which each response is the previous state plus its own change and the last
    /// response is `end`, found by depth-first search (consecutive writes of one attribute can be ordered
    /// either way, and only the final state tells which came last); as long a prefix as exists when no
    /// order is complete.
    static func chain(from start: [String?], to end: [String?]? = nil, responses: [Int: [String?]]) -> [Int] {
        var best: [Int] = []
        func extend(_ state: [String?], _ used: Set<Int>, _ path: [Int]) -> Bool {
            if path.count > best.count { best = path }
            if used.count == responses.count, end == nil || state == end {
                best = path
                return true
            }
            for (index, response) in responses where !used.contains(index) {
                var expected = state
                let position = index % attributes.count
                expected[position] = attributes[position].value(index)
                if response == expected, extend(response, used.union([index]), path + [index]) {
                    return true
                }
            }
            return false
        }
        _ = extend(start, [], [])
        return best
    }
}

/// The chain check itself: it finds a serial order when there is one and stops short on a lost update.
@Suite struct ConcurrencyChainTests {
    static let start: [String?] = Array(repeating: nil, count: ConcurrencyScenarios.attributes.count)

    static func applying(_ indices: [Int], to state: [String?]) -> [Int: [String?]] {
        var state = state
        var responses: [Int: [String?]] = [:]
        for index in indices {
            let position = index % ConcurrencyScenarios.attributes.count
            state[position] = ConcurrencyScenarios.attributes[position].value(index)
            responses[index] = state
        }
        return responses
    }

    @Test func serialHistoryChains() {
        let order = [3, 10, 0, 7, 1, 14, 2]
        let chain = ConcurrencyScenarios.chain(from: Self.start, responses: Self.applying(order, to: Self.start))
        #expect(chain.count == order.count)
    }

    @Test func finalStateDecidesBetweenSwappableWrites() {
        // 0 and 7 both set userName; the server ran 7 first, so the final state holds 0's value.
        let responses = Self.applying([7, 0], to: Self.start)
        let final = responses[0]
        let chain = ConcurrencyScenarios.chain(from: Self.start, to: final, responses: responses)
        #expect(chain == [7, 0])
        // Had 0 come first, the final state would hold 7's value.
        #expect(ConcurrencyScenarios.chain(from: Self.start, to: responses[7], responses: responses) == [0, 7])
    }

    @Test func lostUpdateBreaksTheChain() {
        // PATCH 1 read the state before PATCH 0 committed and wrote over it.
        var responses = Self.applying([0], to: Self.start)
        responses.merge(Self.applying([1], to: Self.start)) { first, _ in first }
        let chain = ConcurrencyScenarios.chain(from: Self.start, responses: responses)
        #expect(chain.count < 2)
    }
}
