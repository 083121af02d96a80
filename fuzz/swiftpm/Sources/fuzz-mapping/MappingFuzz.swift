// Mapping files: any bytes in tenants.d/mappings/NAME.yaml are loaded by the tenants loader
// (TenantFiles.loadMapping: read, YAML-decode, validate) into a mapping or a ConfigurationError that
// names the file and says what is wrong; nothing crashes. A mapping that loads loads again the same.
import Backends
import Foundation

@testable import Tenants

private let directory: String = {
    let path = NSTemporaryDirectory() + "fuzz-mapping-\(getpid())"
    try? FileManager.default.createDirectory(atPath: path + "/mappings", withIntermediateDirectories: true)
    return path
}()
private let files = TenantFiles(configDirectory: directory, environment: [:])
private let path = directory + "/mappings/fuzzed.yaml"

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzMapping(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let bytes = Data(UnsafeBufferPointer(start: data, count: size))
    guard FileManager.default.createFile(atPath: path, contents: bytes) else { fatalError("cannot write \(path)") }
    do {
        let loaded = try files.loadMapping("fuzzed", for: "tenants.d/fuzzed.yaml")
        guard let again = try? files.loadMapping("fuzzed", for: "tenants.d/fuzzed.yaml"),
            again.text == loaded.text, again.mapping.name == loaded.mapping.name
        else { fatalError("a mapping that loaded did not load again the same") }
    } catch {
        if error.message.isEmpty { fatalError("a refused mapping has no message") }
        if !error.file.hasSuffix("fuzzed.yaml") { fatalError("the error names \(error.file), not the file") }
    }
    return 0
}
