import SCIM
import SQLDrivers

/// The SQL of a resource's extra fields (Chamilo's `extra_field` and `extra_field_values`), written
/// against the alias `t` of the resource's table.
extension ResourceSQL {
    private var extraFieldStore: ExtraFieldStore {
        resource.extraFields ?? ExtraFieldStore()
    }

    var valueColumn: String { q(extraFieldStore.valueColumn) }

    /// Whether the row `t` has a value row of one field meeting a condition on `v.value`. Written as an
    /// uncorrelated `IN (…)` rather than a correlated `EXISTS`, so that engines evaluate the value rows
    /// once instead of once per row of `t` (an `externalId eq` look-up then reads only that field's values).
    func extraFieldExists(field: String, condition: SQLFragment) -> SQLFragment {
        let store = extraFieldStore
        return SQLFragment(
            "t.\(q(mapping.key)) IN (SELECT v.\(q(store.valueItem)) FROM \(q(store.valueTable)) v WHERE "
        )
            + valueOfField(field, condition) + SQLFragment(")")
    }

    /// The same test as ``extraFieldExists(field:condition:)`` written as a correlated `EXISTS`, which
    /// probes the value index by item for each row of `t`: right for a condition most rows fail (the
    /// soft-delete marker), where the uncorrelated `IN (…)` would read every value row the condition
    /// matches (PostgreSQL chose a full scan of a million users' values for `value = '1'`).
    func extraFieldOfRowExists(field: String, condition: SQLFragment) -> SQLFragment {
        let store = extraFieldStore
        return SQLFragment(
            "EXISTS (SELECT 1 FROM \(q(store.valueTable)) v WHERE v.\(q(store.valueItem)) = t.\(q(mapping.key)) AND "
        ) + valueOfField(field, condition) + SQLFragment(")")
    }

    /// `v` is a value row of the field named `field` (of this resource's item type) meeting `condition`.
    private func valueOfField(_ field: String, _ condition: SQLFragment) -> SQLFragment {
        let store = extraFieldStore
        return SQLFragment(
            "v.\(q(store.valueField)) IN (SELECT f.\(q(store.fieldKey)) FROM \(q(store.fieldTable)) f "
                + "WHERE f.\(q(store.fieldItemType)) = ? AND f.\(q(store.fieldName)) = ?) AND ",
            [.integer(mapping.extraFieldItemType ?? 0), .text(field)]
        ) + condition
    }

    /// A scalar subquery reading one field's value for the row `t` (for sorting).
    func extraFieldValueExpression(field: String) -> SQLFragment {
        let store = extraFieldStore
        return SQLFragment(
            "(SELECT v.\(q(store.valueColumn)) FROM \(q(store.valueTable)) v JOIN \(q(store.fieldTable)) f "
                + "ON f.\(q(store.fieldKey)) = v.\(q(store.valueField)) "
                + "WHERE v.\(q(store.valueItem)) = t.\(q(mapping.key)) AND f.\(q(store.fieldItemType)) = ? "
                + "AND f.\(q(store.fieldName)) = ? ORDER BY v.\(q(store.valueKey)) LIMIT 1)",
            [.integer(mapping.extraFieldItemType ?? 0), .text(field)]
        )
    }
}
