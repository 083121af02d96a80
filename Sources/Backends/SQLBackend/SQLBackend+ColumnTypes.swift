import Foundation

/// What a mapped column must be able to hold.
struct ColumnExpectation: Sendable, Hashable {
    /// The kind of value written to it.
    enum Kind: Sendable, Hashable {
        case text, integer, dateTime, uuid
    }

    var kind: Kind
    /// The longest text written to it, in characters.
    var maxLength: Int?
    /// The SCIM attribute (or mapping entry) it serves, for messages.
    var purpose: String
}

extension SQLBackend {
    /// The columns whose type the mapping depends on, by table and lower-cased column name.
    func columnExpectations() -> [String: [String: ColumnExpectation]] {
        var tables: [String: [String: ColumnExpectation]] = [:]
        for resource in [users] + (groups.map { [$0] } ?? []) {
            let mapping = resource.mapping
            var columns: [String: ColumnExpectation] = [:]
            for attribute in resource.attributes {
                guard let column = attribute.columnName else { continue }
                let kind: ColumnExpectation.Kind
                if let values = attribute.mapping.values {
                    let numeric = values.entries.allSatisfy {
                        if case .integer = $0.stored { return true }
                        return false
                    }
                    kind = numeric ? .integer : .text
                } else {
                    kind = attribute.isBoolean ? .integer : .text
                }
                columns[column.lowercased()] = ColumnExpectation(
                    kind: kind,
                    maxLength: kind == .text ? attribute.mapping.maxLength : nil,
                    purpose: attribute.path.description
                )
            }
            for (column, purpose) in [(mapping.created, "meta.created"), (mapping.lastModified, "meta.lastModified")] {
                if let column { columns[column.lowercased()] = ColumnExpectation(kind: .dateTime, purpose: purpose) }
            }
            if let id = mapping.id {
                columns[id.column.lowercased()] = ColumnExpectation(kind: .uuid, purpose: "id")
            }
            tables[mapping.table, default: [:]].merge(columns) { first, _ in first }
            if let store = resource.extraFields, !resource.extraFieldNames.isEmpty {
                tables[store.valueTable, default: [:]][store.valueColumn.lowercased()] = ColumnExpectation(
                    kind: .text,
                    maxLength: store.valueMaxLength,
                    purpose: "extra field values"
                )
            }
        }
        return tables
    }

    /// A problem with one column's declared type, or nil when it can hold what the mapping writes.
    static func typeProblem(_ declared: String, _ expectation: ColumnExpectation) -> String? {
        let type = declared.lowercased()
        let isText = type.isEmpty || ["char", "text", "clob", "string"].contains { type.contains($0) }
        let isInteger = ["int", "bool", "numeric", "decimal", "bit"].contains { type.contains($0) }
        let isDate = ["date", "time"].contains { type.contains($0) }
        let length = Self.declaredLength(type)
        switch expectation.kind {
        case .text:
            guard isText else { return "is \(declared), not a text type (\(expectation.purpose))" }
            if let needed = expectation.maxLength, let length, length < needed {
                return "is \(declared), shorter than the \(needed) characters the mapping allows for "
                    + expectation.purpose
            }
        case .integer:
            guard isInteger || type.isEmpty else {
                return "is \(declared), not an integer type (\(expectation.purpose))"
            }
        case .dateTime:
            guard isDate || isText else { return "is \(declared), not a date and time (\(expectation.purpose))" }
        case .uuid:
            let holdsUUID =
                type == "uuid" || type.contains("blob") || type == "binary(16)"
                || (isText && (length ?? 36) >= 36)
            guard holdsUUID else { return "is \(declared), which cannot hold a UUID (\(expectation.purpose))" }
        }
        return nil
    }

    /// The length in `varchar(100)`, `character varying(100)`; nil for unbounded types.
    private static func declaredLength(_ type: String) -> Int? {
        guard type.contains("char"), let open = type.firstIndex(of: "("),
            let close = type[open...].firstIndex(of: ")")
        else {
            if type == "tinytext" { return 255 }
            return nil
        }
        return Int(type[type.index(after: open)..<close].trimmingCharacters(in: .whitespaces))
    }
}
