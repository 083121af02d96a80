import Foundation
import HTTPTypes
import Hummingbird
import Mustache
import SCIM
import Tenants

/// The operator dashboard at `/admin/ui`: tenants with their request and failure counts (flagged before
/// an identity provider would quarantine them), credential expiry, a tenant's recent failures and its
/// provisioning log by user, and actions on tokens, OAuth clients and tenants.d. Sign-in takes an
/// operator token (a tenant's token is refused) and sets an HttpOnly, SameSite=Strict session cookie;
/// every form carries the session's CSRF token. No page is served without a session.
struct DashboardRoutes {
    let tenants: any TenantResolver
    let provisioningLog: ProvisioningLog
    /// The same single-flight, cached probe `/readyz` uses: a page never probes a backend itself.
    let readiness: ReadinessProbe
    let sessions = DashboardSessions()

    static let pageSize = 50
    /// Flag thresholds: 20 % over an hour (with some traffic) or 30 % over a day.
    static let hourlyFlag = 0.2
    static let dailyFlag = 0.3

    func register(on router: Router<GatewayRequestContext>) {
        router.get("/admin/ui/login") { _, _ in
            Self.page("login", ["title": "Sign in"])
        }
        router.post("/admin/ui/login") { request, _ in
            let form = try await Self.form(request)
            guard let token = form["token"], !token.isEmpty, tenants.isAdminToken(token) else {
                return Self.page(
                    "login",
                    [
                        "title": "Sign in",
                        "error": "Refused: that is not an operator token (tenant tokens cannot sign in).",
                    ],
                    status: .unauthorized
                )
            }
            let session = sessions.open()
            var headers = HTTPFields()
            headers[.location] = "/admin/ui"
            headers[.setCookie] =
                "\(DashboardSessions.cookieName)=\(session.id); Path=/admin/ui; HttpOnly; SameSite=Strict; "
                + "Max-Age=\(Int(DashboardSessions.lifetime))"
            return Response(status: .seeOther, headers: headers)
        }
        router.get("/admin/ui") { request, _ in
            guard let session = signedIn(request) else { return Self.toLogin() }
            return await index(request, csrf: session.csrf)
        }
        router.get("/admin/ui/tenants/:tenant") { request, context in
            guard let session = signedIn(request) else { return Self.toLogin() }
            return try await tenantPage(request, context, csrf: session.csrf, notice: nil)
        }
        registerActions(on: router)
    }

    private func registerActions(on router: Router<GatewayRequestContext>) {
        router.post("/admin/ui/logout") { request, _ in
            let (id, _) = try await authorizedForm(request)
            sessions.close(id)
            var headers = HTTPFields()
            headers[.location] = "/admin/ui/login"
            headers[.setCookie] =
                "\(DashboardSessions.cookieName)=; Path=/admin/ui; HttpOnly; SameSite=Strict; Max-Age=0"
            return Response(status: .seeOther, headers: headers)
        }
        router.post("/admin/ui/reload") { request, _ in
            let (_, session) = try await authorizedForm(request)
            let problems = await tenants.reload()
            let notice =
                problems.isEmpty ? "tenants.d reloaded." : "Reloaded with problems: " + problems.joined(separator: "; ")
            return await index(request, csrf: session.csrf, notice: notice)
        }
        router.post("/admin/ui/tenants/:tenant/tokens") { request, context in
            let (_, session) = try await authorizedForm(request)
            let (directory, tenant) = try credentialTarget(context)
            let name = try Self.name(try await Self.form(request)["name"])
            let created = try Self.run {
                try TokenStore(configDirectory: directory).create(tenant: tenant, name: name, expiresIn: .none)
            }
            _ = await tenants.reload()
            return Self.page(
                "secret",
                Self.base(csrf: session.csrf).merging([
                    "title": "Token", "what": "Bearer token '\(name)'", "tenant": tenant, "label": "token",
                    "secret": created.token,
                ]) { $1 }
            )
        }
        router.post("/admin/ui/tenants/:tenant/clients") { request, context in
            let (_, session) = try await authorizedForm(request)
            let (directory, tenant) = try credentialTarget(context)
            let name = try Self.name(try await Self.form(request)["name"])
            let issued = try Self.run {
                try OAuthClientStore(configDirectory: directory).create(
                    tenant: tenant,
                    name: name,
                    expiresIn: .seconds(730 * 86_400)
                )
            }
            _ = await tenants.reload()
            return Self.page(
                "secret",
                Self.base(csrf: session.csrf).merging([
                    "title": "OAuth client", "what": "OAuth client '\(name)'", "tenant": tenant,
                    "label": "client_secret",
                    "clientId": issued.record.id, "secret": issued.secret,
                ]) { $1 }
            )
        }
        for kind in ["tokens", "clients"] {
            router.post(RouterPath("/admin/ui/tenants/:tenant/\(kind)/:name/revoke")) { request, context in
                let (_, session) = try await authorizedForm(request)
                let (directory, tenant) = try credentialTarget(context)
                let name = try Self.name(context.parameters.get("name"))
                try Self.run {
                    if kind == "tokens" {
                        _ = try TokenStore(configDirectory: directory).revoke(tenant: tenant, name: name)
                    } else {
                        _ = try OAuthClientStore(configDirectory: directory).revoke(tenant: tenant, name: name)
                    }
                }
                _ = await tenants.reload()
                let what = kind == "tokens" ? "Token" : "OAuth client"
                return try await tenantPage(request, context, csrf: session.csrf, notice: "\(what) '\(name)' revoked.")
            }
        }
    }

    // MARK: Pages

    private func index(_ request: Request, csrf: String, notice: String? = nil) async -> Response {
        let health = await readiness.report(tenants: tenants.tenants).unreachable
        let items = FormURLEncoding.pairs(request.uri.query ?? "")
        let sort = items.last { $0.name == "sort" }?.value ?? "failures"
        let requested = items.last { $0.name == "page" }.flatMap { Int($0.value) } ?? 1
        var rows = tenants.tenants.map { summary(of: $0, problem: health[$0.id]) }
        switch sort {
        case "id": rows.sort { ($0["id"] as? String ?? "") < ($1["id"] as? String ?? "") }
        case "activity": rows.sort { ($0["activityKey"] as? Double ?? 0) > ($1["activityKey"] as? Double ?? 0) }
        default:
            rows.sort {
                ($0["ratioKey"] as? Double ?? 0, $1["id"] as? String ?? "") > (
                    $1["ratioKey"] as? Double ?? 0, $0["id"] as? String ?? ""
                )
            }
        }
        let pages = max(1, (rows.count + Self.pageSize - 1) / Self.pageSize)
        let page = min(max(requested, 1), pages)
        let slice = Array(rows.dropFirst((page - 1) * Self.pageSize).prefix(Self.pageSize))
        var object = Self.base(csrf: csrf)
        object["title"] = "Tenants"
        object["tenants"] = slice
        object["total"] = rows.count
        object["page"] = page
        object["pages"] = pages
        object["sort"] = ["id", "activity"].contains(sort) ? sort : "failures"
        if page > 1 { object["previous"] = page - 1 }
        if page < pages { object["next"] = page + 1 }
        if let notice { object["notice"] = notice }
        return Self.page("index", object)
    }

    private func tenantPage(
        _ request: Request,
        _ context: GatewayRequestContext,
        csrf: String,
        notice: String?
    ) async throws -> Response {
        let id = context.parameters.get("tenant") ?? ""
        guard let tenant = tenants.tenants.first(where: { $0.id == id }) else {
            return Self.page(
                "login",
                ["title": "Not found", "error": "No tenant '\(id.prefix(80))'."],
                status: .notFound
            )
        }
        let user = FormURLEncoding.pairs(request.uri.query ?? "").last { $0.name == "user" }?.value
            .trimmingCharacters(in: .whitespaces)
        let search = user.flatMap { $0.isEmpty ? nil : String($0.prefix(200)) }
        await provisioningLog.flush()
        let query = ProvisioningLogQuery(tenant: id, failedOnly: search == nil, user: search, limit: 50)
        let entries = (try? await provisioningLog.store.entries(matching: query)) ?? []
        let lastUsed = tenants.lastUsed(tenant: id)
        let now = Date()
        let directory = tenants.credentialDirectory
        let tokens = directory.flatMap { try? TokenStore(configDirectory: $0).list(tenant: id) } ?? []
        let clients = directory.flatMap { try? OAuthClientStore(configDirectory: $0).list(tenant: id) } ?? []
        let health = await readiness.report(tenants: tenants.tenants).unreachable
        var object = Self.base(csrf: csrf).merging(summary(of: tenant, problem: health[id])) { $1 }
        object["title"] = "Tenant \(id)"
        object["user"] = search ?? ""
        if let notice { object["notice"] = notice }
        object["entries"] = entries.reversed().map { entry -> [String: Any] in
            [
                "time": Self.format(entry.time), "operation": entry.operation,
                "user": entry.userName ?? entry.externalId ?? "-", "status": entry.status,
                "scimType": entry.scimType ?? "", "detail": entry.detail ?? "",
            ]
        }
        object["tokens"] = tokens.reversed().map { record -> [String: Any] in
            [
                "tenant": id, "csrf": csrf, "name": record.name, "status": record.status(at: now).rawValue,
                "active": record.status(at: now) == .active, "created": Self.format(record.created),
                "expires": record.expires.map(Self.format) ?? "never",
                "lastUsed": lastUsed[record.id].map(Self.format) ?? "-",
            ]
        }
        object["clients"] = clients.map { record -> [String: Any] in
            [
                "tenant": id, "csrf": csrf, "name": record.name, "id": record.id,
                "status": record.status(at: now).rawValue, "active": record.status(at: now) == .active,
                "expires": record.expires(at: now).map(Self.format) ?? "never",
                "lastUsed": lastUsed[record.id].map(Self.format) ?? "-",
            ]
        }
        return Self.page("tenant", object)
    }

    /// A tenant's row: counts and ratios over 1 h and 24 h on this node, the flag, the first expiry.
    private func summary(of tenant: Tenant, problem: String?) -> [String: Any] {
        let activity = provisioningLog.activity
        let hour = activity.summary(tenant: tenant.id, lastMinutes: 60)
        let day = activity.summary(tenant: tenant.id, lastMinutes: 1440)
        let flagged =
            (hour.requests >= 5 && hour.failureRatio > Self.hourlyFlag)
            || (day.requests >= 20 && day.failureRatio > Self.dailyFlag) || problem != nil
        let last = activity.lastActivity(tenant: tenant.id)
        let expiry = tenants.expiringCredentials(within: 365 * 86_400).filter { $0.tenant == tenant.id }
            .min { $0.expires < $1.expires }
        return [
            "id": tenant.id, "name": tenant.name, "backend": tenant.configuration.backend.kind,
            "health": problem.map { "unreachable: \($0)" } ?? "reachable", "unhealthy": problem != nil,
            "requests": hour.requests, "failures": hour.failures,
            "ratio1h": Self.percent(hour.failureRatio), "ratio24h": Self.percent(day.failureRatio),
            "ratioKey": max(hour.failureRatio, day.failureRatio), "flagged": flagged,
            "lastActivity": last.map(Self.format) ?? "-", "activityKey": last?.timeIntervalSince1970 ?? 0,
            "expiry": expiry.map { "\($0.kind.rawValue) '\($0.name)' \(Self.format($0.expires))" } ?? "-",
        ]
    }

    // MARK: Support

    private func signedIn(_ request: Request) -> DashboardSessions.Session? {
        sessions.session(cookieHeader: request.headers[.cookie])?.session
    }

    /// The session and form of a POST whose CSRF token matches; 403 otherwise.
    private func authorizedForm(_ request: Request) async throws -> (String, DashboardSessions.Session) {
        guard let (id, session) = sessions.session(cookieHeader: request.headers[.cookie]) else {
            throw HTTPError(.forbidden, message: "Sign in first: /admin/ui/login")
        }
        guard DashboardSessions.matches(try await Self.form(request)["csrf"], session.csrf) else {
            throw HTTPError(.forbidden, message: "The form's CSRF token does not match this session.")
        }
        return (id, session)
    }

    private func credentialTarget(_ context: GatewayRequestContext) throws -> (String, String) {
        let tenant = context.parameters.get("tenant") ?? ""
        guard tenants.tenants.contains(where: { $0.id == tenant }) else {
            throw HTTPError(.notFound, message: "No tenant '\(tenant.prefix(80))'.")
        }
        guard let directory = tenants.credentialDirectory else {
            throw HTTPError(.conflict, message: "This gateway has no tenants.d to write credentials to.")
        }
        return (directory, tenant)
    }

    /// The request's form fields (the body is read once and kept in the request's context by Hummingbird).
    private static func form(_ request: Request) async throws -> [String: String] {
        var request = request
        let body = try await request.collectBody(upTo: 64 * 1024)
        var fields: [String: String] = [:]
        for (name, value) in FormURLEncoding.pairs(String(buffer: body)) { fields[name] = value }
        return fields
    }

    private static func name(_ value: String?) throws -> String {
        let allowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-".unicodeScalars)
        guard let value, (1...64).contains(value.unicodeScalars.count),
            value.unicodeScalars.allSatisfy(allowed.contains)
        else {
            throw HTTPError(.badRequest, message: "A name is 1 to 64 letters, digits, '.', '_' or '-'.")
        }
        return value
    }

    private static func run<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch {
            throw HTTPError(.badRequest, message: "\(error)")
        }
    }

    private static func base(csrf: String) -> [String: Any] {
        ["signedIn": true, "csrf": csrf]
    }

    private static func toLogin() -> Response {
        var headers = HTTPFields()
        headers[.location] = "/admin/ui/login"
        return Response(status: .seeOther, headers: headers)
    }

    static func page(_ template: String, _ object: [String: Any], status: HTTPResponse.Status = .ok) -> Response {
        let html = DashboardTemplates.library.render(object, withTemplate: template) ?? ""
        var headers = HTTPFields()
        headers[.contentType] = "text/html; charset=utf-8"
        headers[.cacheControl] = "no-store"
        headers[.contentSecurityPolicy] =
            "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'"
        headers[HTTPField.Name("X-Frame-Options")!] = "DENY"
        headers[HTTPField.Name("Referrer-Policy")!] = "no-referrer"
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: html)))
    }

    static func percent(_ ratio: Double) -> String {
        String(format: "%.1f %%", ratio * 100)
    }

    static func format(_ date: Date) -> String {
        date.formatted(Date.ISO8601FormatStyle(timeZone: TimeZone(secondsFromGMT: 0) ?? .gmt))
    }
}
