import SCIM
import SQLDrivers

extension SQLBackend {
    /// Opens a connection of its own (never one of the request pool's) on the probe threads and runs
    /// one trivial statement.
    public func probeReachability() async -> String? {
        do {
            try await engine.database.probe()
            return nil
        } catch {
            return "tenant \(tenantID): cannot reach the database (\(error))"
        }
    }

    /// Configuration problems (none once built) and, with `connect`, every mapped table and column
    /// missing from the database or of a type that cannot hold what the mapping writes (text of a
    /// text type at least `maxLength` long, integers, dates, UUIDs), one line each naming tenant,
    /// table and column. A missing extra field is reported as a `note:` line: the gateway creates it
    /// on first use.
    public func verify(connect: Bool) async -> [String] {
        guard connect else { return [] }
        let required = requiredColumns()
        let tenant = tenantID
        let fields = extraFieldChecks()
        let expectations = columnExpectations()
        let users = self.users
        do {
            return try await engine.withSession { session in
                var problems: [String] = []
                for (table, columns) in required.sorted(by: { $0.key < $1.key }) {
                    guard let existing = try session.connection.columns(of: table) else {
                        problems.append("tenant \(tenant): table \(table) does not exist")
                        continue
                    }
                    for column in columns.sorted() {
                        guard let declared = existing[column.lowercased()] else {
                            problems.append("tenant \(tenant): table \(table) has no column \(column)")
                            continue
                        }
                        if let expected = expectations[table]?[column.lowercased()],
                            let problem = Self.typeProblem(declared, expected)
                        {
                            problems.append("tenant \(tenant): table \(table) column \(column) \(problem)")
                        }
                    }
                }
                guard problems.isEmpty else { return problems }
                for (resource, names) in fields {
                    let store = ResourceStore(resource: resource, session: session)
                    for name in names where try store.fieldKey(name, create: false) == nil {
                        let table = resource.extraFields?.fieldTable ?? "extra_field"
                        problems.append(
                            "note: tenant \(tenant): extra field \(name) is missing from \(table); "
                                + "it will be created on first use"
                        )
                    }
                }
                if let note = try ResourceStore(resource: users, session: session).ownershipNote(tenant: tenant) {
                    problems.append(note)
                }
                return problems
            }
        } catch {
            return ["tenant \(tenant): cannot reach the database (\(error))"]
        }
    }

    /// Every table the mappings touch, with the columns they need.
    func requiredColumns() -> [String: Set<String>] {
        var tables: [String: Set<String>] = [:]
        for resource in [users] + (groups.map { [$0] } ?? []) {
            let mapping = resource.mapping
            tables[mapping.table, default: []].formUnion(resource.mainTableColumns)
            for linked in mapping.linkedRows {
                tables[linked.table, default: []].formUnion([linked.keyColumn] + Array(linked.columns.keys))
            }
            for reference in mapping.deleteAlso {
                tables[reference.table, default: []].insert(reference.column)
            }
            if let members = mapping.members {
                tables[members.table, default: []].formUnion(
                    [members.groupColumn, members.memberColumn] + Array(members.columns.keys)
                )
            }
            let ownership = resource.ownership
            for marker in (ownership?.administrators ?? []) + (ownership?.systemAccounts ?? [])
                + (ownership?.excluded ?? [])
            {
                let (table, column) = marker.tableColumn
                tables[table ?? mapping.table, default: []].insert(column)
            }
            if let roles = mapping.roles { tables[mapping.table, default: []].insert(roles.column) }
            for created in mapping.createdRows {
                tables[mapping.table, default: []].insert(created.keyTo)
                tables[created.table, default: []].formUnion(
                    [created.key] + Array(created.columns.keys) + created.uuid + Array(created.lookups.keys)
                        + Array(created.afterInsert.keys)
                )
                for lookup in created.lookups.values {
                    tables[lookup.table, default: []].formUnion([lookup.column] + Array(lookup.where.keys))
                }
            }
            for reference in mapping.refuseDeleteWhileReferenced {
                tables[reference.table, default: []].insert(reference.column)
            }
            if let store = resource.extraFields, !resource.extraFieldNames.isEmpty {
                tables[store.fieldTable, default: []].formUnion(
                    [store.fieldKey, store.fieldName, store.fieldItemType] + Array(store.onCreateField.keys)
                )
                tables[store.valueTable, default: []].formUnion(
                    [store.valueKey, store.valueField, store.valueItem, store.valueColumn]
                        + Array(store.onCreateValue.keys) + Array(store.onUpdateValue.keys)
                )
            }
        }
        return tables
    }

    private func extraFieldChecks() -> [(ResolvedResource, [String])] {
        ([users] + (groups.map { [$0] } ?? [])).compactMap { resource in
            let names = Array(Set(resource.extraFieldNames)).sorted()
            return names.isEmpty || resource.extraFields == nil ? nil : (resource, names)
        }
    }
}
