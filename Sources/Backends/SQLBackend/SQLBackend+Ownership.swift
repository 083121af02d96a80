import SCIM
import SQLDrivers

/// What the ownership rules say about one row: whether it is linked to this portal, and why the
/// tenant may not change it (nil: the tenant owns it).
struct OwnershipFacts: Sendable {
    var linkedToPortal: Bool
    var refusal: OwnershipRefusal?
}

extension ResourceSQL {
    /// The condition (against alias `t`) under which the rule's refusal applies; nil when the mapping
    /// has no such rule.
    func ownershipCondition(_ refusal: OwnershipRefusal) throws -> SQLFragment? {
        guard let ownership = resource.ownership else { return nil }
        switch refusal {
        case .administrator: return markerCondition(ownership.administrators)
        case .systemAccount: return markerCondition(ownership.systemAccounts)
        case .shared: return try sharedCondition(ownership)
        }
    }

    /// Linked to another portal: a portal-link row of the user whose portal columns differ from this tenant's.
    private func sharedCondition(_ ownership: Ownership) throws -> SQLFragment? {
        let context = WriteContext(settings: resource.settings)
        let links = mapping.linkedRows.filter { $0.table.lowercased() == ownership.portalLink.lowercased() }
        var conditions: [SQLFragment] = []
        for link in links {
            let columns = try context.evaluate(link.columns)
            guard !columns.isEmpty else { continue }
            let differs = SQLFragment.joined(
                columns.map { SQLFragment("(o.\(q($0.0)) IS NULL OR o.\(q($0.0)) <> ?)", [$0.1]) },
                separator: " OR "
            )
            conditions.append(
                SQLFragment(
                    "EXISTS (SELECT 1 FROM \(q(link.table)) o WHERE o.\(q(link.keyColumn)) = t.\(q(mapping.key)) AND ("
                ) + differs + SQLFragment("))")
            )
        }
        return conditions.isEmpty ? nil : SQLFragment.joined(conditions, separator: " OR ")
    }

    /// Any of the markers matches the row `t`; nil for no markers.
    func markerCondition(_ markers: [UserMarker]) -> SQLFragment? {
        let conditions = markers.map { marker -> SQLFragment in
            switch marker {
            case .row(let table, let keyColumn):
                return SQLFragment(
                    "EXISTS (SELECT 1 FROM \(q(table)) a WHERE a.\(q(keyColumn)) = t.\(q(mapping.key)))"
                )
            case .values(let column, let values):
                let marks = Array(repeating: "?", count: values.count).joined(separator: ", ")
                return SQLFragment("t.\(q(column)) IN (\(marks))", values.map(\.sqlValue))
            case .contains(let column, let text):
                return dialect.substringMatch("t.\(q(column))", .contains, value: text, caseInsensitive: true)
            }
        }
        guard !conditions.isEmpty else { return nil }
        return SQLFragment("(") + SQLFragment.joined(conditions, separator: " OR ") + SQLFragment(")")
    }

    /// The rows the ownership rules exclude from SCIM (against alias `t`); nil without such rules.
    func excludedCondition() -> SQLFragment? {
        guard let excluded = resource.ownership?.excluded else { return nil }
        return markerCondition(excluded)
    }

    /// `CASE WHEN condition THEN 1 ELSE 0 END`, or `0` without a condition.
    func flag(_ condition: SQLFragment?) -> SQLFragment {
        guard let condition else { return SQLFragment("0") }
        return SQLFragment("CASE WHEN ") + condition + SQLFragment(" THEN 1 ELSE 0 END")
    }
}

extension ResourceStore {
    /// What the ownership rules say about the row with this key. Called after the row is locked, in
    /// the transaction that writes it, so that no link added meanwhile escapes the check.
    func ownershipFacts(key: Int64) throws -> OwnershipFacts {
        let sql = self.sql
        var columns = [sql.flag(try sql.linkedToPortalCondition() ?? SQLFragment("TRUE"))]
        for refusal in OwnershipRefusal.allCases {
            columns.append(sql.flag(try sql.ownershipCondition(refusal)))
        }
        let row = try session.rows(
            SQLFragment("SELECT ") + SQLFragment.joined(columns, separator: ", ")
                + SQLFragment(
                    " FROM \(q(mapping.table)) t WHERE t.\(q(mapping.key)) = ?",
                    [.integer(key)]
                )
        ).first
        guard let row, row.count == columns.count else { return OwnershipFacts(linkedToPortal: false, refusal: nil) }
        let refusal = OwnershipRefusal.allCases.enumerated().first { index, _ in
            row[index + 1].integerValue == 1
        }?.element
        return OwnershipFacts(linkedToPortal: row[0].integerValue == 1, refusal: refusal)
    }

    /// Throws the 403 for a write on a visible row the tenant does not own.
    func requireOwnership(of row: StoredRow) throws {
        guard resource.ownership != nil else { return }
        if let refusal = try ownershipFacts(key: row.key).refusal { throw refusal.error(id: sql.id(of: row)) }
    }

    /// Whether a soft-deleted row may be revived by this tenant: linked to this portal and owned.
    func mayRevive(key: Int64) throws -> Bool {
        let facts = try ownershipFacts(key: key)
        return facts.linkedToPortal && facts.refusal == nil
    }
}

extension ResourceStore {
    /// The `check --connect` line saying how many visible users are read-only to SCIM and why, so that an
    /// operator sees it before an identity provider hits it; nil without ownership rules.
    func ownershipNote(tenant: String) throws -> String? {
        guard resource.ownership != nil else { return nil }
        let sql = self.sql
        var columns = [SQLFragment("COUNT(*)")]
        var readOnly: [SQLFragment] = []
        for refusal in OwnershipRefusal.allCases {
            guard let condition = try sql.ownershipCondition(refusal) else {
                columns.append(SQLFragment("0"))
                continue
            }
            readOnly.append(condition)
            columns.append(SQLFragment("COUNT(CASE WHEN ") + condition + SQLFragment(" THEN 1 END)"))
        }
        let any = readOnly.isEmpty ? SQLFragment("FALSE") : SQLFragment.joined(readOnly, separator: " OR ")
        columns.append(SQLFragment("COUNT(CASE WHEN ") + any + SQLFragment(" THEN 1 END)"))
        let row =
            try session.rows(
                SQLFragment("SELECT ") + SQLFragment.joined(columns, separator: ", ")
                    + SQLFragment(" FROM \(q(mapping.table)) t WHERE ") + (try visibilityCondition())
            ).first ?? []
        let counts = row.map { $0.integerValue ?? 0 }
        guard counts.count == columns.count else { return nil }
        let visible = counts[0]
        let (administrators, system, shared, total) = (counts[1], counts[2], counts[3], counts[4])
        func plural(_ count: Int64, _ one: String, _ many: String) -> String {
            "\(count) \(count == 1 ? one : many)"
        }
        return
            "\(VerificationNote.notePrefix) tenant \(tenant): \(total) of \(plural(visible, "visible user", "visible users")) "
            + "\(total == 1 ? "is" : "are") read-only to SCIM (\(plural(shared, "shared with other portals", "shared with other portals")), "
            + "\(plural(administrators, "platform administrator", "platform administrators")), "
            + "\(plural(system, "system account", "system accounts")))"
    }
}
