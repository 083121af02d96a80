import Foundation
import SCIM

/// A local JSON-lines file holding entries the store could not take, replayed when it can again.
///
/// The file is created `0600` (entries name users and clients) and starts with a header line carrying
/// a random spool id; the store records, in the transaction that writes a replay, how many of that
/// spool's entries it holds, so a crash between the write and the file's removal neither loses nor
/// duplicates an entry. The spool is capped: an append that would pass ``maximumBytes`` is refused,
/// and entries older than ``maximumAge`` are not replayed; both are counted and reported.
///
/// Only the provisioning-log writer's background loop touches it, one call at a time.
public struct ProvisioningLogSpool: Sendable {
    /// What a read found.
    public struct Contents: Sendable {
        /// The spool's id (from its header line; empty for a spool written before ids existed).
        public var id: String
        /// Every readable entry, in the order written; the replay marker counts positions in this list.
        public var entries: [ProvisioningLogEntry]
        /// Lines that could not be read.
        public var unreadable: Int
    }

    /// The spool file.
    public let path: String
    /// The largest the file may grow.
    public let maximumBytes: Int
    /// Entries older than this are not replayed.
    public let maximumAge: Duration

    /// A spool at `path`, by default at most 256 MiB and 7 days; the file is created on the first append.
    public init(path: String, maximumBytes: Int = 256 << 20, maximumAge: Duration = .seconds(7 * 86_400)) {
        self.path = path
        self.maximumBytes = max(1, maximumBytes)
        self.maximumAge = maximumAge
    }

    static let headerKey = "spool"

    /// The spool file's size in bytes (0 when there is none): entries waiting for the store.
    public var sizeInBytes: Int { size }

    private var size: Int {
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: path),
            let size = attributes[.size] as? NSNumber
        else { return 0 }
        return size.intValue
    }

    /// Whether entries are waiting in the spool.
    public var hasEntries: Bool { size > 0 }

    /// Appends entries, one JSON line each. Answers how many were refused because the spool is full
    /// (all of them or none: a batch is never split).
    @discardableResult
    public func append(_ entries: [ProvisioningLogEntry]) throws -> Int {
        guard !entries.isEmpty else { return 0 }
        let directory = (path as NSString).deletingLastPathComponent
        if !directory.isEmpty {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        }
        var text = entries.map { $0.jsonLine() + "\n" }.joined()
        let existing = FileManager.default.fileExists(atPath: path) ? size : 0
        if existing == 0 {
            let header: JSONObject = [Self.headerKey: .string(UUID().uuidString.lowercased())]
            text = header.jsonString + "\n" + text
        }
        guard existing + text.utf8.count <= maximumBytes else { return entries.count }
        if !FileManager.default.fileExists(atPath: path) {
            guard
                FileManager.default.createFile(
                    atPath: path,
                    contents: nil,
                    attributes: [.posixPermissions: NSNumber(value: 0o600)]
                )
            else {
                throw ProvisioningLogError("cannot create the spool file \(path)")
            }
        }
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        defer { try? handle.close() }
        let start = try handle.seekToEnd()
        do {
            try handle.write(contentsOf: Data(text.utf8))
        } catch {
            // Nothing of a batch that did not fit stays (a full disk): its caller keeps it, and a part
            // left behind would be replayed as well, or read back as unreadable lines.
            try? handle.truncate(atOffset: start)
            if start == 0 { try? FileManager.default.removeItem(atPath: path) }
            throw error
        }
        return 0
    }

    /// The spool's id and every spooled entry, in the order written; lines that cannot be read are
    /// counted, not thrown.
    public func read() throws -> Contents {
        guard FileManager.default.fileExists(atPath: path) else { return Contents(id: "", entries: [], unreadable: 0) }
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        var contents = Contents(id: "", entries: [], unreadable: 0)
        for (index, line) in data.split(separator: UInt8(ascii: "\n")).enumerated() where !line.isEmpty {
            let value = try? JSONValue.parse(line)
            if index == 0, let id = value?.objectValue?[Self.headerKey]?.stringValue {
                contents.id = id
            } else if let value, let entry = ProvisioningLogEntry(json: value) {
                contents.entries.append(entry)
            } else {
                contents.unreadable += 1
            }
        }
        return contents
    }

    /// Whether an entry is too old to replay at `now`.
    public func isExpired(_ entry: ProvisioningLogEntry, now: Date = Date()) -> Bool {
        let (seconds, attoseconds) = maximumAge.components
        let age = Double(seconds) + Double(attoseconds) / 1e18
        return entry.time < now.addingTimeInterval(-age)
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
