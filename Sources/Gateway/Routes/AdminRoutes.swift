import Backends
import Foundation
import Hummingbird
import NIOCore
import SCIM
import Tenants

/// The operators' API under `/admin/v1`, behind the admin token: tenants and their health,
/// provisioning-log queries, reload.
struct AdminRoutes {
    let tenants: any TenantResolver
    let provisioningLog: ProvisioningLog

    func register(on router: Router<GatewayRequestContext>) {
        router.get("/admin/v1/tenants") { request, _ in
            try authorize(request)
            var items: [JSONValue] = []
            for tenant in tenants.tenants.sorted(by: { $0.id < $1.id }) {
                let lines = await tenant.backend.verify(connect: true)
                let problems = lines.filter { !VerificationNote.isNote($0) }
                let notes = lines.filter(VerificationNote.isNote)
                items.append(
                    .object([
                        "id": .string(tenant.id),
                        "name": .string(tenant.name),
                        "healthy": .bool(problems.isEmpty),
                        "problems": .array(problems.map(JSONValue.string)),
                        "notes": .array(notes.map(JSONValue.string)),
                    ])
                )
            }
            return Self.json(.object(["tenants": .array(items)]))
        }
        router.get("/admin/v1/logs") { request, _ in
            try authorize(request)
            let query = try AdminQuery.logQuery(SCIMRequestSupport.queryItems(request))
            await provisioningLog.flush()
            let entries = try await provisioningLog.store.entries(matching: query)
            return Self.json(.array(entries.map(\.jsonValue)))
        }
        router.post("/admin/v1/reload") { request, _ in
            try authorize(request)
            let problems = await tenants.reload()
            return Self.json(
                .object([
                    "tenants": .integer(Int64(tenants.tenants.count)),
                    "problems": .array(problems.map(JSONValue.string)),
                ])
            )
        }
    }

    func authorize(_ request: Request) throws {
        guard let token = BearerAuthMiddleware.bearerToken(request.headers[.authorization]),
            tenants.isAdminToken(token)
        else {
            throw SCIMErrorRendering.unauthorized("The admin API needs Authorization: Bearer <admin token>.")
        }
    }

    static func json(_ value: JSONValue) -> Response {
        json(bytes: value.serialized())
    }

    static func json(bytes: [UInt8]) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "application/json"
        return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: bytes)))
    }
}
