import CLibPQ

extension PostgreSQLConnection {
    /// Type OIDs whose text form becomes something other than `.text`.
    private enum ColumnType {
        static let bool: Oid = 16
        static let bytea: Oid = 17
        static let int8: Oid = 20
        static let int2: Oid = 21
        static let int4: Oid = 23
        static let oid: Oid = 26
        static let float4: Oid = 700
        static let float8: Oid = 701
    }

    /// Reads a successful result (text format) into a ``SQLResult``: integers, booleans (1 or 0) and OIDs
    /// as `.integer`, `float4`/`float8` as `.double`, `bytea` as `.blob`, everything else (numeric, dates,
    /// uuid, json, text) as `.text`.
    func decode(_ result: OpaquePointer) -> SQLResult {
        let columnCount = Int(PQnfields(result))
        let rowCount = Int(PQntuples(result))
        var columns: [String] = []
        var types: [Oid] = []
        for column in 0..<columnCount {
            columns.append(PQfname(result, Int32(column)).map { String(cString: $0) } ?? "")
            types.append(PQftype(result, Int32(column)))
        }
        var rows: [[SQLValue]] = []
        rows.reserveCapacity(rowCount)
        for row in 0..<rowCount {
            var values: [SQLValue] = []
            values.reserveCapacity(columnCount)
            for column in 0..<columnCount {
                values.append(value(result, row: Int32(row), column: Int32(column), type: types[column]))
            }
            rows.append(values)
        }
        let affected = PQcmdTuples(result).flatMap { Int(String(cString: $0)) } ?? 0
        return SQLResult(columns: columns, rows: rows, affectedRows: affected, lastInsertID: nil)
    }

    private func value(_ result: OpaquePointer, row: Int32, column: Int32, type: Oid) -> SQLValue {
        guard PQgetisnull(result, row, column) == 0, let pointer = PQgetvalue(result, row, column) else {
            return .null
        }
        if type == ColumnType.bytea {
            var length = 0
            guard let bytes = PQunescapeBytea(UnsafeRawPointer(pointer).assumingMemoryBound(to: UInt8.self), &length)
            else { return .null }
            defer { PQfreemem(bytes) }
            return .blob(Array(UnsafeBufferPointer(start: bytes, count: length)))
        }
        let text = String(cString: pointer)
        switch type {
        case ColumnType.int2, ColumnType.int4, ColumnType.int8, ColumnType.oid:
            return Int64(text).map(SQLValue.integer) ?? .text(text)
        case ColumnType.float4, ColumnType.float8:
            return Double(text).map(SQLValue.double) ?? .text(text)
        case ColumnType.bool:
            return .integer(text == "t" ? 1 : 0)
        default:
            return .text(text)
        }
    }
}
