// Filter parser: any text either parses or throws a SCIM error; what parses prints to text that parses
// back to the same tree, and printing is stable (print → parse → print).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzFilter(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    guard let parsed = try? FilterParser.parse(text) else { return 0 }
    let printed = parsed.description
    // Printing quotes bare words and escapes what needs it, so the printed form may be longer than the
    // input: it is read back with the length limit lifted (depth limits stay as they are).
    let unlimited = FilterLimits(maxLength: Int.max)
    guard let again = try? FilterParser.parse(printed, limits: unlimited) else {
        fatalError("printed filter does not parse: \(printed)")
    }
    if again != parsed { fatalError("round trip changed the filter: \(text) → \(printed)") }
    if again.description != printed { fatalError("printing is not stable: \(printed)") }
    return 0
}
