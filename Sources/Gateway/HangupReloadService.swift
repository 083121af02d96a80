import Dispatch
import Foundation
import Logging
import ServiceLifecycle

/// Reloads tenants.d on SIGHUP.
struct HangupReloadService: Service {
    let tenants: any TenantResolver
    let logger: Logger

    func run() async throws {
        let (signals, continuation) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
        signal(SIGHUP, SIG_IGN)
        let source = DispatchSource.makeSignalSource(signal: SIGHUP, queue: .global())
        source.setEventHandler { continuation.yield() }
        source.resume()
        defer { source.cancel() }
        for await _ in signals.cancelOnGracefulShutdown() {
            logger.notice("SIGHUP: reloading tenants")
            let problems = await tenants.reload()
            for problem in problems {
                logger.error("tenant configuration problem", metadata: ["problem": "\(problem)"])
            }
        }
    }
}
