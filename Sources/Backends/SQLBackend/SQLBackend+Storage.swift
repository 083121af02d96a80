import Crypto
import Foundation
import SCIM
import SQLDrivers

/// A row of a resource's main table with its extra field values.
struct StoredRow: Sendable {
    var key: Int64
    /// Columns by lower-cased name.
    var columns: [String: SQLValue]
    /// Extra field values by field name.
    var extra: [String: String]
    /// Users only: the computed `groups` elements (empty when the user is in no group this portal sees).
    var groups: [JSONValue] = []
}

/// Reads and writes one resource type's rows inside a transaction.
struct ResourceStore {
    let resource: ResolvedResource
    let session: SQLSession
    /// The keys of the resource's extra fields, read once per transaction unless the backend knows them.
    private let fieldKeys = FieldKeyMemo()

    init(resource: ResolvedResource, session: SQLSession, fieldKeys known: [String: Int64]? = nil) {
        self.resource = resource
        self.session = session
        if let known {
            fieldKeys.keys = known
            fieldKeys.isLoaded = true
        }
    }

    var mapping: ResourceMapping { resource.mapping }
    func q(_ name: String) -> String { session.q(name) }

    /// SQL text builders for this resource, needing no connection.
    var sql: ResourceSQL { ResourceSQL(resource: resource, dialect: session.dialect) }

    func visibilityCondition() throws -> SQLFragment { try sql.visibilityCondition() }

    func extraFieldExists(field: String, condition: SQLFragment) -> SQLFragment {
        sql.extraFieldExists(field: field, condition: condition)
    }

    private var store: ExtraFieldStore {
        resource.extraFields ?? ExtraFieldStore()
    }

    /// The field's key; created (as the portal would) when missing and `create` is set. The keys of
    /// every field the resource uses are read in one statement, the first time one is needed in the
    /// transaction; of two definitions with one name (made by hand), the lowest key wins.
    func fieldKey(_ name: String, create: Bool) throws -> Int64? {
        let store = self.store
        let itemType = SQLValue.integer(mapping.extraFieldItemType ?? 0)
        if !fieldKeys.isLoaded {
            let names = Array(Set(resource.extraFieldNames + [name])).sorted()
            let marks = Array(repeating: "?", count: names.count).joined(separator: ", ")
            let rows = try session.rows(
                SQLFragment(
                    "SELECT \(q(store.fieldName)), \(q(store.fieldKey)) FROM \(q(store.fieldTable)) "
                        + "WHERE \(q(store.fieldItemType)) = ? AND \(q(store.fieldName)) IN (\(marks)) "
                        + "ORDER BY \(q(store.fieldKey)) DESC",
                    [itemType] + names.map(SQLValue.text)
                )
            )
            for row in rows where row.count == 2 {
                if let field = row[0].textValue, let key = row[1].integerValue { fieldKeys.keys[field] = key }
            }
            fieldKeys.isLoaded = true
        }
        if let key = fieldKeys.keys[name] { return key }
        if !resource.extraFieldNames.contains(name) {
            let found = try session.rows(
                SQLFragment(
                    "SELECT \(q(store.fieldKey)) FROM \(q(store.fieldTable)) WHERE \(q(store.fieldName)) = ? "
                        + "AND \(q(store.fieldItemType)) = ? ORDER BY \(q(store.fieldKey)) LIMIT 1",
                    [.text(name), itemType]
                )
            )
            if let key = found.first?.first?.integerValue {
                fieldKeys.keys[name] = key
                return key
            }
        }
        guard create else { return nil }
        var context = WriteContext(settings: resource.settings)
        context.fieldName = name
        var columns = try context.evaluate(store.onCreateField)
        columns.removeAll { [store.fieldName, store.fieldItemType].contains($0.0) }
        columns += [(store.fieldName, .text(name)), (store.fieldItemType, itemType)]
        let key = try session.insert(into: store.fieldTable, columns, returningKey: store.fieldKey)
        fieldKeys.keys[name] = key
        return key
    }

    /// Extra field values of several rows: item key → field name → value.
    func extraValues(items: [Int64]) throws -> [Int64: [String: String]] {
        let names = Array(Set(resource.extraFieldNames)).sorted()
        guard !items.isEmpty, !names.isEmpty, resource.extraFields != nil else { return [:] }
        let store = self.store
        let nameMarks = Array(repeating: "?", count: names.count).joined(separator: ", ")
        let itemMarks = Array(repeating: "?", count: items.count).joined(separator: ", ")
        let rows = try session.rows(
            SQLFragment(
                "SELECT v.\(q(store.valueItem)), f.\(q(store.fieldName)), v.\(q(store.valueColumn)) "
                    + "FROM \(q(store.valueTable)) v JOIN \(q(store.fieldTable)) f "
                    + "ON f.\(q(store.fieldKey)) = v.\(q(store.valueField)) "
                    + "WHERE f.\(q(store.fieldItemType)) = ? AND f.\(q(store.fieldName)) IN (\(nameMarks)) "
                    + "AND v.\(q(store.valueItem)) IN (\(itemMarks)) ORDER BY v.\(q(store.valueKey)) DESC",
                [.integer(mapping.extraFieldItemType ?? 0)] + names.map(SQLValue.text) + items.map(SQLValue.integer)
            )
        )
        var result: [Int64: [String: String]] = [:]
        for row in rows where row.count == 3 {
            guard let item = row[0].integerValue, let name = row[1].textValue else { continue }
            // Rows come newest first; the newest value of a field wins.
            if result[item]?[name] == nil { result[item, default: [:]][name] = row[2].textValue ?? "" }
        }
        return result
    }

    /// Removes every extra field value of a row (for this resource type's fields).
    func removeExtraFields(item: Int64) throws {
        guard resource.extraFields != nil, let itemType = mapping.extraFieldItemType else { return }
        let store = self.store
        try session.run(
            SQLFragment(
                "DELETE FROM \(q(store.valueTable)) WHERE \(q(store.valueItem)) = ? AND \(q(store.valueField)) IN "
                    + "(SELECT \(q(store.fieldKey)) FROM \(q(store.fieldTable)) WHERE \(q(store.fieldItemType)) = ?)",
                [.integer(item), .integer(itemType)]
            )
        )
    }

    // MARK: Rows

    /// The rows matching a condition (against alias `t`), with their extra field values and (users)
    /// groups unless `related` is false.
    func rows(
        where condition: SQLFragment,
        suffix: SQLFragment = SQLFragment(""),
        related: Bool = true
    ) throws -> [StoredRow] {
        let select = resource.mainTableColumns.map { "t.\(q($0))" }.joined(separator: ", ")
        var result = storedRows(
            try session.rows(SQLFragment("SELECT \(select) FROM \(q(mapping.table)) t WHERE ") + condition + suffix)
        )
        guard related else { return result }
        let extra = try extraValues(items: result.map(\.key))
        let groups = try groupsOfMembers(result.map(\.key))
        for index in result.indices {
            result[index].extra = extra[result[index].key] ?? [:]
            result[index].groups = groups[result[index].key] ?? []
        }
        return result
    }

    /// Main-table rows as read by ``rows(where:suffix:related:)`` (key first), without related values.
    func storedRows(_ rows: [[SQLValue]]) -> [StoredRow] {
        let columns = resource.mainTableColumns
        return rows.compactMap { row in
            guard let key = row.first?.integerValue else { return nil }
            var values: [String: SQLValue] = [:]
            for (index, column) in columns.enumerated() where index < row.count {
                values[column.lowercased()] = row[index]
            }
            return StoredRow(key: key, columns: values, extra: [:])
        }
    }

    /// The visible row with this key, locked for the rest of the transaction where the dialect needs it.
    func visibleRow(key: Int64, lock: Bool = false) throws -> StoredRow? {
        try visibleRow(matching: SQLFragment("t.\(q(mapping.key)) = ?", [.integer(key)]), lock: lock)
    }

    /// The visible row with this SCIM id; nil when there is none or the id cannot be one.
    func visibleRow(id: String, lock: Bool = false) throws -> StoredRow? {
        guard let condition = sql.idCondition(id) else { return nil }
        return try visibleRow(matching: condition, lock: lock)
    }

    private func visibleRow(matching match: SQLFragment, lock: Bool) throws -> StoredRow? {
        let condition = match + SQLFragment(" AND ") + (try visibilityCondition())
        let suffix = lock && !session.dialect.rowLockClause.isEmpty ? " " + session.dialect.rowLockClause : ""
        return try rows(where: condition, suffix: SQLFragment(suffix)).first
    }

    /// The record of a stored row; `members` are added for Groups by the caller.
    func record(_ row: StoredRow, extraAttributes: JSONObject = JSONObject()) -> ResourceRecord {
        var attributes = resource.attributes(row: row.columns, extra: row.extra)
        for (key, value) in extraAttributes { attributes[key] = value }
        if !row.groups.isEmpty { attributes["groups"] = .array(row.groups) }
        let created = mapping.created.flatMap { row.columns[$0.lowercased()]?.textValue }.flatMap(SQLDateFormat.date)
        let modified = mapping.lastModified.flatMap { row.columns[$0.lowercased()]?.textValue }.flatMap(
            SQLDateFormat.date
        )
        let version: String
        if let field = mapping.version?.extraField {
            version = ResourceRecord.version(counter: row.extra[field] ?? "0", groups: row.groups)
        } else {
            // No counter: a digest of the stored state, which changes whenever the state does.
            let text =
                row.columns.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: "\u{1}")
                + canonicalText(.object(extraAttributes))
                + (row.groups.isEmpty ? "" : canonicalText(.array(row.groups)))
            version = SHA256.hash(data: Array(text.utf8)).prefix(8).map { String(format: "%02x", $0) }.joined()
        }
        return ResourceRecord(
            id: sql.id(of: row),
            version: version,
            created: created,
            lastModified: modified ?? created,
            attributes: attributes
        )
    }

    /// Increments the version counter of a row.
    func bumpVersion(key: Int64, current: StoredRow?) throws {
        guard let field = mapping.version?.extraField else { return }
        let value = (current?.extra[field]).flatMap { Int64($0) } ?? 0
        try setExtraField(field, item: key, value: String(value + 1), isNewItem: current == nil)
    }
}

/// The extra field keys one transaction has read. A class so that the ``ResourceStore`` value can
/// fill it; it never leaves the transaction's thread.
final class FieldKeyMemo {
    var isLoaded = false
    var keys: [String: Int64] = [:]
}

/// A deterministic text form of a JSON value (object keys sorted), for digests.
func canonicalText(_ value: JSONValue) -> String {
    switch value {
    case .null: return "null"
    case .bool(let flag): return flag ? "true" : "false"
    case .integer(let number): return String(number)
    case .decimal(let number): return String(number)
    case .string(let text): return "\"\(text)\""
    case .array(let values): return "[" + values.map(canonicalText).joined(separator: ",") + "]"
    case .object(let object):
        return "{"
            + object.members.sorted { $0.key < $1.key }.map { "\($0.key):\(canonicalText($0.value))" }
            .joined(separator: ",") + "}"
    }
}

/// SQL text for one resource type (visibility, extra field subqueries), built without a connection.
struct ResourceSQL {
    let resource: ResolvedResource
    let dialect: any SQLDialect

    var mapping: ResourceMapping { resource.mapping }
    func q(_ name: String) -> String { dialect.quote(name) }

    // MARK: Identity

    /// The SCIM id of a stored row: its key, or the id column's value.
    func id(of row: StoredRow) -> String {
        guard let column = mapping.id?.column else { return String(row.key) }
        let stored = row.columns[column.lowercased()] ?? .null
        return dialect.uuidText(stored) ?? stored.textValue ?? String(row.key)
    }

    /// `t.key = ?` or `t.<id column> = ?` for a SCIM id; nil when the id cannot name a row (not a
    /// positive integer, not a UUID), which is a 404 rather than an error.
    func idCondition(_ id: String) -> SQLFragment? {
        guard let column = mapping.id?.column else {
            return SQLBackend.key(id).map { SQLFragment("t.\(q(mapping.key)) = ?", [.integer($0)]) }
        }
        guard let uuid = UUID(uuidString: id) else { return nil }
        return SQLFragment("t.\(q(column)) = ?", [dialect.uuidValue(uuid)])
    }

    /// The id column and a new value for it, when the mapping generates ids.
    func newID() -> (String, SQLValue)? {
        guard let id = mapping.id else { return nil }
        switch id.generate {
        case .uuid: return (id.column, dialect.uuidValue(UUID()))
        }
    }

    // MARK: Visibility

    /// Rows SCIM may see: not soft-deleted, linked to this portal where a linked row restricts
    /// visibility, and not excluded by the ownership rules. Written against the alias `t`.
    func visibilityCondition() throws -> SQLFragment {
        var conditions: [SQLFragment] = []
        switch mapping.softDelete?.marker {
        case .extraField(let field)?:
            conditions.append(
                SQLFragment("NOT ")
                    + extraFieldOfRowExists(field: field, condition: SQLFragment("v.\(valueColumn) = ?", [.text("1")]))
            )
        case .column(let column, let value)?:
            conditions.append(SQLFragment("(t.\(q(column)) IS NULL OR t.\(q(column)) <> ?)", [value.sqlValue]))
        case nil:
            break
        }
        if let linked = try linkedToPortalCondition() { conditions.append(linked) }
        if let excluded = excludedCondition() { conditions.append(SQLFragment("NOT ") + excluded) }
        return conditions.isEmpty ? SQLFragment("TRUE") : SQLFragment.joined(conditions, separator: " AND ")
    }

    /// Rows linked to this portal by every linked row that restricts visibility (soft-deleted or not);
    /// nil when no linked row restricts visibility. Written against the alias `t`.
    func linkedToPortalCondition() throws -> SQLFragment? {
        var conditions: [SQLFragment] = []
        let context = WriteContext(settings: resource.settings)
        for row in mapping.linkedRows where row.restrictsVisibility {
            var fragment = SQLFragment(
                "EXISTS (SELECT 1 FROM \(q(row.table)) l WHERE l.\(q(row.keyColumn)) = t.\(q(mapping.key))"
            )
            for (column, value) in try context.evaluate(row.columns) {
                fragment += SQLFragment(" AND l.\(q(column)) = ?", [value])
            }
            conditions.append(fragment + SQLFragment(")"))
        }
        return conditions.isEmpty ? nil : SQLFragment.joined(conditions, separator: " AND ")
    }
}
