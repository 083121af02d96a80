import Foundation
import Hummingbird
import NIOCore
import SCIM
import Tenants

/// The admin API's credential endpoints: a tenant's static bearer tokens and OAuth clients, created,
/// listed, rotated and revoked (`openapi/admin.yaml`). Every change is applied at once on this node
/// (a reload) and by every other node sharing tenants.d within seconds.
struct AdminCredentialRoutes {
    let tenants: any TenantResolver

    func register(on router: Router<GatewayRequestContext>) {
        registerTokens(on: router, path: "/admin/v1/tenants/:tenant/tokens")
        registerClients(on: router, path: "/admin/v1/tenants/:tenant/clients")
    }

    private func registerTokens(on router: Router<GatewayRequestContext>, path: String) {
        router.get(RouterPath(path)) { request, context in
            let (directory, tenant) = try authorize(request, context)
            let lastUsed = tenants.lastUsed(tenant: tenant)
            let records = try run { try TokenStore(configDirectory: directory).list(tenant: tenant) }
            return AdminRoutes.json(.object(["tokens": .array(records.map { Self.view($0, lastUsed: lastUsed) })]))
        }
        router.post(RouterPath(path)) { request, context in
            let (directory, tenant) = try authorize(request, context)
            let body = try await Self.body(request)
            let name = try Self.requiredString(body, "name")
            let expires = try Self.lifetime(body, "expires") ?? .none
            let store = TokenStore(configDirectory: directory)
            if try activeToken(named: name, in: store, tenant: tenant) {
                throw Self.conflict("token", name)
            }
            let created = try run { try store.create(tenant: tenant, name: name, expiresIn: expires) }
            _ = await tenants.reload()
            return Self.created(["token": .string(created.token), "record": Self.view(created.record, lastUsed: [:])])
        }
        router.post(RouterPath(path + "/:name/rotate")) { request, context in
            let (directory, tenant) = try authorize(request, context)
            let name = try Self.name(context)
            let body = try await Self.body(request)
            let grace = try Self.grace(body)
            let expires = try Self.lifetime(body, "expires")
            let store = TokenStore(configDirectory: directory)
            guard try activeToken(named: name, in: store, tenant: tenant) else { throw Self.notFound("token", name) }
            let rotated = try run { try store.rotate(tenant: tenant, name: name, grace: grace, expiresIn: expires) }
            _ = await tenants.reload()
            return Self.created(["token": .string(rotated.token), "record": Self.view(rotated.record, lastUsed: [:])])
        }
        router.post(RouterPath(path + "/:name/revoke")) { request, context in
            let (directory, tenant) = try authorize(request, context)
            let name = try Self.name(context)
            let store = TokenStore(configDirectory: directory)
            guard try activeToken(named: name, in: store, tenant: tenant) else { throw Self.notFound("token", name) }
            let record = try run { try store.revoke(tenant: tenant, name: name) }
            _ = await tenants.reload()
            return AdminRoutes.json(.object(["record": Self.view(record, lastUsed: tenants.lastUsed(tenant: tenant))]))
        }
    }

    private func registerClients(on router: Router<GatewayRequestContext>, path: String) {
        router.get(RouterPath(path)) { request, context in
            let (directory, tenant) = try authorize(request, context)
            let lastUsed = tenants.lastUsed(tenant: tenant)
            let records = try run { try OAuthClientStore(configDirectory: directory).list(tenant: tenant) }
            return AdminRoutes.json(.object(["clients": .array(records.map { Self.view($0, lastUsed: lastUsed) })]))
        }
        router.post(RouterPath(path)) { request, context in
            let (directory, tenant) = try authorize(request, context)
            let body = try await Self.body(request)
            let name = try Self.requiredString(body, "name")
            let expires = try Self.lifetime(body, "expires") ?? .seconds(730 * 86_400)
            let store = OAuthClientStore(configDirectory: directory)
            if try client(named: name, in: store, tenant: tenant) { throw Self.conflict("client", name) }
            let issued = try run { try store.create(tenant: tenant, name: name, expiresIn: expires) }
            _ = await tenants.reload()
            return Self.created(Self.issuedBody(issued))
        }
        router.post(RouterPath(path + "/:name/rotate")) { request, context in
            let (directory, tenant) = try authorize(request, context)
            let name = try Self.name(context)
            let body = try await Self.body(request)
            let grace = try Self.grace(body)
            let expires = try Self.lifetime(body, "expires")
            let store = OAuthClientStore(configDirectory: directory)
            guard try client(named: name, in: store, tenant: tenant) else { throw Self.notFound("client", name) }
            let issued = try run { try store.rotate(tenant: tenant, name: name, grace: grace, expiresIn: expires) }
            _ = await tenants.reload()
            return Self.created(Self.issuedBody(issued))
        }
        router.post(RouterPath(path + "/:name/revoke")) { request, context in
            let (directory, tenant) = try authorize(request, context)
            let name = try Self.name(context)
            let store = OAuthClientStore(configDirectory: directory)
            guard try client(named: name, in: store, tenant: tenant) else { throw Self.notFound("client", name) }
            let record = try run { try store.revoke(tenant: tenant, name: name) }
            _ = await tenants.reload()
            return AdminRoutes.json(.object(["client": Self.view(record, lastUsed: tenants.lastUsed(tenant: tenant))]))
        }
    }

    /// Whether the tenant has an active token of that name.
    private func activeToken(named name: String, in store: TokenStore, tenant: String) throws -> Bool {
        try run { try store.list(tenant: tenant) }.contains { $0.name == name && $0.status(at: Date()) == .active }
    }

    /// Whether the tenant has a client of that name that is not revoked.
    private func client(named name: String, in store: OAuthClientStore, tenant: String) throws -> Bool {
        try run { try store.list(tenant: tenant) }.contains { $0.name == name && $0.revoked == nil }
    }

    /// The admin token check, the configuration directory, and the tenant named in the path (404 when
    /// the gateway does not serve it).
    private func authorize(_ request: Request, _ context: GatewayRequestContext) throws -> (String, String) {
        guard let token = BearerAuthMiddleware.bearerToken(request.headers[.authorization]),
            tenants.isAdminToken(token)
        else {
            throw SCIMErrorRendering.unauthorized("The admin API needs Authorization: Bearer <admin token>.")
        }
        guard let directory = tenants.credentialDirectory else {
            throw SCIMError(
                status: 501,
                detail: "This gateway has no configuration directory to manage credentials in."
            )
        }
        let tenant = context.parameters.get("tenant") ?? ""
        guard tenants.tenants.contains(where: { $0.id == tenant }) else {
            throw SCIMError.notFound("No tenant '\(tenant.prefix(64))' is served; see GET /admin/v1/tenants.")
        }
        return (directory, tenant)
    }

    /// Runs a store operation; its errors (one line, no secret) are 400s.
    private func run<T>(_ operation: () throws -> T) throws -> T {
        do {
            return try operation()
        } catch let error as SCIMError {
            throw error
        } catch {
            throw Self.badRequest("\(error)")
        }
    }

    static func badRequest(_ detail: String) -> SCIMError {
        SCIMError(status: 400, detail: detail)
    }

    static func conflict(_ kind: String, _ name: String) -> SCIMError {
        SCIMError(
            status: 409,
            detail: "An active \(kind) named '\(name.prefix(64))' exists; revoke or rotate it instead."
        )
    }

    static func notFound(_ kind: String, _ name: String) -> SCIMError {
        SCIMError.notFound("No active \(kind) named '\(name.prefix(64))' on this tenant.")
    }

    /// The `grace` field: a duration, 7 days when absent.
    static func grace(_ body: JSONObject) throws -> Duration {
        guard let grace = try lifetime(body, "grace") ?? .seconds(7 * 86_400) else {
            throw badRequest("grace must be a duration such as 7d, not never.")
        }
        return grace
    }

    /// The `:name` path segment, percent-decoded.
    static func name(_ context: GatewayRequestContext) throws -> String {
        let raw = context.parameters.get("name") ?? ""
        guard let name = raw.removingPercentEncoding, !name.isEmpty else {
            throw badRequest("The name in the path is not valid percent-encoded text.")
        }
        return name
    }

    /// The JSON object body (an empty body is an empty object).
    static func body(_ request: Request) async throws -> JSONObject {
        var request = request
        let buffer = try await request.collectBody(upTo: BodyLimits.standard)
        guard buffer.readableBytes > 0 else { return [:] }
        let value: JSONValue
        do {
            value = try JSONValue.parse(Array(buffer: buffer))
        } catch {
            throw badRequest("The request body is not valid JSON: \(error)")
        }
        guard let object = value.objectValue else { throw badRequest("The request body must be a JSON object.") }
        let known: Set<String> = ["name", "expires", "grace"]
        if let unknown = object.keys.first(where: { !known.contains($0) }) {
            throw badRequest("Unknown field '\(unknown.prefix(40))'; expected name, expires or grace.")
        }
        return object
    }

    static func requiredString(_ body: JSONObject, _ key: String) throws -> String {
        guard let value = body[key]?.stringValue, !value.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw badRequest("\(key) is required and must be a non-empty string.")
        }
        return value
    }

    /// A lifetime field (`30d`, `12h`, `never`): `nil` when absent, `.some(nil)` for never.
    static func lifetime(_ body: JSONObject, _ key: String) throws -> Duration?? {
        guard let value = body[key] else { return .none }
        guard let text = value.stringValue, let lifetime = TokenLifetime(parsing: text) else {
            throw badRequest("\(key) must be a duration such as 7d, 12h, 30m or never.")
        }
        return .some(lifetime.duration)
    }

    static func created(_ object: JSONObject) -> Response {
        var response = AdminRoutes.json(.object(object))
        response.status = .created
        return response
    }

    static func date(_ date: Date?) -> JSONValue {
        date.map { .string(OperatorReport.timestamp($0)) } ?? .null
    }

    static func view(_ record: TokenRecord, lastUsed: [String: Date]) -> JSONValue {
        .object([
            "id": .string(record.id),
            "name": .string(record.name),
            "created": date(record.created),
            "expires": date(record.expires),
            "lastUsed": date(lastUsed[record.id]),
            "revoked": date(record.revoked),
            "status": .string(record.status(at: Date()).rawValue),
        ])
    }

    static func view(_ record: OAuthClientRecord, lastUsed: [String: Date]) -> JSONValue {
        let now = Date()
        return .object([
            "clientId": .string(record.id),
            "name": .string(record.name),
            "created": date(record.created),
            "expires": date(record.expires(at: now)),
            "activeSecrets": .integer(Int64(record.activeSecrets(at: now).count)),
            "lastUsed": date(lastUsed[record.id]),
            "revoked": date(record.revoked),
            "status": .string(record.status(at: now).rawValue),
        ])
    }

    static func issuedBody(_ issued: OAuthClientStore.Issued) -> JSONObject {
        [
            "clientId": .string(issued.record.id),
            "clientSecret": .string(issued.secret),
            "secretExpires": date(issued.secretRecord.expires),
            "client": view(issued.record, lastUsed: [:]),
        ]
    }
}
