extension JSONValue {
    /// The default limit on how deeply arrays and objects may nest.
    public static let defaultMaxDepth = 64

    /// Parses RFC 8259 JSON text encoded as UTF-8.
    ///
    /// Integers that fit in 64 bits stay ``integer(_:)``; other numbers become ``decimal(_:)``.
    /// A repeated object key keeps its first position and its last value. Parsing is iterative,
    /// so no input can exhaust the stack, and every failure is a ``SCIMError``.
    ///
    /// - Parameters:
    ///   - bytes: The JSON text; a leading UTF-8 byte order mark is ignored.
    ///   - maxDepth: The deepest nesting of arrays and objects accepted.
    /// - Throws: ``SCIMError`` 400 `invalidSyntax` naming the byte offset of the fault, or the
    ///   nesting limit when it is exceeded.
    public static func parse(_ bytes: some Collection<UInt8>, maxDepth: Int = defaultMaxDepth) throws -> JSONValue {
        let parsed = try bytes.withContiguousStorageIfAvailable { buffer in
            var parser = JSONParser(bytes: buffer, maxDepth: maxDepth)
            return try parser.parseDocument()
        }
        if let parsed { return parsed }
        let contiguous = Array(bytes)
        return try contiguous.withUnsafeBufferPointer { buffer in
            var parser = JSONParser(bytes: buffer, maxDepth: maxDepth)
            return try parser.parseDocument()
        }
    }

    /// Parses JSON text held in a string.
    public static func parse(_ text: String, maxDepth: Int = defaultMaxDepth) throws -> JSONValue {
        try parse(text.utf8, maxDepth: maxDepth)
    }
}
