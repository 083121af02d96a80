#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Whether an idle connection's socket has something to read, or was closed or failed: for an idle
/// connection that means the server closed it or sent a shutdown notice. Never blocks.
func socketHasPendingEvents(_ descriptor: Int32) -> Bool {
    guard descriptor >= 0 else { return true }
    var entry = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
    let ready = poll(&entry, 1, 0)
    if ready < 0 { return true }
    return ready > 0 && entry.revents != 0
}
