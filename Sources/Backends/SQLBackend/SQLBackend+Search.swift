import SCIM
import SQLDrivers

extension SQLBackend {
    /// Filters in SQL, sorts on a mapped column with the key as tie-break, pages with LIMIT/OFFSET, or
    /// for a keyset page by the key alone after the last key of the previous page (one row more is read
    /// to know whether another page follows); `count` 0 returns the total only.
    public func search(_ kind: ResourceKind, query: SearchQuery) async throws -> SearchResult {
        let resource = try resource(kind)
        let statements = try searchStatements(kind, query: query)
        let backend = self
        return try await transaction(.read, resource: resource) { session in
            let total = try session.rows(statements.count).first?.first?.integerValue ?? 0
            guard let page = statements.page else { return SearchResult(totalResults: Int(total), resources: []) }
            var keys = try session.rows(page).compactMap { $0.first?.integerValue }
            var nextPosition: String?
            if query.keyset != nil, keys.count > query.count {
                keys.removeLast(keys.count - query.count)
                nextPosition = keys.last.map(String.init)
            }
            guard !keys.isEmpty else { return SearchResult(totalResults: Int(total), resources: []) }
            let store = ResourceStore(resource: resource, session: session)
            let marks = Array(repeating: "?", count: keys.count).joined(separator: ", ")
            let rows = try store.rows(
                where: SQLFragment("t.\(session.q(resource.mapping.key)) IN (\(marks))", keys.map(SQLValue.integer))
            )
            let byKey = Dictionary(rows.map { ($0.key, $0) }, uniquingKeysWith: { first, _ in first })
            let records = try keys.compactMap { key in try byKey[key].map { try backend.record($0, store: store) } }
            return SearchResult(totalResults: Int(total), resources: records, nextPosition: nextPosition)
        }
    }

    /// The COUNT statement and, unless `count` is 0, the page statement selecting keys in order.
    /// Exposed for tests: every filter value is a bind, never part of the SQL text.
    func searchStatements(_ kind: ResourceKind, query: SearchQuery) throws -> (count: SQLFragment, page: SQLFragment?) {
        let resource = try resource(kind)
        let sql = ResourceSQL(resource: resource, dialect: engine.dialect)
        let translator = SQLFilterTranslator(sql: sql)
        var condition = try sql.visibilityCondition()
        if let filter = query.filter {
            condition =
                SQLFragment("(") + condition + SQLFragment(") AND (") + (try translator.condition(filter))
                + SQLFragment(")")
        }
        let from = "FROM \(sql.q(resource.mapping.table)) t WHERE "
        let count = SQLFragment("SELECT COUNT(*) " + from) + condition
        guard query.count > 0 else { return (count, nil) }
        if let keyset = query.keyset {
            let key = "t.\(sql.q(resource.mapping.key))"
            var pageCondition = condition
            if let after = keyset.after {
                guard let position = Int64(after) else {
                    throw SCIMError(status: 400, scimType: .invalidCursor, detail: "The cursor names no position.")
                }
                pageCondition =
                    SQLFragment("(") + condition
                    + SQLFragment(") AND \(key) \(query.ascending ? ">" : "<") ?", [.integer(position)])
            }
            let page =
                SQLFragment("SELECT \(key) " + from) + pageCondition
                + SQLFragment(
                    " ORDER BY \(key) \(query.ascending ? "ASC" : "DESC") LIMIT ?",
                    [.integer(Int64(query.count) + 1)]
                )
            return (count, page)
        }
        let order = try translator.ordering(query.sortBy, ascending: query.ascending)
        let offset = Int64(max(query.startIndex, 1) - 1)
        let page =
            SQLFragment("SELECT t.\(sql.q(resource.mapping.key)) " + from) + condition + order
            + SQLFragment(" LIMIT ? OFFSET ?", [.integer(Int64(query.count)), .integer(offset)])
        return (count, page)
    }
}
