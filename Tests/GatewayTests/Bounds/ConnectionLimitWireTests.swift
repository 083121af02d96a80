import Foundation
import Testing

/// Through the real executable with short limits on the command line: connections that hold the
/// server without sending a request are closed, and the cap on open connections holds.
@Suite(.serialized) struct ConnectionLimitWireTests {
    static let shortLimits = [
        "--header-timeout", "1", "--idle-timeout", "2", "--body-timeout", "1", "--min-body-rate", "100",
    ]

    @Test func halfRequestHeadsAreClosedAfterTheHeaderTimeout() async throws {
        try await BoundsGateway.run([BoundsTenant(id: "acme")], serveArguments: Self.shortLimits) { gateway in
            let started = Date()
            let connections = try (1...100).map { _ in
                let connection = try BoundsSocket.connect(port: gateway.port)
                try connection.write(Array("GET /scim/v2/Users HTTP/1.1\r\nHost: x\r\nX-Slow: ".utf8))
                return connection
            }
            defer {
                for connection in connections { connection.close() }
            }
            // Still served meanwhile.
            #expect(try gateway.scim("GET", "/Users", tenant: "acme").status == 200)
            for connection in connections {
                #expect(try connection.isClosedByPeer(within: 4))
            }
            let elapsed = Date().timeIntervalSince(started)
            #expect(elapsed >= 0.9 && elapsed < 4, "closed after \(elapsed) s")
            #expect(gateway.isAlive)
            #expect(try gateway.scim("GET", "/Users", tenant: "acme").status == 200)
        }
    }

    @Test func aSilentConnectionIsClosedAfterTheHeaderTimeout() async throws {
        try await BoundsGateway.run([BoundsTenant(id: "acme")], serveArguments: Self.shortLimits) { gateway in
            let connection = try BoundsSocket.connect(port: gateway.port)
            defer { connection.close() }
            #expect(try !connection.isClosedByPeer(within: 0.5))
            #expect(try connection.isClosedByPeer(within: 3))
        }
    }

    @Test func aHeadSentOneByteAtATimeIsClosedAfterTheHeaderTimeout() async throws {
        try await BoundsGateway.run([BoundsTenant(id: "acme")], serveArguments: Self.shortLimits) { gateway in
            let connection = try BoundsSocket.connect(port: gateway.port)
            defer { connection.close() }
            let head = Array("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Padding: aaaaaaaaaaaaaaaaaaaa\r\n\r\n".utf8)
            let started = Date()
            var closed = false
            for byte in head {
                if (try? connection.write([byte])) == nil {
                    closed = true
                    break
                }
                if try connection.isClosedByPeer(within: 0.2) {
                    closed = true
                    break
                }
            }
            #expect(closed)
            #expect(Date().timeIntervalSince(started) < 3)
            #expect(gateway.isAlive)
        }
    }

    @Test func aBodySlowerThanTheMinimumRateIsClosed() async throws {
        try await BoundsGateway.run([BoundsTenant(id: "acme")], serveArguments: Self.shortLimits) { gateway in
            let connection = try BoundsSocket.connect(port: gateway.port)
            defer { connection.close() }
            let token = try #require(gateway.tokens["acme"])
            try connection.write(
                Array(
                    ("POST /scim/v2/Users HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer \(token)\r\n"
                        + "Content-Type: application/scim+json\r\nContent-Length: 5000\r\n\r\n{").utf8
                )
            )
            let started = Date()
            var closed = false
            while Date().timeIntervalSince(started) < 5 {
                if (try? connection.write(Array(" ".utf8))) == nil {
                    closed = true
                    break
                }
                if try connection.isClosedByPeer(within: 0.25) {
                    closed = true
                    break
                }
            }
            #expect(closed)
            #expect(Date().timeIntervalSince(started) < 3.5)
            #expect(gateway.isAlive)
            #expect(try gateway.scim("GET", "/Users", tenant: "acme").status == 200)
        }
    }

    @Test func anIdleKeepAliveConnectionIsClosedAfterTheIdleTimeout() async throws {
        try await BoundsGateway.run([BoundsTenant(id: "acme")], serveArguments: Self.shortLimits) { gateway in
            let connection = try BoundsSocket.connect(port: gateway.port)
            defer { connection.close() }
            try connection.write(Array("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n".utf8))
            let first = try #require(try connection.read(timeout: 5))
            #expect(String(decoding: first, as: UTF8.self).hasPrefix("HTTP/1.1 200"))
            // Idle, not slow: the 1 s header timeout does not apply, the 2 s idle timeout does.
            #expect(try !connection.isClosedByPeer(within: 1.3))
            try connection.write(Array("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n".utf8))
            let second = try #require(try connection.read(timeout: 5))
            #expect(String(decoding: second, as: UTF8.self).hasPrefix("HTTP/1.1 200"))
            #expect(try connection.isClosedByPeer(within: 3))
        }
    }

    @Test func theConnectionCapHolds() async throws {
        try await BoundsGateway.run(
            [BoundsTenant(id: "acme")],
            serveArguments: ["--max-connections", "3", "--header-timeout", "30"]
        ) { gateway in
            let holders = try (1...3).map { _ in try BoundsSocket.connect(port: gateway.port) }
            try await Task.sleep(for: .milliseconds(300))
            // The fourth connection waits in the backlog: its request is not answered...
            let waiting = try BoundsSocket.connect(port: gateway.port)
            defer { waiting.close() }
            try waiting.write(Array("GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".utf8))
            #expect(try waiting.read(timeout: 1) == [])
            // ...until a slot frees.
            holders[0].close()
            let answer = try waiting.readAll(timeout: 5)
            #expect(String(decoding: answer, as: UTF8.self).hasPrefix("HTTP/1.1 200"))
            for holder in holders.dropFirst() { holder.close() }
            #expect(gateway.isAlive)
        }
    }
}
