import Foundation
import Logging
import SCIM
import Synchronization

/// A swift-log handler writing one JSON object per line to standard error (`serve --log-format json`):
/// `time`, `level`, `label`, `message` and the metadata members (request id, tenant, operation,
/// status, duration, …) as strings, for log collectors that parse lines. The gateway never puts a
/// secret into log metadata; this handler adds nothing but the time.
public struct JSONLogHandler: LogHandler {
    public var metadata: Logger.Metadata = [:]
    public var logLevel: Logger.Level = .info
    let label: String
    private let output: LineOutput

    /// A handler for `label` writing to standard error.
    public init(label: String) {
        self.init(label: label, output: .standardError)
    }

    init(label: String, output: LineOutput) {
        self.label = label
        self.output = output
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        output.write(Self.line(event: event, label: label, handlerMetadata: metadata))
    }

    /// The JSON line of one event (without the newline).
    static func line(event: LogEvent, label: String, handlerMetadata: Logger.Metadata, date: Date = Date()) -> String {
        var object: JSONObject = [
            "time": .string(date.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true))),
            "level": .string(event.level.rawValue),
            "label": .string(label),
            "message": .string(event.message.description),
        ]
        let merged = handlerMetadata.merging(event.metadata ?? [:]) { _, new in new }
        for (key, value) in merged.sorted(by: { $0.key < $1.key }) where object[key] == nil {
            object[key] = .string(value.description)
        }
        return String(decoding: JSONValue.object(object).serialized(), as: UTF8.self)
    }
}

/// Where log lines go; lines are written whole, one at a time.
final class LineOutput: Sendable {
    static let standardError = LineOutput { line in
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }

    private let lock = Locked(())
    private let sink: @Sendable (String) -> Void

    init(_ sink: @escaping @Sendable (String) -> Void) {
        self.sink = sink
    }

    func write(_ line: String) {
        lock.withLock { _ in sink(line) }
    }
}
