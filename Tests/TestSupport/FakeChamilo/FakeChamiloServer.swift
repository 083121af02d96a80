import Foundation
import Hummingbird
import Logging
import NIOCore

#if canImport(Glibc)
import Glibc
#endif

/// An in-process stand-in for a Chamilo 1.11 portal's REST API (`main/webservices/api/v2.php`),
/// listening on 127.0.0.1. It keeps the API's contract: form-encoded POST only, HTTP 200 with the
/// `{"error":…}` envelope, `api_key` checked on every call. It can be stopped and started again on
/// the same port, slowed down, told to issue a new API key, and made to hang or cut its answers
/// (``FakeChamiloFault``).
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

    /// Starts listening (on the previous port after a stop). A port the previous run still holds
    /// while its listener closes is tried again for a few seconds.
    public func start() async throws {
        for attempt in 0..<50 {
            do {
                try await startOnce()
                return
            } catch FakeChamiloError.couldNotStart where port != 0 && attempt < 49 {
                try await Task.sleep(for: .milliseconds(100))
            }
        }
    }

    private func startOnce() async throws {
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

    /// Stops listening; connections are refused until ``start()``. Returns once the port refuses
    /// connections (the listener closes on its event loop after the server task ends).
    public func stop() async {
        running?.cancel()
        _ = try? await running?.value
        running = nil
        let port = self.port
        for _ in 0..<50 {
            let refused = (try? await Blocking.run { !Self.accepts(port: port) }) ?? true
            if refused { return }
            try? await Task.sleep(for: .milliseconds(100))
        }
    }

    /// Whether something accepts TCP connections on 127.0.0.1:`port`.
    private static func accepts(port: Int) -> Bool {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { return false }
        defer { close(descriptor) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(truncatingIfNeeded: port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
            }
        }
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
            if await state.fault == .hang {
                // At most a minute, so that a test that forgets to clear the fault still ends.
                var waited = 0
                while waited < 600, await state.fault == .hang {
                    try await Task.sleep(for: .milliseconds(100))
                    waited += 1
                }
                throw FakeChamiloCut()
            }
            let answer = await state.answer(received)
            guard await state.fault != .dropMidResponse else {
                let bytes = Array(answer.utf8)
                return Response(
                    status: .ok,
                    headers: [.contentType: "application/json"],
                    body: ResponseBody(contentLength: bytes.count) { writer in
                        try await writer.write(ByteBuffer(bytes: bytes.prefix(bytes.count / 2)))
                        throw FakeChamiloCut()
                    }
                )
            }
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
