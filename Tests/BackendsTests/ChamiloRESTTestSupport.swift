import SCIM
import TestSupport

@testable import Backends

/// A started fake portal and a backend configured for it.
struct ChamiloRESTFixture {
    let server: FakeChamiloServer
    let backend: ChamiloRESTBackend

    var state: FakeChamiloState { server.state }

    static func make(
        password: String = "admin-secret",
        settings: [String: String] = [:],
        statementTimeout: Duration = .seconds(5)
    ) async throws -> ChamiloRESTFixture {
        let server = FakeChamiloServer()
        try await server.start()
        let configuration = BackendConfiguration(
            tenantID: "acme",
            kind: ChamiloRESTBackend.kind,
            url: await server.url,
            username: "admin",
            password: password,
            poolMax: 4,
            connectTimeout: TestTiming.scaled(.seconds(2)),
            statementTimeout: TestTiming.scaled(statementTimeout),
            settings: settings,
            mapping: Mapping(name: "chamilo-rest", users: ResourceMapping(table: "user", key: "id", attributes: [:]))
        )
        let backend = try ChamiloRESTBackend(configuration: configuration)
        return ChamiloRESTFixture(server: server, backend: backend)
    }

    func tearDown() async {
        await backend.shutdown()
        await server.stop()
    }

    /// Runs `body` and always stops the backend and the fake.
    static func with(
        password: String = "admin-secret",
        statementTimeout: Duration = .seconds(5),
        _ body: (ChamiloRESTFixture) async throws -> Void
    ) async throws {
        let fixture = try await make(password: password, statementTimeout: statementTimeout)
        do {
            try await body(fixture)
        } catch {
            await fixture.tearDown()
            throw error
        }
        await fixture.tearDown()
    }
}

/// A SCIM User as the gateway hands it to a backend.
func chamiloUser(
    _ userName: String,
    given: String = "Ada",
    family: String = "Lovelace",
    externalID: String? = nil,
    userType: String? = nil,
    locale: String? = nil,
    phone: String? = nil,
    active: Bool = true,
    password: String? = nil
) -> JSONObject {
    var attributes: JSONObject = [
        "userName": .string(userName),
        "name": .object(["givenName": .string(given), "familyName": .string(family)]),
        "emails": .array([
            .object(["value": .string("\(userName)@example.org"), "type": .string("work"), "primary": .bool(true)])
        ]),
        "active": .bool(active),
    ]
    if let externalID { attributes["externalId"] = .string(externalID) }
    if let userType { attributes["userType"] = .string(userType) }
    if let locale { attributes["locale"] = .string(locale) }
    if let phone { attributes["phoneNumbers"] = .array([.object(["value": .string(phone), "type": .string("work")])]) }
    if let password { attributes["password"] = .string(password) }
    return attributes
}

/// The SCIM error a call threw, or nil.
func scimError(_ body: () async throws -> Void) async -> SCIMError? {
    do {
        try await body()
        return nil
    } catch let error as SCIMError {
        return error
    } catch {
        return SCIMError(status: -1, detail: "unexpected \(error)")
    }
}

func eq(_ name: String, _ value: String) -> SearchQuery {
    SearchQuery(filter: .comparison(AttributePath(name: name), .eq, .string(value)))
}
