import CMariaDB

extension MySQLConnection {
    /// How a result column is fetched and what it becomes.
    private enum ColumnKind {
        case integer(unsigned: Bool)
        case double
        case text
        case blob
        case null
    }

    /// Fetches every row of an executed statement that returned a result set. Integer types become `.integer`
    /// (an unsigned value above `Int64.max` becomes `.text`), FLOAT and DOUBLE `.double`, binary strings and
    /// blobs `.blob`, everything else (DECIMAL, dates, text, JSON) `.text`.
    func readRows(_ statement: UnsafeMutablePointer<MYSQL_STMT>) throws(SQLError) -> SQLResult {
        // Buffering the whole result frees the connection at once and tells each column's longest value.
        var updateMaxLength: my_bool = 1
        mysql_stmt_attr_set(statement, STMT_ATTR_UPDATE_MAX_LENGTH, &updateMaxLength)
        guard mysql_stmt_store_result(statement) == 0 else { throw statementError(statement) }
        defer { mysql_stmt_free_result(statement) }
        guard let metadata = mysql_stmt_result_metadata(statement) else { throw statementError(statement) }
        defer { mysql_free_result(metadata) }
        let count = Int(mysql_num_fields(metadata))
        guard count > 0, let fields = mysql_fetch_fields(metadata) else { return SQLResult() }

        var columns: [String] = []
        var kinds: [ColumnKind] = []
        let binds = UnsafeMutablePointer<MYSQL_BIND>.allocate(capacity: count)
        binds.initialize(repeating: MYSQL_BIND(), count: count)
        let lengths = UnsafeMutablePointer<UInt>.allocate(capacity: count)
        lengths.initialize(repeating: 0, count: count)
        let nulls = UnsafeMutablePointer<my_bool>.allocate(capacity: count)
        nulls.initialize(repeating: 0, count: count)
        let truncations = UnsafeMutablePointer<my_bool>.allocate(capacity: count)
        truncations.initialize(repeating: 0, count: count)
        var buffers: [UnsafeMutableRawPointer] = []
        defer {
            for buffer in buffers { buffer.deallocate() }
            binds.deallocate()
            lengths.deallocate()
            nulls.deallocate()
            truncations.deallocate()
        }
        for index in 0..<count {
            let field = fields[index]
            columns.append(field.name.map { String(cString: $0) } ?? "")
            let kind = Self.kind(of: field)
            kinds.append(kind)
            let size: Int
            switch kind {
            case .integer(let unsigned):
                binds[index].buffer_type = MYSQL_TYPE_LONGLONG
                binds[index].is_unsigned = unsigned ? 1 : 0
                size = 8
            case .double:
                binds[index].buffer_type = MYSQL_TYPE_DOUBLE
                size = 8
            case .text, .null:
                binds[index].buffer_type = MYSQL_TYPE_STRING
                size = max(Int(field.max_length), 64)
            case .blob:
                binds[index].buffer_type = MYSQL_TYPE_BLOB
                size = max(Int(field.max_length), 64)
            }
            let buffer = UnsafeMutableRawPointer.allocate(byteCount: size, alignment: 8)
            buffers.append(buffer)
            binds[index].buffer = buffer
            binds[index].buffer_length = UInt(size)
            binds[index].length = lengths + index
            binds[index].is_null = nulls + index
            binds[index].error = truncations + index
        }
        guard mysql_stmt_bind_result(statement, binds) == 0 else { throw statementError(statement) }

        var rows: [[SQLValue]] = []
        while true {
            let status = mysql_stmt_fetch(statement)
            if status == MYSQL_NO_DATA { break }
            guard status == 0 || status == MYSQL_DATA_TRUNCATED else { throw statementError(statement) }
            var row: [SQLValue] = []
            row.reserveCapacity(count)
            for index in 0..<count {
                if nulls[index] != 0 {
                    row.append(.null)
                    continue
                }
                let length = Int(lengths[index])
                switch kinds[index] {
                case .integer(let unsigned):
                    let bits = binds[index].buffer.load(as: UInt64.self)
                    if unsigned && bits > UInt64(Int64.max) {
                        row.append(.text(String(bits)))
                    } else {
                        row.append(.integer(Int64(bitPattern: bits)))
                    }
                case .double:
                    row.append(.double(binds[index].buffer.load(as: Double.self)))
                case .text, .null, .blob:
                    let bytes: [UInt8]
                    if truncations[index] != 0 {
                        bytes = try fetchWhole(statement, column: index, length: length, type: binds[index].buffer_type)
                    } else {
                        let start = binds[index].buffer.assumingMemoryBound(to: UInt8.self)
                        bytes = Array(
                            UnsafeBufferPointer(start: start, count: min(length, Int(binds[index].buffer_length)))
                        )
                    }
                    if case .blob = kinds[index] {
                        row.append(.blob(bytes))
                    } else {
                        row.append(.text(String(decoding: bytes, as: UTF8.self)))
                    }
                }
            }
            rows.append(row)
        }
        return SQLResult(columns: columns, rows: rows, affectedRows: rows.count, lastInsertID: nil)
    }

    /// Fetches a value that did not fit its buffer, with a buffer of its full length.
    private func fetchWhole(
        _ statement: UnsafeMutablePointer<MYSQL_STMT>,
        column: Int,
        length: Int,
        type: enum_field_types
    ) throws(SQLError) -> [UInt8] {
        let buffer = UnsafeMutableRawPointer.allocate(byteCount: max(1, length), alignment: 8)
        defer { buffer.deallocate() }
        var actualLength: UInt = 0
        var bind = MYSQL_BIND()
        bind.buffer_type = type
        bind.buffer = buffer
        bind.buffer_length = UInt(max(1, length))
        let status = withUnsafeMutablePointer(to: &actualLength) { lengthPointer in
            bind.length = lengthPointer
            return mysql_stmt_fetch_column(statement, &bind, UInt32(column), 0)
        }
        guard status == 0 else { throw statementError(statement) }
        let start = buffer.assumingMemoryBound(to: UInt8.self)
        return Array(UnsafeBufferPointer(start: start, count: min(length, Int(actualLength))))
    }

    private static func kind(of field: MYSQL_FIELD) -> ColumnKind {
        let binaryCharset: UInt32 = 63
        switch field.type {
        case MYSQL_TYPE_TINY, MYSQL_TYPE_SHORT, MYSQL_TYPE_INT24, MYSQL_TYPE_LONG, MYSQL_TYPE_LONGLONG, MYSQL_TYPE_YEAR:
            return .integer(unsigned: field.flags & UInt32(UNSIGNED_FLAG) != 0)
        case MYSQL_TYPE_FLOAT, MYSQL_TYPE_DOUBLE:
            return .double
        case MYSQL_TYPE_NULL:
            return .null
        case MYSQL_TYPE_BIT, MYSQL_TYPE_GEOMETRY:
            return .blob
        case MYSQL_TYPE_TINY_BLOB, MYSQL_TYPE_MEDIUM_BLOB, MYSQL_TYPE_LONG_BLOB, MYSQL_TYPE_BLOB,
            MYSQL_TYPE_VAR_STRING, MYSQL_TYPE_STRING, MYSQL_TYPE_VARCHAR:
            return field.charsetnr == binaryCharset ? .blob : .text
        default:
            return .text
        }
    }
}
