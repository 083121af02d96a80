import Foundation
import SCIM
import SQLDrivers

/// The writes a Chamilo 2.0 portal expects beside the user row: roles kept in step with the status,
/// rows created in other tables (`resource_node`), and the content check before a hard delete.
extension ResourceStore {
    /// The role column's new value; nil when the mapping has no role column. `row` is the stored row of an
    /// update (nil on create), `columns` what the write sets.
    func rolesColumn(columns: ColumnSet, plan: WritePlan, row: StoredRow?) throws -> (String, SQLValue)? {
        guard let roles = mapping.roles, let fromColumn = mapping.attribute(roles.from)?.column else { return nil }
        var stored = plan.stored[roles.from.lowercased()] ?? .null
        if stored.isNull { stored = columns.value(fromColumn) ?? .null }
        if stored.isNull { stored = row?.columns[fromColumn.lowercased()] ?? .null }
        var existing: [String] = []
        if let row {
            let text = Self.text(row.columns[roles.column.lowercased()] ?? .null) ?? ""
            guard let decoded = PHPSerializedArray.decode(text) else {
                throw SCIMError(
                    status: 409,
                    detail: "The stored \(roles.column) of this user is not a serialized PHP array of role names; "
                        + "the gateway does not overwrite it. Correct the user in the portal first."
                )
            }
            existing = decoded
        }
        let merged = roles.merged(existing: existing, stored: stored.textValue)
        return (roles.column, .text(PHPSerializedArray.encode(merged)))
    }

    /// Creates the mapping's created rows a resource row lacks (all of them on create, where `row` is nil)
    /// and writes their keys back into the resource row.
    func insertCreatedRows(key: Int64, plan: WritePlan, row: StoredRow?) throws {
        guard !mapping.createdRows.isEmpty else { return }
        var context = WriteContext(settings: resource.settings)
        context.stored = plan.stored
        context.key = key
        for created in mapping.createdRows {
            if let row, let current = row.columns[created.keyTo.lowercased()], !current.isNull { continue }
            var columns = try context.evaluate(created.columns)
            for column in created.uuid { columns.append((column, session.dialect.uuidValue(UUID()))) }
            for (column, lookup) in created.lookups.sorted(by: { $0.key < $1.key }) {
                columns.append((column, try value(of: lookup, for: created)))
            }
            let createdKey = try session.insert(into: created.table, columns, returningKey: created.key)
            if !created.afterInsert.isEmpty {
                var values: [String: String] = [:]
                for (column, value) in columns { values[column.lowercased()] = value.textValue }
                let filled = created.afterInsert.sorted { $0.key < $1.key }.map {
                    ($0.key, SQLValue.text(CreatedRow.fill($0.value, key: createdKey, values: values)))
                }
                try session.update(created.table, set: filled, where: created.key, equals: .integer(createdKey))
            }
            try session.update(
                mapping.table,
                set: [(created.keyTo, .integer(createdKey))],
                where: mapping.key,
                equals: .integer(key)
            )
        }
    }

    private func value(of lookup: CreatedRow.Lookup, for created: CreatedRow) throws -> SQLValue {
        let conditions = lookup.where.sorted { $0.key < $1.key }
        let clause = conditions.map { "\(q($0.key)) = ?" }.joined(separator: " AND ")
        let found = try session.rows(
            SQLFragment(
                "SELECT \(q(lookup.column)) FROM \(q(lookup.table)) WHERE \(clause) LIMIT 1",
                conditions.map(\.value.sqlValue)
            )
        )
        guard let value = found.first?.first, !value.isNull else {
            let wanted = conditions.map { "\($0.key) = \($0.value.text)" }.joined(separator: ", ")
            throw SCIMError.internalError(
                "The portal has no \(lookup.table) row with \(wanted), which a new \(created.table) row needs; "
                    + "check the tenant's mapping and database."
            )
        }
        return value
    }

    /// Throws 409 when a hard delete must not run because other rows still reference the resource (content
    /// the portal itself would hand to its fallback user). The resource's own created rows do not count.
    func refuseHardDeleteIfReferenced(_ row: StoredRow) throws {
        for reference in mapping.refuseDeleteWhileReferenced {
            var target = SQLValue.integer(row.key)
            if let matches = reference.matches {
                guard let value = row.columns[matches.lowercased()], !value.isNull else { continue }
                target = value
            }
            var fragment = SQLFragment(
                "SELECT 1 FROM \(q(reference.table)) r WHERE r.\(q(reference.column)) = ?",
                [target]
            )
            for created in mapping.createdRows where created.table.lowercased() == reference.table.lowercased() {
                if let own = row.columns[created.keyTo.lowercased()], !own.isNull {
                    fragment += SQLFragment(" AND r.\(q(created.key)) <> ?", [own])
                }
            }
            if try !session.rows(fragment + SQLFragment(" LIMIT 1")).isEmpty {
                throw SCIMError(
                    status: 409,
                    detail: "This user still owns content in the portal (\(reference.table).\(reference.column)); "
                        + "a hard delete would orphan it. Delete the user in the portal, which hands the content "
                        + "to its fallback user, or use deprovision: deactivate."
                )
            }
        }
    }

    /// Removes the created rows of a hard-deleted resource row.
    func deleteCreatedRows(of row: StoredRow) throws {
        for created in mapping.createdRows {
            guard let own = row.columns[created.keyTo.lowercased()], !own.isNull else { continue }
            _ = try session.delete(from: created.table, where: created.key, equals: own)
        }
    }

    /// The text of a text or blob column value.
    static func text(_ value: SQLValue) -> String? {
        if case .blob(let bytes) = value { return String(decoding: bytes, as: UTF8.self) }
        return value.textValue
    }
}
