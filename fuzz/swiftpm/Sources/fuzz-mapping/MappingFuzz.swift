// Mapping files: any bytes in tenants.d/mappings/NAME.yaml are loaded by the tenants loader
// (TenantFiles.loadMapping: read, YAML-decode, validate) into a mapping or a ConfigurationError that
// names the file and says what is wrong; nothing crashes. A mapping that loads loads again the same.
import Backends
import Foundation

@testable import Tenants

// On tmpfs where there is one: the file is rewritten for every input, and a disk's journal would make
// the fuzzer wait on it (half the time of a run on /tmp went to the kernel's writeback).
private let directory: String = {
    let base = FileManager.default.fileExists(atPath: "/dev/shm") ? "/dev/shm/" : NSTemporaryDirectory()
    let path = base + "fuzz-mapping-\(getpid())"
    try? FileManager.default.createDirectory(atPath: path + "/mappings", withIntermediateDirectories: true)
    return path
}()
private let files = TenantFiles(configDirectory: directory, environment: [:])
private let path = directory + "/mappings/fuzzed.yaml"

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzMapping(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let bytes = Data(UnsafeBufferPointer(start: data, count: size))
    // Written in place (not atomically through a temporary file, as `createFile` does).
    do { try bytes.write(to: URL(fileURLWithPath: path)) } catch { fatalError("cannot write \(path): \(error)") }
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
