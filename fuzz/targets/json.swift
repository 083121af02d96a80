// JSON: parse → serialise → parse is the identity; nothing crashes or recurses without bound.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzJSON(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let bytes = UnsafeBufferPointer(start: data, count: size)
    guard let value = try? JSONValue.parse(bytes) else { return 0 }
    let written = value.serialized()
    guard let again = try? JSONValue.parse(written) else {
        fatalError("serialised JSON does not parse: \(String(decoding: written, as: UTF8.self))")
    }
    if again != value { fatalError("JSON round trip changed the value") }
    return 0
}
