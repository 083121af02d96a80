import Foundation

/// A local JSON-lines file holding entries the store could not take, replayed when it can again.
///
/// Only the provisioning-log writer's background loop touches it, one call at a time.
public struct ProvisioningLogSpool: Sendable {
    /// The spool file.
    public let path: String

    /// A spool at `path`; the file is created on the first append.
    public init(path: String) {
        self.path = path
    }

    /// Whether entries are waiting in the spool.
    public var hasEntries: Bool {
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: path),
            let size = attributes[.size] as? NSNumber
        else { return false }
        return size.intValue > 0
    }

    /// Appends entries, one JSON line each.
    public func append(_ entries: [ProvisioningLogEntry]) throws {
        guard !entries.isEmpty else { return }
        let directory = (path as NSString).deletingLastPathComponent
        if !directory.isEmpty {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        }
        let text = entries.map { $0.jsonLine() + "\n" }.joined()
        if !FileManager.default.fileExists(atPath: path) {
            guard FileManager.default.createFile(atPath: path, contents: nil) else {
                throw ProvisioningLogError("cannot create the spool file \(path)")
            }
        }
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        defer { try? handle.close() }
        try handle.seekToEnd()
        try handle.write(contentsOf: Data(text.utf8))
    }

    /// Every spooled entry, in the order written; lines that cannot be read are counted, not thrown.
    public func read() throws -> (entries: [ProvisioningLogEntry], unreadable: Int) {
        guard FileManager.default.fileExists(atPath: path) else { return ([], 0) }
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        let decoder = JSONDecoder()
        var entries: [ProvisioningLogEntry] = []
        var unreadable = 0
        for line in data.split(separator: UInt8(ascii: "\n")) where !line.isEmpty {
            if let entry = try? decoder.decode(ProvisioningLogEntry.self, from: Data(line)) {
                entries.append(entry)
            } else {
                unreadable += 1
            }
        }
        return (entries, unreadable)
    }

    /// Empties the spool after its entries reached the store.
    public func removeAll() throws {
        if FileManager.default.fileExists(atPath: path) {
            try FileManager.default.removeItem(atPath: path)
        }
    }
}

/// A provisioning-log failure: the store location, the spool or the store itself.
public struct ProvisioningLogError: Error, Sendable, CustomStringConvertible {
    /// What went wrong, for an operator.
    public var message: String

    /// An error with this message.
    public init(_ message: String) {
        self.message = message
    }

    public var description: String { message }
}
