import Foundation
import TestSupport
import Testing

/// Through the real executable with short limits on the command line: connections that hold the
/// server without sending a request are closed, and the cap on open connections holds. Socket work
/// runs in `Blocking.run`, off Swift concurrency's threads.
@Suite(.serialized) struct ConnectionLimitWireTests {
    static let shortLimits = [
        "--header-timeout", "1", "--idle-timeout", "2", "--body-timeout", "1", "--min-body-rate", "100",
    ]

    @Test func halfRequestHeadsAreClosedAfterTheHeaderTimeout() async throws {
        try await WireGateway.run([WireTenant("acme")], serveArguments: Self.shortLimits) { gateway in
            let port = gateway.port
            let connections = try await Blocking.run {
                try (1...100).map { _ in
                    let connection = try RawSocket.connect(port: port)
                    try connection.write("GET /scim/v2/Users HTTP/1.1\r\nHost: x\r\nX-Slow: ")
                    return connection
                }
            }
            let started = Date()
            // Still served meanwhile.
            #expect(try await gateway.request("GET", "/scim/v2/Users", tenant: "acme").status == 200)
            let limit = TestTiming.seconds(6)
            let closed = try await Blocking.run {
                try connections.map { try $0.isClosedByPeer(within: limit) }
            }
            let elapsed = Date().timeIntervalSince(started)
            #expect(closed.allSatisfy { $0 })
            #expect(elapsed < limit, "closed after \(elapsed) s")
            #expect(gateway.isAlive)
            #expect(try await gateway.request("GET", "/scim/v2/Users", tenant: "acme").status == 200)
        }
    }

    @Test func aSilentConnectionIsClosedAfterTheHeaderTimeout() async throws {
        try await WireGateway.run([WireTenant("acme")], serveArguments: Self.shortLimits) { gateway in
            let port = gateway.port
            let (earlyClose, closed) = try await Blocking.run {
                let connection = try RawSocket.connect(port: port)
                defer { connection.close() }
                return (try connection.isClosedByPeer(within: 0.5), try connection.isClosedByPeer(within: 5))
            }
            #expect(!earlyClose)
            #expect(closed)
        }
    }

    @Test func aHeadSentOneByteAtATimeIsClosedAfterTheHeaderTimeout() async throws {
        try await WireGateway.run([WireTenant("acme")], serveArguments: Self.shortLimits) { gateway in
            let port = gateway.port
            let (closed, seconds) = try await Blocking.run {
                let connection = try RawSocket.connect(port: port)
                defer { connection.close() }
                let head = Array(
                    "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Padding: aaaaaaaaaaaaaaaaaaaa\r\n\r\n".utf8
                )
                let started = Date()
                for byte in head {
                    if (try? connection.write([byte])) == nil { return (true, Date().timeIntervalSince(started)) }
                    if try connection.isClosedByPeer(within: 0.2) { return (true, Date().timeIntervalSince(started)) }
                }
                return (false, Date().timeIntervalSince(started))
            }
            #expect(closed)
            #expect(seconds < 5)
            #expect(gateway.isAlive)
        }
    }

    @Test func aBodySlowerThanTheMinimumRateIsClosed() async throws {
        try await WireGateway.run([WireTenant("acme")], serveArguments: Self.shortLimits) { gateway in
            let port = gateway.port
            let token = gateway.token("acme")
            let (closed, seconds) = try await Blocking.run {
                let connection = try RawSocket.connect(port: port)
                defer { connection.close() }
                try connection.write(
                    "POST /scim/v2/Users HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer \(token)\r\n"
                        + "Content-Type: application/scim+json\r\nContent-Length: 5000\r\n\r\n{"
                )
                let started = Date()
                while Date().timeIntervalSince(started) < 8 {
                    if (try? connection.write(" ")) == nil { return (true, Date().timeIntervalSince(started)) }
                    if try connection.isClosedByPeer(within: 0.25) { return (true, Date().timeIntervalSince(started)) }
                }
                return (false, Date().timeIntervalSince(started))
            }
            #expect(closed)
            #expect(seconds < 5)
            #expect(gateway.isAlive)
            #expect(try await gateway.request("GET", "/scim/v2/Users", tenant: "acme").status == 200)
        }
    }

    @Test func anIdleKeepAliveConnectionIsClosedAfterTheIdleTimeout() async throws {
        try await WireGateway.run([WireTenant("acme")], serveArguments: Self.shortLimits) { gateway in
            let port = gateway.port
            let (first, openAfterASecond, second, closed) = try await Blocking.run {
                let connection = try RawSocket.connect(port: port)
                defer { connection.close() }
                try connection.write("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
                let first = try connection.readResponse(timeout: 5).status
                // Idle, not slow: the 1 s header timeout does not apply, the 2 s idle timeout does.
                let open = try !connection.isClosedByPeer(within: 1.3)
                try connection.write("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
                let second = try connection.readResponse(timeout: 5).status
                return (first, open, second, try connection.isClosedByPeer(within: 5))
            }
            #expect(first == 200)
            #expect(openAfterASecond)
            #expect(second == 200)
            #expect(closed)
        }
    }

    @Test func theConnectionCapHolds() async throws {
        try await WireGateway.run(
            [WireTenant("acme")],
            serveArguments: ["--max-connections", "3", "--header-timeout", "60"]
        ) { gateway in
            let port = gateway.port
            let (waited, answer) = try await Blocking.run {
                let holders = try (1...3).map { _ in try RawSocket.connect(port: port) }
                Thread.sleep(forTimeInterval: 0.3)
                // The fourth connection waits in the backlog: its request is not answered...
                let waiting = try RawSocket.connect(port: port)
                defer { waiting.close() }
                try waiting.write("GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
                let waited = try waiting.read(timeout: 1) == []
                // ...until a slot frees.
                holders[0].close()
                let answer = try waiting.readResponse(timeout: 15).status
                for holder in holders.dropFirst() { holder.close() }
                return (waited, answer)
            }
            #expect(waited)
            #expect(answer == 200)
            #expect(gateway.isAlive)
        }
    }
}
