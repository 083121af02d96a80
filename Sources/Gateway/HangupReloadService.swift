import Foundation
import Logging
import ServiceLifecycle
import UnixSignals

/// Reloads tenants.d on SIGHUP.
struct HangupReloadService: Service {
    let tenants: any TenantResolver
    let logger: Logger

    func run() async throws {
        let hangups = await UnixSignalsSequence(trapping: .sighup)
        for await _ in hangups.cancelOnGracefulShutdown() {
            logger.notice("SIGHUP: reloading tenants")
            let problems = await tenants.reload()
            for problem in problems {
                logger.error("tenant configuration problem", metadata: ["problem": "\(problem)"])
            }
        }
    }
}
