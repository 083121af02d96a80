import Foundation
import Hummingbird
import Logging
import NIOCore

/// An in-process stand-in for a Chamilo 1.11 portal's REST API (`main/webservices/api/v2.php`),
/// listening on 127.0.0.1. It keeps the API's contract: form-encoded POST only, HTTP 200 with the
/// `{"error":…}` envelope, `api_key` checked on every call. It can be stopped and started again on
/// the same port, slowed down, and told to issue a new API key.
public actor FakeChamiloServer {
    /// The users, the key and every request received.
    public nonisolated let state: FakeChamiloState
    /// The port, fixed after the first start.
    public private(set) var port = 0
    private var running: Task<Void, any Error>?

    /// The API's path on the portal.
    public static let path = "/main/webservices/api/v2.php"

    /// Makes a stopped fake over `state`.
    public init(state: FakeChamiloState = FakeChamiloState()) {
        self.state = state
    }

    /// The URL a backend is configured with.
    public var url: String { "http://127.0.0.1:\(port)\(Self.path)" }

    /// Starts listening (on the previous port after a stop).
    public func start() async throws {
        guard running == nil else { return }
        let (ports, continuation) = AsyncStream<Int>.makeStream()
        let app = Application(
            router: Self.makeRouter(state: state),
            configuration: .init(address: .hostname("127.0.0.1", port: port)),
            onServerRunning: { channel in
                continuation.yield(channel.localAddress?.port ?? 0)
                continuation.finish()
            },
            logger: Self.logger
        )
        running = Task {
            defer { continuation.finish() }
            try await app.runService(gracefulShutdownSignals: [])
        }
        var bound: Int?
        for await value in ports {
            bound = value
            break
        }
        guard let bound, bound > 0 else {
            running = nil
            throw FakeChamiloError.couldNotStart
        }
        port = bound
    }

    /// Stops listening; connections are refused until ``start()``.
    public func stop() async {
        running?.cancel()
        _ = try? await running?.value
        running = nil
    }

    private static var logger: Logger {
        var logger = Logger(label: "fake-chamilo")
        logger.logLevel = .critical
        return logger
    }

    private static func makeRouter(state: FakeChamiloState) -> Router<BasicRequestContext> {
        let router = Router()
        router.post(RouterPath(path)) { request, _ -> Response in
            var request = request
            let body = try await request.collectBody(upTo: 4 * 1024 * 1024)
            let contentType = request.headers[.contentType] ?? ""
            let (received, delay) = await state.receive(contentType: contentType, body: String(buffer: body))
            if delay > .zero {
                try await Task.sleep(for: delay)
            }
            let answer = await state.answer(received)
            return Response(
                status: .ok,
                headers: [.contentType: "application/json"],
                body: ResponseBody(byteBuffer: ByteBuffer(string: answer))
            )
        }
        for method in [HTTPRequest.Method.get, .put, .patch, .delete] {
            router.on(RouterPath(path), method: method) { _, _ -> Response in
                await state.recordViolation("\(method) request: the API reads its parameters from a form-encoded POST")
                return Response(
                    status: .ok,
                    headers: [.contentType: "application/json"],
                    body: ResponseBody(byteBuffer: ByteBuffer(string: #"{"error":true,"message":"Invalid action"}"#))
                )
            }
        }
        return router
    }
}

/// The fake could not listen.
public enum FakeChamiloError: Error {
    /// No port was bound.
    case couldNotStart
}
