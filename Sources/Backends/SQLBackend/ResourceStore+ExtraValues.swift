import SCIM
import SQLDrivers

/// A write that found an extra field definition gone whose key the backend knew (an operator removed it
/// by hand): nothing was written under the removed key, and the write is run again once with the
/// definitions made again (``SQLBackend/writing(_:_:)``).
struct RemovedExtraFieldDefinition: Error {
    var names: [String]
}

extension ResourceStore {
    private var extraFieldStore: ExtraFieldStore { resource.extraFields ?? ExtraFieldStore() }

    /// Sets (or, with nil, removes) one field's value for a row. For a row created in this transaction
    /// (`isNewItem`) there is no value to update: the value row is inserted directly.
    func setExtraField(_ name: String, item: Int64, value: String?, isNewItem: Bool = false) throws {
        let store = extraFieldStore
        guard let field = try fieldKey(name, create: value != nil) else { return }
        let context = WriteContext(settings: resource.settings)
        if isNewItem, let value {
            try insertValues([(name, field, value)], item: item, context: context)
            return
        }
        guard let value else {
            try session.run(
                SQLFragment(
                    "DELETE FROM \(q(store.valueTable)) WHERE \(q(store.valueField)) = ? AND \(q(store.valueItem)) = ?",
                    [.integer(field), .integer(item)]
                )
            )
            return
        }
        let updates = [(store.valueColumn, SQLValue.text(value))] + (try context.evaluate(store.onUpdateValue))
        let assignments = updates.map { "\(q($0.0)) = ?" }.joined(separator: ", ")
        let changed = try session.run(
            SQLFragment(
                "UPDATE \(q(store.valueTable)) SET \(assignments) WHERE \(q(store.valueField)) = ? AND \(q(store.valueItem)) = ?",
                updates.map(\.1) + [.integer(field), .integer(item)]
            )
        ).affectedRows
        if changed == 0 { try insertValues([(name, field, value)], item: item, context: context) }
    }

    /// Inserts the extra field values of a row created in this transaction, in one statement.
    func insertValues(ofNewItem item: Int64, _ values: [String: String]) throws {
        guard resource.extraFields != nil, !values.isEmpty else { return }
        var rows: [(name: String, field: Int64, value: String)] = []
        for (name, value) in values.sorted(by: { $0.key < $1.key }) {
            if let field = try fieldKey(name, create: true) { rows.append((name, field, value)) }
        }
        try insertValues(rows, item: item, context: WriteContext(settings: resource.settings))
    }

    /// Inserts value rows in one statement, each only where its definition (key, name and item type) still
    /// exists: `INSERT … SELECT` over the definitions, the value chosen by key. A key read earlier whose
    /// definition was removed since writes nothing, on engines with a foreign key and without one alike,
    /// and the write is refused with ``RemovedExtraFieldDefinition`` rather than losing the value.
    private func insertValues(
        _ values: [(name: String, field: Int64, value: String)],
        item: Int64,
        context: WriteContext
    ) throws {
        guard !values.isEmpty else { return }
        let store = extraFieldStore
        var shared = try context.evaluate(store.onCreateValue)
        shared.removeAll { [store.valueField, store.valueItem, store.valueColumn].contains($0.0) }
        let columns = (shared.map(\.0) + [store.valueField, store.valueItem, store.valueColumn]).map { q($0) }
        let sharedMarks = shared.map { _ in "?, " }.joined()
        let choices = Array(repeating: "WHEN ? THEN ?", count: values.count).joined(separator: " ")
        let definitions = Array(
            repeating: "(f.\(q(store.fieldKey)) = ? AND f.\(q(store.fieldName)) = ?)",
            count: values.count
        )
        .joined(separator: " OR ")
        var binds = shared.map(\.1) + [SQLValue.integer(item)]
        for value in values { binds += [.integer(value.field), .text(value.value)] }
        binds.append(.integer(mapping.extraFieldItemType ?? 0))
        for value in values { binds += [.integer(value.field), .text(value.name)] }
        let written = try session.run(
            SQLFragment(
                "INSERT INTO \(q(store.valueTable)) (\(columns.joined(separator: ", "))) "
                    + "SELECT \(sharedMarks)f.\(q(store.fieldKey)), ?, CASE f.\(q(store.fieldKey)) \(choices) END "
                    + "FROM \(q(store.fieldTable)) f WHERE f.\(q(store.fieldItemType)) = ? AND (\(definitions))",
                binds
            )
        ).affectedRows
        guard written == values.count else { throw RemovedExtraFieldDefinition(names: values.map(\.name)) }
    }
}
