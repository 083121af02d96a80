import SCIM
import SQLDrivers

/// The statements of a create that read its new row back: as few as the engine allows.
extension ResourceStore {
    /// Whether a create inserts its row with ``insertReturningRow(_:)``: the key is copied (`copyKeyTo`)
    /// and the engine has `INSERT … RETURNING` but not `UPDATE … RETURNING` (MariaDB).
    var insertsReturningRow: Bool {
        !mapping.copyKeyTo.isEmpty && !session.dialect.hasUpdateReturning && session.connection.insertReturnsRows
    }

    /// Inserts the main-table row and answers it as stored (`INSERT … RETURNING`).
    func insertReturningRow(_ columns: [(String, SQLValue)]) throws -> StoredRow {
        let row = try session.insert(into: mapping.table, columns, returning: resource.mainTableColumns)
        guard let stored = storedRows([row]).first else {
            throw SQLError(.other, message: "the insert returned no key")
        }
        return stored
    }

    /// A row created in this transaction: the key copied into `copyKeyTo`, then the main-table row, if
    /// it is visible, without its extra values and groups, which the caller knows. One statement where
    /// the engine allows: `UPDATE … RETURNING` (PostgreSQL, SQLite), or (MariaDB) the row `inserted`
    /// returned and an `UPDATE` whose condition is the visibility rule.
    func createdRow(key: Int64, inserted: StoredRow?) throws -> StoredRow? {
        let copies = mapping.copyKeyTo.map { ($0, SQLValue.integer(key)) }
        let visible =
            SQLFragment("t.\(q(mapping.key)) = ?", [.integer(key)]) + SQLFragment(" AND ") + (try visibilityCondition())
        guard !copies.isEmpty else { return try rows(where: visible, related: false).first }
        let assignments = copies.map { "\(q($0.0)) = ?" }.joined(separator: ", ")
        let update = SQLFragment("UPDATE \(q(mapping.table)) AS t SET \(assignments) WHERE ", copies.map(\.1)) + visible
        if session.dialect.hasUpdateReturning {
            let returned = resource.mainTableColumns.map { q($0) }.joined(separator: ", ")
            return storedRows(try session.rows(update + SQLFragment(" RETURNING \(returned)"))).first
        }
        guard var row = inserted else {
            try session.update(mapping.table, set: copies, where: mapping.key, equals: .integer(key))
            return try rows(where: visible, related: false).first
        }
        // Affected rows count matched rows (CLIENT_FOUND_ROWS): 1 when the new row is visible.
        guard try session.run(update).affectedRows == 1 else { return nil }
        for (column, value) in copies where row.columns[column.lowercased()] != nil {
            row.columns[column.lowercased()] = value
        }
        return row
    }
}
