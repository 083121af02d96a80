import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import SCIM

/// An error envelope from the API (`{"error":true,"message":"…"}`), for the caller to interpret
/// in the context of the action it sent.
struct ChamiloRejection: Error, Sendable, Hashable, CustomStringConvertible {
    var action: String
    var message: String

    var description: String { "Chamilo rejected '\(action)': \(message)" }
}

/// One tenant's connection to a Chamilo 1.11 REST API (`main/webservices/api/v2.php`).
///
/// Every call is a form-encoded POST answered with HTTP 200 and an envelope,
/// `{"error":false,"data":…}` or `{"error":true,"message":"…"}`. The client authenticates
/// lazily (`action=authenticate`), caches the API key, and sends `username` + `api_key` on every
/// call. When the API rejects the key, it authenticates again once and repeats that call once:
/// the API refuses a bad key before it runs the action, so the repeat cannot apply a change twice.
/// Nothing else is ever retried.
final class ChamiloRESTClient: Sendable {
    let endpoint: String
    let username: String
    private let password: String
    private let tenantID: String
    private let httpClient: HTTPClient
    private let callTimeout: TimeAmount
    private let keys = APIKeyCache()

    /// The largest response body read (a `get_users` answer on a large portal is a few MiB).
    private static let maximumBodySize = 64 * 1024 * 1024

    init(
        tenantID: String,
        endpoint: String,
        username: String,
        password: String,
        poolMax: Int,
        connectTimeout: Duration,
        callTimeout: Duration
    ) {
        self.tenantID = tenantID
        self.endpoint = endpoint
        self.username = username
        self.password = password
        let callTimeout = TimeAmount(callTimeout)
        self.callTimeout = callTimeout
        var configuration = HTTPClient.Configuration()
        configuration.timeout = .init(connect: TimeAmount(connectTimeout), read: callTimeout)
        configuration.connectionPool = .init(
            idleTimeout: .seconds(60),
            concurrentHTTP1ConnectionsPerHostSoftLimit: max(1, poolMax)
        )
        // A portal that refuses connections must answer 503 at once, not after retrying until the deadline.
        configuration.connectionPool.retryConnectionEstablishment = false
        configuration.redirectConfiguration = .disallow
        configuration.httpVersion = .http1Only
        httpClient = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    }

    deinit {
        // A backend dropped without `shutdown()` (a replaced tenant configuration, a failed start)
        // must still release its connections; shutting down twice is harmless.
        httpClient.shutdown { _ in }
    }

    /// Calls an action with the cached API key; renews the key once if the API rejects it.
    func call(_ form: ChamiloForm) async throws -> JSONValue {
        let action = form.fields.first?.value ?? ""
        let key = try await keys.current { try await self.authenticate() }
        do {
            return try await send(form, apiKey: key, action: action)
        } catch let rejection as ChamiloRejection where Self.isKeyRejection(rejection.message) {
            let renewed = try await keys.renew(rejected: key) { try await self.authenticate() }
            do {
                return try await send(form, apiKey: renewed, action: action)
            } catch let again as ChamiloRejection where Self.isKeyRejection(again.message) {
                throw SCIMError(
                    status: 502,
                    detail: "The Chamilo portal of tenant '\(tenantID)' rejected a freshly issued API key for "
                        + "'\(username)'; check that this user is a platform administrator and that web services are enabled."
                )
            }
        }
    }

    /// Authenticates now (for `verify(connect:)`), replacing the cached key.
    func authenticateNow() async throws {
        _ = try await keys.renew(rejected: nil) { try await self.authenticate() }
    }

    /// Closes the connection pool.
    func shutdown() async {
        try? await httpClient.shutdown()
    }

    private func authenticate() async throws -> String {
        var form = ChamiloForm(action: "authenticate")
        form.append("username", username)
        form.append("password", password)
        let data: JSONValue
        do {
            data = try await post(form, action: "authenticate")
        } catch let rejection as ChamiloRejection {
            throw SCIMError(
                status: 502,
                detail:
                    "The Chamilo portal of tenant '\(tenantID)' refused the admin credentials (\(rejection.message)); "
                    + "check the tenant's backend username and password."
            )
        }
        guard let key = data.objectValue?[caseInsensitive: "apiKey"]?.chamiloText, key.isEmpty == false else {
            throw SCIMError(
                status: 502,
                detail:
                    "The Chamilo portal of tenant '\(tenantID)' authenticated '\(username)' but returned no API key; "
                    + "check that REST web services are enabled on the portal."
            )
        }
        return key
    }

    private func send(_ form: ChamiloForm, apiKey: String, action: String) async throws -> JSONValue {
        var signed = form
        signed.append("username", username)
        signed.append("api_key", apiKey)
        return try await post(signed, action: action)
    }

    /// One POST: transport failures become 503 / 504, anything that is not the envelope 502,
    /// an error envelope a ``ChamiloRejection``.
    private func post(_ form: ChamiloForm, action: String) async throws -> JSONValue {
        var request = HTTPClientRequest(url: endpoint)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/x-www-form-urlencoded; charset=utf-8")
        request.headers.add(name: "Accept", value: "application/json")
        request.body = .bytes(ByteBuffer(string: form.encoded))
        let bytes: [UInt8]
        let status: UInt
        do {
            let response = try await httpClient.execute(request, timeout: callTimeout)
            status = response.status.code
            var body = try await response.body.collect(upTo: Self.maximumBodySize)
            bytes = body.readBytes(length: body.readableBytes) ?? []
        } catch {
            throw transportError(error, action: action)
        }
        guard status == 200 else {
            throw SCIMError(
                status: 502,
                detail: "The Chamilo portal of tenant '\(tenantID)' answered HTTP \(status) to '\(action)'; "
                    + "check the backend URL (it must point to main/webservices/api/v2.php)."
            )
        }
        guard let envelope = (try? JSONValue.parse(bytes))?.objectValue,
            let isError = envelope[caseInsensitive: "error"]?.chamiloFlag
        else {
            throw SCIMError(
                status: 502,
                detail: "The Chamilo portal of tenant '\(tenantID)' did not answer '\(action)' with the REST API's "
                    + "envelope; check the backend URL (it must point to main/webservices/api/v2.php)."
            )
        }
        if isError {
            let message = envelope[caseInsensitive: "message"]?.chamiloText ?? "no message"
            throw ChamiloRejection(action: action, message: message)
        }
        return envelope[caseInsensitive: "data"] ?? .null
    }

    private func transportError(_ error: any Error, action: String) -> SCIMError {
        let retryAfter = 5
        if let clientError = error as? HTTPClientError {
            switch clientError {
            case .deadlineExceeded, .readTimeout, .writeTimeout:
                return SCIMError(
                    status: 504,
                    detail: "The Chamilo portal of tenant '\(tenantID)' did not answer '\(action)' in time.",
                    retryAfter: retryAfter,
                    cause: String(reflecting: error)
                )
            case .connectTimeout, .tlsHandshakeTimeout, .getConnectionFromPoolTimeout:
                return .unavailable(
                    "The Chamilo portal of tenant '\(tenantID)' cannot be reached (connection timed out).",
                    retryAfter: retryAfter,
                    cause: error
                )
            case .bodyLengthMismatch:
                return SCIMError(
                    status: 502,
                    detail: "The Chamilo portal of tenant '\(tenantID)' sent an unusable answer to '\(action)'."
                )
            default:
                break
            }
        }
        if error is CancellationError {
            return SCIMError(
                status: 504,
                detail: "The call '\(action)' to the Chamilo portal of tenant '\(tenantID)' was cancelled.",
                retryAfter: retryAfter,
                cause: String(reflecting: error)
            )
        }
        return .unavailable(
            "The Chamilo portal of tenant '\(tenantID)' cannot be reached (\(Self.summary(of: error))).",
            retryAfter: retryAfter,
            cause: error
        )
    }

    /// A short, secret-free name for a transport error.
    private static func summary(of error: any Error) -> String {
        let text = String(describing: error)
        return text.count > 200 ? String(text.prefix(200)) + "…" : text
    }

    /// Whether an error message is the API's refusal of the key (`get_lang('InvalidApiKey')`,
    /// "Invalid API key" in English), as opposed to a refusal of the action itself.
    static func isKeyRejection(_ message: String) -> Bool {
        let lowered = message.lowercased()
        return lowered.contains("api key") || lowered.contains("apikey")
    }
}

/// The cached API key. Concurrent callers share one authentication; a renewal after a rejection
/// happens once however many calls saw the old key rejected.
private actor APIKeyCache {
    private var key: String?
    private var pending: Task<String, any Error>?

    func current(authenticate: @escaping @Sendable () async throws -> String) async throws -> String {
        if let key { return key }
        let task: Task<String, any Error>
        if let pending {
            task = pending
        } else {
            task = Task { try await authenticate() }
            pending = task
        }
        do {
            let value = try await task.value
            if pending == task {
                key = value
                pending = nil
            }
            return value
        } catch {
            if pending == task { pending = nil }
            throw error
        }
    }

    /// A key to use after `rejected` was refused: another caller's renewal when there was one.
    func renew(rejected: String?, authenticate: @escaping @Sendable () async throws -> String) async throws -> String {
        if let key, key != rejected { return key }
        key = nil
        return try await current(authenticate: authenticate)
    }
}
