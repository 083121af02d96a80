import CLibPQ

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The arrays `PQexecParams` takes, built from bound values. Integers and doubles are sent as text typed
/// `int8` / `float8`, text as text of unknown type (the server infers the column's type, e.g. for timestamps),
/// blobs in binary as `bytea`, NULL as a null pointer. The buffers are malloc'ed and freed by ``deallocate()``.
struct PostgreSQLParameters {
    private(set) var types: [Oid] = []
    private(set) var values: [UnsafePointer<CChar>?] = []
    private(set) var lengths: [Int32] = []
    private(set) var formats: [Int32] = []
    private var buffers: [UnsafeMutableRawPointer] = []

    var count: Int { values.count }

    static let int8: Oid = 20
    static let float8: Oid = 701
    static let bytea: Oid = 17
    static let unknown: Oid = 0

    init(_ binds: [SQLValue]) throws(SQLError) {
        guard binds.count <= 65_535 else {
            throw SQLError(.other, message: "a statement takes at most 65535 parameters")
        }
        for bind in binds {
            switch bind {
            case .null:
                append(type: Self.unknown, bytes: nil, format: 0)
            case .integer(let value):
                append(type: Self.int8, bytes: Array(String(value).utf8), format: 0)
            case .double(let value):
                append(type: Self.float8, bytes: Array(Self.text(of: value).utf8), format: 0)
            case .text(let value):
                // Text parameters are C strings: a NUL would silently cut the value short.
                guard !value.utf8.contains(0) else {
                    deallocate()
                    throw SQLError(
                        .invalidValue,
                        sqlState: "22021",
                        message: "PostgreSQL text cannot contain the NUL character"
                    )
                }
                append(type: Self.unknown, bytes: Array(value.utf8), format: 0)
            case .blob(let value):
                append(type: Self.bytea, bytes: value, format: 1)
            }
        }
    }

    /// Frees the value buffers.
    func deallocate() {
        for buffer in buffers { buffer.deallocate() }
    }

    private mutating func append(type: Oid, bytes: [UInt8]?, format: Int32) {
        types.append(type)
        formats.append(format)
        guard let bytes else {
            values.append(nil)
            lengths.append(0)
            return
        }
        // One extra byte for the terminating NUL text values need; harmless for binary ones.
        let buffer = UnsafeMutableRawPointer.allocate(byteCount: bytes.count + 1, alignment: 1)
        buffers.append(buffer)
        bytes.withUnsafeBytes { source in
            if let base = source.baseAddress { buffer.copyMemory(from: base, byteCount: bytes.count) }
        }
        buffer.storeBytes(of: 0, toByteOffset: bytes.count, as: UInt8.self)
        values.append(UnsafePointer(buffer.assumingMemoryBound(to: CChar.self)))
        lengths.append(Int32(bytes.count))
    }

    /// The text form of a double that `float8in` reads back to the same value.
    static func text(of value: Double) -> String {
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value < 0 ? "-Infinity" : "Infinity" }
        return "\(value)"
    }
}
