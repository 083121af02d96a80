import SCIM
import SQLDrivers

extension SQLBackend {
    /// Creates a row (user row, key copy, linked rows, extra fields, version) in one transaction,
    /// or revives a soft-deleted row with the same unique name.
    public func create(_ kind: ResourceKind, attributes: JSONObject) async throws -> ResourceRecord {
        let resource = try resource(kind)
        let context = WriteContext(settings: resource.settings)
        let plan = try resource.plan(attributes, context: context)
        let members = try memberKeys(attributes, kind: kind)
        // The columns that need no database, the password hash (bcrypt: most of a create's time) among
        // them, are made before the transaction, so it holds its connection and locks only for the SQL.
        var prepared = ColumnSet()
        prepared.merge(try context.evaluate(resource.mapping.onCreate))
        prepared.merge(try context.evaluate(resource.mapping.onWrite))
        prepared.merge(plan.columns)
        try addPassword(plan.password ?? PasswordHasher.randomHex(32), into: &prepared, salt: nil, resource: resource)
        let preparedColumns = prepared
        let backend = self
        return try await writing(resource) {
            try await transaction(.write, resource: resource) { session in
                let store = backend.writeStore(resource, session: session)
                if let existing = try backend.existingKey(for: plan, store: store) {
                    let name = resource.uniqueName.map(\.path.description) ?? "name"
                    // Locked before anything is decided, so that the checks hold until the revive commits.
                    let lock = store.session.dialect.rowLockClause
                    guard
                        let row = try store.rows(
                            where: SQLFragment("t.\(store.q(resource.mapping.key)) = ?", [.integer(existing)]),
                            suffix: SQLFragment(lock.isEmpty ? "" : " " + lock)
                        ).first
                    else { throw SCIMError.uniqueness("\(name) is already in use.") }
                    guard try store.isMarkedDeleted(key: existing) else {
                        throw SCIMError.uniqueness("\(name) is already in use.")
                    }
                    // Only the owner revives its soft-deleted users; another portal's row keeps its name.
                    guard try store.mayRevive(key: existing) else {
                        throw SCIMError.uniqueness("\(name) is already in use by a user this portal does not own.")
                    }
                    try backend.revive(row, plan: plan, members: members, store: store, context: context)
                    return try backend.readBack(existing, store: store)
                }
                var columns = preparedColumns
                if let id = store.sql.newID() { columns.merge([id]) }
                if let roles = try store.rolesColumn(columns: columns, plan: plan, row: nil) { columns.merge([roles]) }
                let inserted = store.insertsReturningRow ? try store.insertReturningRow(columns.pairs) : nil
                let key =
                    try inserted?.key
                    ?? session.insert(into: resource.mapping.table, columns.pairs, returningKey: resource.mapping.key)
                try backend.insertLinkedRows(key: key, store: store, onlyMissing: false)
                try store.insertCreatedRows(key: key, plan: plan, row: nil)
                // The values are written in one statement, the version counter's first value among them, and
                // are what the row reads back with: a new row has no other values and is in no group.
                var values: [String: String] = [:]
                for case (let field, let value?) in plan.extraFields { values[field] = value }
                if let field = resource.mapping.version?.extraField { values[field] = "1" }
                try store.insertValues(ofNewItem: key, values)
                if let members { try backend.syncMembers(group: key, to: members, store: store) }
                guard var row = try store.createdRow(key: key, inserted: inserted) else { throw Self.notReadable }
                row.extra = values
                return try backend.record(row, store: store)
            }
        }
    }

    /// A row written that the mapping's visibility rule then excludes.
    static var notReadable: SCIMError {
        SCIMError.internalError("The resource was written but cannot be read back; check the tenant's mapping.")
    }

    /// The resource with this id; 404 when absent, soft-deleted or not this portal's.
    public func get(_ kind: ResourceKind, id: String) async throws -> ResourceRecord {
        let resource = try resource(kind)
        let backend = self
        return try await transaction(.read, resource: resource) { session in
            let store = ResourceStore(resource: resource, session: session)
            guard let row = try store.visibleRow(id: id) else { throw Self.notFound(kind, id) }
            return try backend.record(row, store: store)
        }
    }

    /// Replaces every mapped attribute (absent ones are cleared or set to their default).
    public func replace(
        _ kind: ResourceKind,
        id: String,
        attributes: JSONObject,
        ifMatch: String?
    ) async throws
        -> ResourceRecord
    {
        try await modify(kind, id: id, ifMatch: ifMatch) { _ in attributes }
    }

    /// Read-modify-write in one write transaction: the write lock is taken before the read
    /// (SQLite `BEGIN IMMEDIATE`, `FOR UPDATE` elsewhere), so concurrent calls never lose an update.
    public func modify(
        _ kind: ResourceKind,
        id: String,
        ifMatch: String?,
        change: @Sendable (ResourceRecord) throws -> JSONObject
    ) async throws -> ResourceRecord {
        let resource = try resource(kind)
        let backend = self
        return try await withoutActuallyEscaping(change) { change in
            try await writing(resource) {
                let handOff = ClosureHandOff(change)
                defer { _ = handOff.take() }
                return try await transaction(.write, resource: resource) { session in
                    let store = backend.writeStore(resource, session: session)
                    guard let row = try store.visibleRow(id: id, lock: true) else { throw Self.notFound(kind, id) }
                    try store.requireOwnership(of: row)
                    let key = row.key
                    let current = try backend.record(row, store: store)
                    try current.requireVersion(ifMatch)
                    guard let change = handOff.take() else { throw SCIMError.internalError() }
                    let changed = try change(current)
                    var everything = row.extra
                    if let field = resource.mapping.unassignedExtraField { everything[field] = nil }
                    let (attributes, unassigned) = resource.keepingUnassigned(
                        changed,
                        current: resource.attributes(row: row.columns, extra: everything)
                    )
                    let context = WriteContext(settings: resource.settings)
                    let plan = try resource.plan(attributes, context: context)
                    let members = try backend.memberKeys(attributes, kind: kind)
                    try backend.update(row, plan: plan, members: members, store: store, context: context)
                    if let field = resource.mapping.unassignedExtraField {
                        let listed = unassigned.isEmpty ? nil : unassigned.joined(separator: ",")
                        try store.setExtraField(field, item: key, value: listed)
                    }
                    return try backend.readBack(key, store: store)
                }
            }
        }
    }

    /// Deactivates (soft delete with a marker) or removes the row with its linked rows, extra
    /// fields and memberships.
    public func delete(_ kind: ResourceKind, id: String, mode: DeprovisionMode, ifMatch: String?) async throws {
        let resource = try resource(kind)
        let backend = self
        try await writing(resource) {
            try await transaction(.write, resource: resource) { session in
                let store = backend.writeStore(resource, session: session)
                guard let row = try store.visibleRow(id: id, lock: true) else { throw Self.notFound(kind, id) }
                try store.requireOwnership(of: row)
                let key = row.key
                try backend.record(row, store: store).requireVersion(ifMatch)
                let mapping = resource.mapping
                if mode == .deactivate, let softDelete = mapping.softDelete {
                    try backend.leaveGroups(user: key, store: store)
                    let context = WriteContext(settings: resource.settings)
                    var columns = ColumnSet()
                    columns.merge(try context.evaluate(mapping.onWrite))
                    columns.merge(try context.evaluate(softDelete.set))
                    switch softDelete.marker {
                    case .extraField(let field): try store.setExtraField(field, item: key, value: "1")
                    case .column(let column, let value): columns.merge([(column, value.sqlValue)])
                    }
                    try session.update(mapping.table, set: columns.pairs, where: mapping.key, equals: .integer(key))
                    try store.bumpVersion(key: key, current: row)
                    return
                }
                try store.refuseHardDeleteIfReferenced(row)
                for linked in mapping.linkedRows {
                    try session.delete(from: linked.table, where: linked.keyColumn, equals: .integer(key))
                }
                for reference in mapping.deleteAlso {
                    try session.delete(from: reference.table, where: reference.column, equals: .integer(key))
                }
                if let members = mapping.members {
                    try session.delete(from: members.table, where: members.groupColumn, equals: .integer(key))
                }
                try store.removeExtraFields(item: key)
                try session.delete(from: mapping.table, where: mapping.key, equals: .integer(key))
                try store.deleteCreatedRows(of: row)
            }
        }
    }

    // MARK: Steps shared by the operations

    /// The key of a row (visible or not) holding the plan's unique name, compared without regard to case.
    func existingKey(for plan: WritePlan, store: ResourceStore) throws -> Int64? {
        guard let unique = store.resource.uniqueName, let column = unique.columnName,
            let name = plan.stored[unique.key.lowercased()], !name.isNull
        else { return nil }
        let dialect = store.session.dialect
        let condition = dialect.caseInsensitiveComparison("t.\(store.q(column))", "=")
        return try store.session.rows(
            SQLFragment(
                "SELECT t.\(store.q(store.mapping.key)) FROM \(store.q(store.mapping.table)) t WHERE \(condition) LIMIT 1",
                [name]
            )
        ).first?.first?.integerValue
    }

    func revive(
        _ row: StoredRow,
        plan: WritePlan,
        members: [Int64]?,
        store: ResourceStore,
        context: WriteContext
    ) throws {
        if case .extraField(let field)? = store.mapping.softDelete?.marker {
            try store.setExtraField(field, item: row.key, value: nil)
        }
        if let field = store.mapping.unassignedExtraField {
            try store.setExtraField(field, item: row.key, value: nil)
        }
        try insertLinkedRows(key: row.key, store: store, onlyMissing: true)
        // A revived user is in the groups the identity provider puts it in again, not in its old ones.
        try leaveGroups(user: row.key, store: store)
        try update(row, plan: plan, members: members, store: store, context: context)
    }

    func update(
        _ row: StoredRow,
        plan: WritePlan,
        members: [Int64]?,
        store: ResourceStore,
        context: WriteContext
    ) throws {
        let mapping = store.mapping
        var columns = ColumnSet()
        columns.merge(try context.evaluate(mapping.onWrite))
        columns.merge(plan.columns)
        if let password = plan.password {
            let salt = store.resource.password?.mapping.hash?.saltColumn.flatMap {
                row.columns[$0.lowercased()]?.textValue
            }
            try addPassword(password, into: &columns, salt: salt, resource: store.resource)
        }
        if let roles = try store.rolesColumn(columns: columns, plan: plan, row: row) { columns.merge([roles]) }
        try store.session.update(mapping.table, set: columns.pairs, where: mapping.key, equals: .integer(row.key))
        try store.insertCreatedRows(key: row.key, plan: plan, row: row)
        for (field, value) in plan.extraFields where row.extra[field] != value {
            try store.setExtraField(field, item: row.key, value: value)
        }
        if let members { try syncMembers(group: row.key, to: members, store: store) }
        try store.bumpVersion(key: row.key, current: row)
    }

    /// Adds the hashed password (and, on create, keeps the generated salt it was hashed with).
    func addPassword(
        _ password: String,
        into columns: inout ColumnSet,
        salt: String?,
        resource: ResolvedResource
    ) throws {
        guard let attribute = resource.password, let column = attribute.columnName else { return }
        let hashing = attribute.mapping.hash
        let saltValue = salt ?? hashing?.saltColumn.flatMap { columns.value($0)?.textValue } ?? ""
        let stored =
            hashing == nil
            ? password
            : PasswordHasher.hash(
                password,
                algorithm: passwordAlgorithm,
                salt: saltValue,
                bcryptCost: bcryptCost
            )
        if let limit = attribute.mapping.maxLength, stored.unicodeScalars.count > limit {
            throw SCIMError.invalidValue("password is longer than \(limit) characters (\(column)).")
        }
        columns.merge([(column, .text(stored))])
    }

    func insertLinkedRows(key: Int64, store: ResourceStore, onlyMissing: Bool) throws {
        let context = WriteContext(settings: store.resource.settings)
        for linked in store.mapping.linkedRows {
            let columns = try context.evaluate(linked.columns) + [(linked.keyColumn, SQLValue.integer(key))]
            if onlyMissing {
                let conditions = columns.map { "\(store.q($0.0)) = ?" }.joined(separator: " AND ")
                let found = try store.session.rows(
                    SQLFragment("SELECT 1 FROM \(store.q(linked.table)) WHERE \(conditions) LIMIT 1", columns.map(\.1))
                )
                if !found.isEmpty { continue }
            }
            try store.session.insert(into: linked.table, columns)
        }
    }

    func readBack(_ key: Int64, store: ResourceStore) throws -> ResourceRecord {
        // Written but not visible: the mapping's visibility rule excludes what it writes.
        guard let row = try store.visibleRow(key: key) else { throw Self.notReadable }
        return try record(row, store: store)
    }

    func record(_ row: StoredRow, store: ResourceStore) throws -> ResourceRecord {
        guard store.resource.kind == .group else { return store.record(row) }
        return store.record(row, extraAttributes: try members(of: row.key, store: store))
    }
}

extension ResourceStore {
    /// Whether the row carries the soft-delete marker.
    func isMarkedDeleted(key: Int64) throws -> Bool {
        switch mapping.softDelete?.marker {
        case .extraField(let field)?:
            return try extraValues(items: [key])[key]?[field] == "1"
        case .column(let column, let value)?:
            let rows = try session.rows(
                SQLFragment(
                    "SELECT 1 FROM \(q(mapping.table)) WHERE \(q(mapping.key)) = ? AND \(q(column)) = ?",
                    [.integer(key), value.sqlValue]
                )
            )
            return !rows.isEmpty
        case nil:
            return false
        }
    }
}

/// Columns to write, later values replacing earlier ones for the same column.
struct ColumnSet {
    private(set) var pairs: [(String, SQLValue)] = []

    mutating func merge(_ columns: [(String, SQLValue)]) {
        for (name, value) in columns {
            if let index = pairs.firstIndex(where: { $0.0.lowercased() == name.lowercased() }) {
                pairs[index].1 = value
            } else {
                pairs.append((name, value))
            }
        }
    }

    func value(_ name: String) -> SQLValue? {
        pairs.first { $0.0.lowercased() == name.lowercased() }?.1
    }
}
