// Query strings: decoding never fails, and list parameters from any query are validated or refused
// with a SCIM error.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzQuery(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    var items: [String: String] = [:]
    for (name, value) in FormURLEncoding.pairs(text) { items[name] = value }
    if let parameters = try? ListParameters.fromQuery(items, maxResults: 1000) {
        if let count = parameters.count, count < 0 || count > 1000 { fatalError("count \(count) escaped its clamp") }
        if parameters.startIndex < 1 { fatalError("startIndex \(parameters.startIndex) below 1") }
        if let filter = parameters.filter { _ = try? FilterParser.parse(filter) }
    }
    return 0
}
