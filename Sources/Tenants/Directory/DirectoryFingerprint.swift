import Foundation

/// What polling compares: name, size, modification time and file number of every `*.yaml`, `*.tokens`,
/// `*.clients` and `*.keys` in the directory and every `mappings/*.yaml`.
struct DirectoryFingerprint: Sendable, Hashable {
    struct FileStamp: Sendable, Hashable {
        var name: String
        var size: UInt64
        var modified: Double
        var fileNumber: UInt64
    }

    var files: [FileStamp]
    /// Tenant files, token files, OAuth client files and the signing keys (`*.usage` is not
    /// watched: it changes with every flush and configures nothing).
    static let watchedSuffixes = [".yaml", ".tokens", ".clients", ".keys"]
    var readable: Bool

    static func take(of paths: ConfigurationPaths) -> DirectoryFingerprint {
        let manager = FileManager.default
        guard let names = try? manager.contentsOfDirectory(atPath: paths.directory) else {
            return DirectoryFingerprint(files: [], readable: false)
        }
        var stamps: [FileStamp] = []
        func stamp(_ relative: String) {
            let path = "\(paths.directory)/\(relative)"
            guard let attributes = try? manager.attributesOfItem(atPath: path) else { return }
            stamps.append(
                FileStamp(
                    name: relative,
                    size: (attributes[.size] as? NSNumber)?.uint64Value ?? 0,
                    modified: (attributes[.modificationDate] as? Date)?.timeIntervalSinceReferenceDate ?? 0,
                    fileNumber: (attributes[.systemFileNumber] as? NSNumber)?.uint64Value ?? 0
                )
            )
        }
        for name in names where !name.hasPrefix(".") && Self.watchedSuffixes.contains(where: name.hasSuffix) {
            stamp(name)
        }
        if let mappingNames = try? manager.contentsOfDirectory(atPath: "\(paths.directory)/mappings") {
            for name in mappingNames where !name.hasPrefix(".") && name.hasSuffix(".yaml") {
                stamp("mappings/\(name)")
            }
        }
        return DirectoryFingerprint(files: stamps.sorted { $0.name < $1.name }, readable: true)
    }
}
