import Foundation

/// A row created in another table beside each new resource row, whose generated key is written back
/// into the resource row: Chamilo 2.0's `resource_node`, which `UserListener::prePersist` creates for
/// every user and links through `user.resource_node_id`.
///
/// ```yaml
/// createdRows:
///   - table: resource_node
///     key: id                        # the created row's generated key
///     keyTo: resource_node_id        # the resource row's column that receives it
///     columns:                       # value sources, as in onCreate ({ attribute: userName }, { now: true }, …)
///       title: { attribute: userName }
///       creator_id: "${settings.resourceCreatorId:-1}"
///     uuid: [uuid]                   # columns receiving a new random UUID
///     lookups:                       # columns read from another table when the row is created
///       resource_type_id: { table: resource_type, column: id, where: { title: users } }
///     afterInsert:                   # columns written once the key is known: {key}, {COLUMN} of the row
///       path: "{title}-{key}/"
/// ```
/// A row whose `keyTo` column is empty (a user made before the rule existed) gets one on its next write;
/// a hard delete removes the created row after the resource row.
public struct CreatedRow: Sendable, Decodable {
    /// The table (`resource_node`).
    public var table: String
    /// Its generated key (`id`).
    public var key: String
    /// The resource row's column receiving the created row's key (`resource_node_id`).
    public var keyTo: String
    /// The created row's columns and their values.
    public var columns: [String: ValueSource]
    /// Columns receiving a new random UUID, stored as the column's type requires.
    public var uuid: [String]
    /// Columns whose value is read from another table.
    public var lookups: [String: Lookup]
    /// Columns written right after the insert from a template naming `{key}` (the created row's key) and
    /// `{COLUMN}` (a value the row was created with): Gedmo's materialized `path` of a resource node.
    public var afterInsert: [String: String]

    /// A value read from one row of another table: `SELECT column FROM table WHERE k = v AND …`.
    public struct Lookup: Sendable, Decodable {
        /// The table (`resource_type`).
        public var table: String
        /// The column read (`id`).
        public var column: String
        /// Column → value conditions naming the row (`title: users`).
        public var `where`: [String: ScalarValue]

        /// Makes a look-up in code.
        public init(table: String, column: String, where conditions: [String: ScalarValue]) {
            self.table = table
            self.column = column
            self.where = conditions
        }
    }

    /// Makes a created row in code.
    public init(
        table: String,
        key: String = "id",
        keyTo: String,
        columns: [String: ValueSource] = [:],
        uuid: [String] = [],
        lookups: [String: Lookup] = [:],
        afterInsert: [String: String] = [:]
    ) {
        self.table = table
        self.key = key
        self.keyTo = keyTo
        self.columns = columns
        self.uuid = uuid
        self.lookups = lookups
        self.afterInsert = afterInsert
    }

    enum CodingKeys: String, CodingKey { case table, key, keyTo, columns, uuid, lookups, afterInsert }

    /// Decodes; `key` defaults to `id` and the other lists to none.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        table = try container.decode(String.self, forKey: .table)
        key = try container.decodeIfPresent(String.self, forKey: .key) ?? "id"
        keyTo = try container.decode(String.self, forKey: .keyTo)
        columns = try container.decodeIfPresent([String: ValueSource].self, forKey: .columns) ?? [:]
        uuid = try container.decodeIfPresent([String].self, forKey: .uuid) ?? []
        lookups = try container.decodeIfPresent([String: Lookup].self, forKey: .lookups) ?? [:]
        afterInsert = try container.decodeIfPresent([String: String].self, forKey: .afterInsert) ?? [:]
    }

    /// The names a template refers to in braces (`{title}`, `{key}`), in order.
    static func templateNames(_ template: String) -> [String] {
        var names: [String] = []
        var rest = Substring(template)
        while let open = rest.firstIndex(of: "{"), let close = rest[open...].firstIndex(of: "}") {
            names.append(String(rest[rest.index(after: open)..<close]))
            rest = rest[rest.index(after: close)...]
        }
        return names
    }

    /// A template filled in from the created row's key and column values.
    static func fill(_ template: String, key: Int64, values: [String: String]) -> String {
        var result = template
        for name in templateNames(template) {
            let value = name == "key" ? String(key) : values[name.lowercased()] ?? ""
            result = result.replacingOccurrences(of: "{\(name)}", with: value)
        }
        return result
    }
}

extension CreatedRow {
    func problems(mapping: String, resource: ResourceMapping) -> [String] {
        var problems: [String] = []
        let place = "mapping \(mapping), createdRows \(table)"
        var names = [table, key, keyTo] + Array(columns.keys) + uuid + Array(lookups.keys)
        for lookup in lookups.values { names += [lookup.table, lookup.column] + Array(lookup.where.keys) }
        for name in names where !Mapping.isValidIdentifier(name) {
            problems.append(
                "\(place): '\(name)' is not a valid table or column name (expected [A-Za-z_][A-Za-z0-9_]{0,63})"
            )
        }
        for (column, source) in columns.sorted(by: { $0.key < $1.key }) {
            if let path = source.referencedAttribute, resource.attribute(path) == nil {
                problems.append("\(place) column \(column): references \(path), which is not mapped")
            }
            if case .fieldName = source {
                problems.append("\(place) column \(column): fieldName is only for extraFields")
            }
        }
        for (column, lookup) in lookups.sorted(by: { $0.key < $1.key }) where lookup.where.isEmpty {
            problems.append("\(place) lookup \(column): 'where' must name the row with at least one column")
        }
        for (column, template) in afterInsert.sorted(by: { $0.key < $1.key }) {
            if !Mapping.isValidIdentifier(column) {
                problems.append("\(place) afterInsert: '\(column)' is not a valid column name")
            }
            let known = Set(columns.keys.map { $0.lowercased() } + ["key"])
            for name in Self.templateNames(template) where !known.contains(name.lowercased()) {
                problems.append("\(place) afterInsert \(column): {\(name)} is neither {key} nor one of its columns")
            }
        }
        let all = Array(columns.keys) + uuid + Array(lookups.keys) + Array(afterInsert.keys)
        if Set(all.map { $0.lowercased() }).count != all.count {
            problems.append("\(place): a column is listed twice among columns, uuid and lookups")
        }
        return problems
    }
}
