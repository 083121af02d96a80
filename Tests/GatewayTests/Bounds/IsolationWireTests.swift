import Foundation
import Synchronization
import Testing

/// Through the real executable: one tenant's locked database or a crowd of readiness probes does
/// not hold up another tenant's requests.
@Suite(.serialized) struct IsolationWireTests {
    /// Runs `work` on `count` threads at once and returns what each returned.
    static func concurrently<T: Sendable>(_ count: Int, _ work: @escaping @Sendable (Int) -> T) async -> [T] {
        await withTaskGroup(of: T.self) { group in
            for index in 0..<count {
                group.addTask {
                    await withCheckedContinuation { continuation in
                        Thread.detachNewThread { continuation.resume(returning: work(index)) }
                    }
                }
            }
            var results: [T] = []
            for await result in group { results.append(result) }
            return results
        }
    }

    @Test func aLockedSQLiteTenantAnswers503WhileItsNeighbourServes() async throws {
        let locked = BoundsTenant(id: "locked", backendYAML: "statementTimeout: 1")
        try await BoundsGateway.run([BoundsTenant(id: "healthy"), locked]) { gateway in
            // Warm both pools, then let another process take the write lock of the locked tenant's file.
            #expect(try gateway.scim("GET", "/Users", tenant: "locked").status == 200)
            let holder = Process()
            holder.executableURL = URL(fileURLWithPath: "/usr/bin/sqlite3")
            holder.arguments = [gateway.databasePath("locked")]
            let input = Pipe()
            holder.standardInput = input
            holder.standardOutput = Pipe()
            try holder.run()
            defer {
                try? input.fileHandleForWriting.close()
                holder.waitUntilExit()
            }
            input.fileHandleForWriting.write(Data("BEGIN EXCLUSIVE;\nCREATE TABLE held (x);\n".utf8))
            try await Task.sleep(for: .milliseconds(300))

            let creates = Mutex<[(status: Int, retryAfter: String?)]>([])
            let gatewayRef = gateway
            async let lockedCreates: [Void] = Self.concurrently(24) { index in
                let response = try? gatewayRef.scim(
                    "POST",
                    "/Users",
                    tenant: "locked",
                    body: HostileInputWireTests.user("locked\(index)")
                )
                creates.withLock { $0.append((response?.status ?? 0, response?.header("Retry-After"))) }
            }
            // Meanwhile the healthy tenant answers every request at once.
            var slowest = 0.0
            for index in 0..<10 {
                let started = Date()
                let response = try gateway.scim(
                    "POST",
                    "/Users",
                    tenant: "healthy",
                    body: HostileInputWireTests.user("healthy\(index)")
                )
                #expect(response.status == 201, "\(response.body)")
                slowest = max(slowest, Date().timeIntervalSince(started))
            }
            #expect(slowest < 1, "the healthy tenant took \(slowest) s while its neighbour was locked")
            _ = await lockedCreates
            let answers = creates.withLock { $0 }
            #expect(answers.count == 24)
            #expect(answers.allSatisfy { $0.status == 503 && $0.retryAfter != nil }, "\(answers)")
            #expect(gateway.isAlive)
            // The log store (its own pool) still takes entries.
            let logged = try gateway.request("GET", "/admin/v1/logs?tenant=healthy", token: gateway.operatorToken)
            #expect(logged.status == 200)
            #expect(logged.body.contains("healthy9"))
        }
    }

    @Test func fortyParallelReadinessCallersDoNotSlowCreates() async throws {
        try await BoundsGateway.run([BoundsTenant(id: "acme"), BoundsTenant(id: "other")]) { gateway in
            let gatewayRef = gateway
            let stop = Mutex(false)
            async let probes: [[Int]] = Self.concurrently(40) { _ in
                var statuses: [Int] = []
                repeat {
                    statuses.append((try? gatewayRef.request("GET", "/readyz", token: nil))?.status ?? 0)
                } while statuses.count < 5 || !stop.withLock({ $0 })
                return statuses
            }
            var slowest = 0.0
            for index in 0..<20 {
                let started = Date()
                let response = try gateway.scim(
                    "POST",
                    "/Users",
                    tenant: "acme",
                    body: HostileInputWireTests.user("u\(index)")
                )
                #expect(response.status == 201)
                slowest = max(slowest, Date().timeIntervalSince(started))
            }
            stop.withLock { $0 = true }
            let statuses = await probes.flatMap { $0 }
            #expect(statuses.count >= 200)
            #expect(statuses.allSatisfy { $0 == 200 }, "\(Set(statuses))")
            #expect(slowest < 1, "a create took \(slowest) s under 40 readiness callers")

            let publicAnswer = try gateway.request("GET", "/readyz", token: nil)
            #expect(publicAnswer.body == "ready\n")
            let detail = try gateway.request("GET", "/readyz", token: gateway.operatorToken)
            #expect(detail.body.hasPrefix("ready: 2 of 2 tenant backends reachable"))
            let tenantToken = try gateway.request("GET", "/readyz", token: gateway.tokens["acme"])
            #expect(tenantToken.body == "ready\n")
        }
    }
}
