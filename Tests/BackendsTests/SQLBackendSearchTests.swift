import Foundation
import SCIM
import SQLDrivers
import Testing

@testable import Backends

@Suite struct SQLBackendSearchTests {
    private func seeded(_ engine: Engine = .sqlite) async throws -> (ChamiloFixture, [ResourceRecord]) {
        let fixture = try await ChamiloFixture.make(engine)
        var records: [ResourceRecord] = []
        for (name, given, external) in [
            ("alice", "Alice", "ext-a"), ("Bob", "Bob", "ext-b"), ("carol", "Carol", "ext-c"),
            ("dave_x", "Dave", "ext-d"),
        ] {
            records.append(
                try await fixture.backend.create(
                    .user,
                    attributes: userAttributes(name, given: given, externalId: external)
                )
            )
        }
        return (fixture, records)
    }

    private func names(_ result: SearchResult) -> [String] {
        result.resources.compactMap { $0.attributes["userName"]?.stringValue }
    }

    private func path(_ name: String, _ sub: String? = nil) -> AttributePath {
        AttributePath(name: name, subAttribute: sub)
    }

    @Test(arguments: Engine.available)
    func userNameIsCaseInsensitive(engine: Engine) async throws {
        let (fixture, _) = try await seeded(engine)
        defer { Task { await fixture.close() } }
        let result = try await fixture.backend.search(
            .user,
            query: SearchQuery(filter: .comparison(path("USERNAME"), .eq, .string("BOB")))
        )
        #expect(names(result) == ["Bob"])
        #expect(result.totalResults == 1)
    }

    @Test(arguments: Engine.available)
    func externalIdUsesTheExtraField(engine: Engine) async throws {
        let (fixture, records) = try await seeded(engine)
        defer { Task { await fixture.close() } }
        let result = try await fixture.backend.search(
            .user,
            query: SearchQuery(filter: .comparison(path("externalId"), .eq, .string("ext-c")))
        )
        #expect(result.resources.map(\.id) == [records[2].id])
        let other = try await fixture.backend.search(
            .user,
            query: SearchQuery(filter: .comparison(path("externalId"), .ne, .string("ext-c")))
        )
        #expect(other.totalResults == 3)
    }

    @Test(arguments: Engine.available)
    func guidIdMatchesNothing(engine: Engine) async throws {
        let (fixture, records) = try await seeded(engine)
        defer { Task { await fixture.close() } }
        let none = try await fixture.backend.search(
            .user,
            query: SearchQuery(filter: .comparison(path("id"), .eq, .string("2819c223-7f76-453a-919d-413861904646")))
        )
        #expect(none.totalResults == 0)
        let one = try await fixture.backend.search(
            .user,
            query: SearchQuery(filter: .comparison(path("id"), .eq, .string(records[1].id)))
        )
        #expect(one.resources.map(\.id) == [records[1].id])
    }

    @Test(arguments: Engine.available)
    func operatorsAndLogic(engine: Engine) async throws {
        let (fixture, _) = try await seeded(engine)
        defer { Task { await fixture.close() } }
        let backend = fixture.backend
        func run(_ filter: FilterExpression) async throws -> [String] {
            names(try await backend.search(.user, query: SearchQuery(filter: filter, sortBy: path("userName"))))
        }
        #expect(try await run(.comparison(path("userName"), .co, .string("A"))) == ["alice", "carol", "dave_x"])
        #expect(try await run(.comparison(path("userName"), .sw, .string("b"))) == ["Bob"])
        #expect(try await run(.comparison(path("userName"), .ew, .string("OL"))) == ["carol"])
        #expect(try await run(.comparison(path("userName"), .co, .string("_"))) == ["dave_x"])
        #expect(try await run(.comparison(path("userName"), .co, .string("%"))) == [])
        #expect(try await run(.comparison(path("userName"), .gt, .string("bob"))) == ["carol", "dave_x"])
        #expect(try await run(.comparison(path("userName"), .le, .string("Bob"))) == ["alice", "Bob"])
        #expect(try await run(.comparison(path("userName"), .ne, .string("alice"))) == ["Bob", "carol", "dave_x"])
        #expect(try await run(.present(path("externalId"))).count == 4)
        #expect(try await run(.present(path("phoneNumbers"))) == [])
        #expect(try await run(.not(.present(path("phoneNumbers")))).count == 4)
        #expect(
            try await run(
                .or(
                    .comparison(path("userName"), .eq, .string("alice")),
                    .comparison(path("name", "givenName"), .eq, .string("carol"))
                )
            ) == ["alice", "carol"]
        )
        #expect(
            try await run(
                .and(
                    .comparison(path("active"), .eq, .bool(true)),
                    .not(.comparison(path("userName"), .sw, .string("a")))
                )
            )
                == ["Bob", "carol", "dave_x"]
        )
        #expect(try await run(.comparison(path("emails", "value"), .eq, .string("BOB@example.org"))) == ["Bob"])
        #expect(
            try await run(.valuePath(path("emails"), .comparison(path("type"), .eq, .string("work")))).count == 4
        )
        #expect(
            try await run(
                .valuePath(
                    path("emails"),
                    .and(.comparison(path("type"), .eq, .string("home")), .comparison(path("value"), .co, .string("@")))
                )
            ) == []
        )
        #expect(try await run(.comparison(path("userType"), .eq, .string("student"))).count == 4)
        #expect(try await run(.comparison(path("meta", "created"), .gt, .string("2000-01-01T00:00:00Z"))).count == 4)
    }

    @Test(arguments: Engine.available)
    func unmappedAttributeIsInvalidFilter(engine: Engine) async throws {
        let (fixture, _) = try await seeded(engine)
        defer { Task { await fixture.close() } }
        let error = await #expect(throws: SCIMError.self) {
            _ = try await fixture.backend.search(
                .user,
                query: SearchQuery(filter: .comparison(path("nickName"), .eq, .string("x")))
            )
        }
        #expect(error?.scimType == .invalidFilter)
        #expect(error?.detail.contains("nickName") == true)
    }

    @Test(arguments: Engine.available)
    func pagingSortingAndTotals(engine: Engine) async throws {
        let (fixture, _) = try await seeded(engine)
        defer { Task { await fixture.close() } }
        let backend = fixture.backend
        let page = try await backend.search(
            .user,
            query: SearchQuery(sortBy: path("userName"), ascending: false, startIndex: 2, count: 2)
        )
        #expect(page.totalResults == 4)
        #expect(names(page) == ["carol", "Bob"])
        let totalOnly = try await backend.search(.user, query: SearchQuery(count: 0))
        #expect(totalOnly.totalResults == 4)
        #expect(totalOnly.resources.isEmpty)
        let byExternal = try await backend.search(
            .user,
            query: SearchQuery(sortBy: path("externalId"), ascending: false)
        )
        #expect(names(byExternal) == ["dave_x", "carol", "Bob", "alice"])
    }

    @Test func hostileValuesAreBoundNeverSpliced() async throws {
        let (fixture, _) = try await seeded()
        defer { Task { await fixture.close() } }
        let hostile = "x' OR '1'='1\"; DROP TABLE \"user\"; --"
        let filter = FilterExpression.or(
            .comparison(path("userName"), .eq, .string(hostile)),
            .or(
                .comparison(path("name", "givenName"), .co, .string(hostile + "%_")),
                .comparison(path("externalId"), .sw, .string(hostile + "*?["))
            )
        )
        let statements = try fixture.backend.searchStatements(.user, query: SearchQuery(filter: filter))
        let page = try #require(statements.page)
        #expect(!page.sql.contains("DROP"))
        #expect(!statements.count.sql.contains("'1'='1"))
        #expect(page.binds.contains(.text(hostile)))
        // LIKE (case-insensitive attributes) escapes % and _; GLOB (case-exact ones) brackets * ? [.
        #expect(page.binds.contains(.text("%" + hostile + "\\%\\_%")))
        #expect(page.binds.contains(.text(hostile + "[*][?][[]*")))
        let result = try await fixture.backend.search(.user, query: SearchQuery(filter: filter))
        #expect(result.totalResults == 0)
        #expect(try await fixture.count("SELECT COUNT(*) FROM \"user\"") == 4)
    }
}
