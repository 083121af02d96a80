import CMariaDB

/// The `MYSQL_BIND` array for a statement's parameters: integers as `LONGLONG`, doubles as `DOUBLE`, text as
/// `STRING`, blobs as `BLOB`, NULL as `NULL`. Buffers are allocated here and freed by ``deallocate()``, after
/// the statement ran.
struct MySQLParameters {
    let binds: UnsafeMutablePointer<MYSQL_BIND>
    private var buffers: [UnsafeMutableRawPointer] = []

    init(_ values: [SQLValue]) {
        binds = .allocate(capacity: max(1, values.count))
        binds.initialize(repeating: MYSQL_BIND(), count: max(1, values.count))
        for (index, value) in values.enumerated() {
            switch value {
            case .null:
                binds[index].buffer_type = MYSQL_TYPE_NULL
            case .integer(let number):
                let buffer = allocate(MemoryLayout<Int64>.size)
                buffer.storeBytes(of: number, as: Int64.self)
                binds[index].buffer_type = MYSQL_TYPE_LONGLONG
                binds[index].buffer = buffer
            case .double(let number):
                let buffer = allocate(MemoryLayout<Double>.size)
                buffer.storeBytes(of: number, as: Double.self)
                binds[index].buffer_type = MYSQL_TYPE_DOUBLE
                binds[index].buffer = buffer
            case .text(let text):
                bind(Array(text.utf8), as: MYSQL_TYPE_STRING, at: index)
            case .blob(let bytes):
                bind(bytes, as: MYSQL_TYPE_BLOB, at: index)
            }
        }
    }

    /// Frees the binds and their buffers.
    func deallocate() {
        for buffer in buffers { buffer.deallocate() }
        binds.deallocate()
    }

    private mutating func allocate(_ byteCount: Int) -> UnsafeMutableRawPointer {
        let buffer = UnsafeMutableRawPointer.allocate(byteCount: max(1, byteCount), alignment: 8)
        buffers.append(buffer)
        return buffer
    }

    private mutating func bind(_ bytes: [UInt8], as type: enum_field_types, at index: Int) {
        let buffer = allocate(bytes.count)
        bytes.withUnsafeBytes { source in
            if let base = source.baseAddress { buffer.copyMemory(from: base, byteCount: bytes.count) }
        }
        binds[index].buffer_type = type
        binds[index].buffer = buffer
        binds[index].buffer_length = UInt(bytes.count)
    }
}
