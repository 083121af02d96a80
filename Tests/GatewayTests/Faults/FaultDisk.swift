import Foundation
import SQLDrivers
import Testing

/// A small file system of its own for a test to fill: a 2 MiB tmpfs, or where tmpfs cannot be mounted a
/// loop-mounted 4 MiB ext4 image. Needs root; ``canMount`` says whether this machine allows it.
struct FaultDisk: Sendable {
    /// Where the file system is mounted.
    let path: String
    private let image: String?

    /// Whether a small file system can be mounted here (tried once).
    static let canMount: Bool = {
        guard let disk = try? mount() else { return false }
        disk.unmount()
        return true
    }()

    static let cannotMountMessage: Comment =
        "cannot mount a small file system here: neither `mount -t tmpfs` nor a loop-mounted ext4 image works (needs root)"

    /// Mounts a new small file system in a fresh folder.
    static func mount() throws -> FaultDisk {
        let path = try temporaryDirectory()
        if run("/bin/mount", ["-t", "tmpfs", "-o", "size=2m,mode=0755", "tmpfs", path]) {
            return FaultDisk(path: path, image: nil)
        }
        let image = path + ".img"
        if FileManager.default.createFile(atPath: image, contents: Data(count: 4 << 20)),
            run("/sbin/mkfs.ext4", ["-q", "-F", image]),
            run("/bin/mount", ["-o", "loop", image, path])
        {
            return FaultDisk(path: path, image: image)
        }
        try? FileManager.default.removeItem(atPath: image)
        try? FileManager.default.removeItem(atPath: path)
        throw ScenarioSetupError("could not mount a small file system at \(path)")
    }

    /// Unmounts (lazily when something still holds a file) and removes the folder.
    func unmount() {
        if !Self.run("/bin/umount", [path]) {
            _ = Self.run("/bin/umount", ["-l", path])
        }
        try? FileManager.default.removeItem(atPath: path)
        if let image { try? FileManager.default.removeItem(atPath: image) }
    }

    /// Writes a file until the file system is full; answers its size.
    @discardableResult
    func fill(name: String = "filler") throws -> Int {
        let file = path + "/" + name
        guard FileManager.default.createFile(atPath: file, contents: nil) else {
            throw ScenarioSetupError("cannot create \(file)")
        }
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: file))
        defer { try? handle.close() }
        let chunk = Data(count: 16 << 10)
        var written = 0
        while written < 64 << 20 {
            do {
                try handle.write(contentsOf: chunk)
                written += chunk.count
            } catch {
                break
            }
        }
        // What is left is smaller than a chunk: fill it byte-wise in small steps.
        let small = Data(count: 256)
        while (try? handle.write(contentsOf: small)) != nil { written += small.count }
        return written
    }

    /// Removes what ``fill(name:)`` wrote.
    func free(name: String = "filler") throws {
        try FileManager.default.removeItem(atPath: path + "/" + name)
    }

    private static func run(_ executable: String, _ arguments: [String]) -> Bool {
        guard FileManager.default.isExecutableFile(atPath: executable) else { return false }
        return (try? ProcessBox.run(executable, arguments))?.status == 0
    }
}
