import HummingbirdCore
import Logging
import NIOCore
import NIOHTTPTypes

/// Closes a connection that holds the server without doing its part: no complete request head within
/// ``ConnectionLimits/headerTimeout``, a body slower than ``ConnectionLimits/minimumBodyRate``, or no
/// request for ``ConnectionLimits/idleTimeout`` after the last response.
///
/// It sits first in the pipeline and sees raw bytes, so it notices the first byte of a head that never
/// completes; ``RequestPhaseHandler``, after the HTTP decoder, tells it where requests begin and end.
/// Both run on the channel's event loop only.
final class ConnectionDeadlineHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer

    /// What the connection is waiting for.
    enum Phase: Equatable {
        /// The next request head; `started` once a byte of it arrived.
        case awaitingHead(started: Bool)
        /// The rest of a body: `bytes` arrived since the window opened.
        case readingBody(bytes: Int)
        /// The server's response; no client deadline runs.
        case responding
    }

    private let limits: ConnectionLimits
    private(set) var phase: Phase = .awaitingHead(started: false)
    private var requestsInProgress = 0
    private var isReadingRequest = false
    private var deadline: NIODeadline?
    private var timer: Scheduled<Void>?
    private weak var context: ChannelHandlerContext?

    init(limits: ConnectionLimits) {
        self.limits = limits
    }

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
        arm(after: limits.headerTimeout)
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        timer?.cancel()
        timer = nil
        self.context = nil
    }

    func channelInactive(context: ChannelHandlerContext) {
        timer?.cancel()
        timer = nil
        context.fireChannelInactive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let bytes = unwrapInboundIn(data).readableBytes
        switch phase {
        case .awaitingHead(started: false) where bytes > 0:
            phase = .awaitingHead(started: true)
            let headDeadline = NIODeadline.now() + TimeAmount(limits.headerTimeout)
            if deadline.map({ headDeadline < $0 }) ?? true { arm(at: headDeadline) }
        case .readingBody(let count):
            phase = .readingBody(bytes: count + bytes)
        default:
            break
        }
        context.fireChannelRead(data)
    }

    // MARK: Events from RequestPhaseHandler

    func requestHeadReceived() {
        requestsInProgress += 1
        isReadingRequest = true
        phase = .readingBody(bytes: 0)
        arm(after: limits.bodyTimeout)
    }

    func requestEndReceived() {
        isReadingRequest = false
        phase = .responding
        disarm()
    }

    func responseEndWritten() {
        requestsInProgress = max(0, requestsInProgress - 1)
        guard requestsInProgress == 0, !isReadingRequest else { return }
        phase = .awaitingHead(started: false)
        arm(after: limits.idleTimeout)
    }

    // MARK: Timer

    private func arm(after delay: Duration) {
        arm(at: .now() + TimeAmount(delay))
    }

    private func arm(at instant: NIODeadline) {
        timer?.cancel()
        deadline = instant
        guard let context else { return }
        timer = context.eventLoop.assumeIsolatedUnsafeUnchecked().scheduleTask(deadline: instant) { [weak self] in
            self?.deadlineReached()
        }
    }

    private func disarm() {
        timer?.cancel()
        timer = nil
        deadline = nil
    }

    private func deadlineReached() {
        timer = nil
        switch phase {
        case .awaitingHead:
            close()
        case .readingBody(let bytes):
            if bytes < limits.minimumBytesPerWindow {
                close()
            } else {
                phase = .readingBody(bytes: 0)
                arm(after: limits.bodyTimeout)
            }
        case .responding:
            break
        }
    }

    private func close() {
        deadline = nil
        context?.close(promise: nil)
    }
}

/// Reports request heads, request ends and response ends to the connection's
/// ``ConnectionDeadlineHandler``; passes every part through unchanged.
final class RequestPhaseHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    private var deadlines: ConnectionDeadlineHandler?

    func handlerAdded(context: ChannelHandlerContext) {
        deadlines = try? context.pipeline.syncOperations.handler(type: ConnectionDeadlineHandler.self)
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        deadlines = nil
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head: deadlines?.requestHeadReceived()
        case .end: deadlines?.requestEndReceived()
        case .body: break
        }
        context.fireChannelRead(data)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        if case .end = unwrapOutboundIn(data) {
            deadlines?.responseEndWritten()
        }
        context.write(data, promise: promise)
    }
}

/// HTTP/1.1 with ``ConnectionLimits``: Hummingbird's ``HTTP1Channel`` with a
/// ``ConnectionDeadlineHandler`` in front of its decoder and a ``RequestPhaseHandler`` behind it.
struct BoundedHTTP1Channel: ServerChildChannel {
    typealias Value = HTTP1Channel.Value

    let inner: HTTP1Channel
    let limits: ConnectionLimits

    init(responder: @escaping HTTPChannelHandler.Responder, limits: ConnectionLimits) {
        self.inner = HTTP1Channel(
            responder: responder,
            configuration: .init(additionalChannelHandlers: [RequestPhaseHandler()])
        )
        self.limits = limits
    }

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        let limits = self.limits
        let inner = self.inner
        return channel.eventLoop.makeCompletedFuture {
            try channel.pipeline.syncOperations.addHandler(ConnectionDeadlineHandler(limits: limits), position: .first)
        }.flatMap {
            inner.setup(channel: channel, logger: logger)
        }
    }

    func handle(value: Value, logger: Logger) async {
        await inner.handle(value: value, logger: logger)
    }
}

extension HTTPServerBuilder {
    /// HTTP/1.1 whose connections are bounded by `limits`.
    static func boundedHTTP1(_ limits: ConnectionLimits) -> HTTPServerBuilder {
        HTTPServerBuilder { responder in
            BoundedHTTP1Channel(responder: responder, limits: limits)
        }
    }
}
