import Foundation
import SCIM

#if canImport(Glibc)
import Glibc
#endif

/// Plain TCP sockets to the gateway on loopback: requests go out as the exact bytes a test writes, so
/// that form-encoded queries, odd headers and half-sent requests reach the server as a client sends them.
enum RawSocket {
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    /// One connected socket. Reads wait at most the given time.
    final class Connection: @unchecked Sendable {
        private var descriptor: Int32

        fileprivate init(descriptor: Int32) { self.descriptor = descriptor }

        deinit { close() }

        /// Writes every byte (a peer that closed makes this throw).
        func write(_ bytes: [UInt8]) throws {
            var sent = 0
            while sent < bytes.count {
                let result = bytes[sent...].withUnsafeBytes { buffer in
                    Glibc.send(descriptor, buffer.baseAddress, buffer.count, Int32(MSG_NOSIGNAL))
                }
                guard result > 0 else { throw Failure(description: "send failed: errno \(errno)") }
                sent += result
            }
        }

        func write(_ text: String) throws { try write(Array(text.utf8)) }

        /// The next bytes; nil once the peer closed the connection, an empty array on a timeout.
        func read(timeout: Double) throws -> [UInt8]? {
            var poller = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
            let ready = poll(&poller, 1, Int32(max(0, timeout * 1000)))
            guard ready > 0 else { return [] }
            var buffer = [UInt8](repeating: 0, count: 65_536)
            let count = buffer.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, $0.count, 0) }
            if count < 0 {
                if errno == ECONNRESET { return nil }
                throw Failure(description: "recv failed: errno \(errno)")
            }
            return count == 0 ? nil : Array(buffer.prefix(count))
        }

        /// Reads until the peer closes or a whole response (head plus Content-Length body) has arrived.
        func readResponse(timeout: Double) throws -> RawHTTPResponse {
            let deadline = Date().addingTimeInterval(timeout)
            var received: [UInt8] = []
            while Date() < deadline {
                guard let chunk = try read(timeout: max(0.01, deadline.timeIntervalSinceNow)) else { break }
                received += chunk
                if let response = RawHTTPResponse(complete: received) { return response }
            }
            guard let response = RawHTTPResponse(partial: received) else {
                throw Failure(description: "no HTTP response within \(timeout) s (\(received.count) bytes)")
            }
            return response
        }

        func close() {
            if descriptor >= 0 {
                Glibc.close(descriptor)
                descriptor = -1
            }
        }
    }

    /// A connection to 127.0.0.1:`port`.
    static func connect(port: Int) throws -> Connection {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { throw Failure(description: "socket failed: errno \(errno)") }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                Glibc.connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard result == 0 else {
            Glibc.close(descriptor)
            throw Failure(description: "connect to port \(port) failed: errno \(errno)")
        }
        return Connection(descriptor: descriptor)
    }

    /// A loopback port nobody listens on at the moment.
    static func freePort() throws -> Int {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { Glibc.close(descriptor) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer in
                bind(descriptor, pointer, length) == 0 && getsockname(descriptor, pointer, &length) == 0
            }
        }
        guard bound else { throw Failure(description: "no free port: errno \(errno)") }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}

/// A response as it came off the socket.
struct RawHTTPResponse: Sendable, CustomStringConvertible {
    var status: Int
    var headers: [(String, String)]
    var body: String

    /// The first header of that name (letter case ignored).
    func header(_ name: String) -> String? {
        headers.first { $0.0.lowercased() == name.lowercased() }?.1
    }

    /// The body parsed as JSON; nil when it is not JSON.
    var json: JSONValue? { try? JSONValue.parse(Array(body.utf8)) }

    /// The SCIM error's `scimType` / `detail`, or a member of a JSON object body.
    subscript(member: String) -> JSONValue? { json?.objectValue?[member] }

    var description: String { "\(status) \(body.prefix(600))" }

    /// A complete response (head and, when Content-Length says so, the whole body); nil until then.
    init?(complete bytes: [UInt8]) {
        guard let (head, bodyStart) = Self.head(bytes) else { return nil }
        let parsed = Self.parseHead(head)
        guard let status = parsed.status else { return nil }
        let length = parsed.headers.first { $0.0.lowercased() == "content-length" }.flatMap { Int($0.1) }
        let chunked = parsed.headers.contains {
            $0.0.lowercased() == "transfer-encoding" && $0.1.lowercased().contains("chunked")
        }
        let rest = Array(bytes[bodyStart...])
        if chunked {
            guard let body = Self.dechunk(rest) else { return nil }
            self.init(status: status, headers: parsed.headers, body: String(decoding: body, as: UTF8.self))
            return
        }
        guard let length, rest.count >= length else { return nil }
        self.init(status: status, headers: parsed.headers, body: String(decoding: rest.prefix(length), as: UTF8.self))
    }

    /// Whatever arrived before the peer closed, when it at least has a status line.
    init?(partial bytes: [UInt8]) {
        guard let (head, bodyStart) = Self.head(bytes) ?? (bytes.isEmpty ? nil : (bytes, bytes.count)) else {
            return nil
        }
        let parsed = Self.parseHead(head)
        guard let status = parsed.status else { return nil }
        self.init(
            status: status,
            headers: parsed.headers,
            body: String(decoding: bytes[min(bodyStart, bytes.count)...], as: UTF8.self)
        )
    }

    init(status: Int, headers: [(String, String)], body: String) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    private static func head(_ bytes: [UInt8]) -> ([UInt8], Int)? {
        let separator: [UInt8] = [13, 10, 13, 10]
        guard bytes.count >= 4 else { return nil }
        for index in 0...(bytes.count - 4) where Array(bytes[index..<(index + 4)]) == separator {
            return (Array(bytes[..<index]), index + 4)
        }
        return nil
    }

    private static func parseHead(_ head: [UInt8]) -> (status: Int?, headers: [(String, String)]) {
        let lines = String(decoding: head, as: UTF8.self).components(separatedBy: "\r\n")
        let statusParts = lines.first?.split(separator: " ") ?? []
        let status = statusParts.count >= 2 ? Int(statusParts[1]) : nil
        let headers = lines.dropFirst().compactMap { line -> (String, String)? in
            guard let colon = line.firstIndex(of: ":") else { return nil }
            return (
                String(line[..<colon]).trimmingCharacters(in: .whitespaces),
                String(line[line.index(after: colon)...]).trimmingCharacters(in: .whitespaces)
            )
        }
        return (status, headers)
    }

    private static func dechunk(_ bytes: [UInt8]) -> [UInt8]? {
        var body: [UInt8] = []
        var index = 0
        while true {
            guard
                let lineEnd = (index..<max(index, bytes.count - 1)).first(where: {
                    bytes[$0] == 13 && bytes[$0 + 1] == 10
                })
            else { return nil }
            let sizeText = String(decoding: bytes[index..<lineEnd], as: UTF8.self).split(separator: ";").first ?? ""
            guard let size = Int(sizeText.trimmingCharacters(in: .whitespaces), radix: 16) else { return nil }
            let start = lineEnd + 2
            if size == 0 { return body }
            guard bytes.count >= start + size + 2 else { return nil }
            body += bytes[start..<(start + size)]
            index = start + size + 2
        }
    }
}
