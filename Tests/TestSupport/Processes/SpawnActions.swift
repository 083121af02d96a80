#if canImport(Glibc)
import Glibc

/// glibc's `posix_spawn_file_actions_addclosefrom_np` (2.34 and later), which the Glibc module does not
/// show to Swift.
@_silgen_name("posix_spawn_file_actions_addclosefrom_np")
private func addCloseFrom(_ actions: UnsafeMutablePointer<posix_spawn_file_actions_t>, _ from: Int32) -> Int32

/// File actions for daemons the tests start.
public enum SpawnActions {
    /// Closes every descriptor from `from` on in the child: a daemon that inherited a pipe of another
    /// test would keep that test from ever seeing the end of its output.
    public static func closeInherited(_ actions: inout posix_spawn_file_actions_t, from: Int32 = 3) {
        _ = addCloseFrom(&actions, from)
    }
}
#endif
