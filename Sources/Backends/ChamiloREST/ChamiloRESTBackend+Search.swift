import SCIM

extension ChamiloRESTBackend {
    /// Answers `userName eq`, `externalId eq` and `id eq` through the API's look-ups; no filter
    /// lists every user. `get_users` has no paging of its own, so the page is cut in memory. The
    /// API cannot sort, and the capabilities say so.
    public func search(_ kind: ResourceKind, query: SearchQuery) async throws -> SearchResult {
        try requireUsers(kind)
        let matches: [ChamiloUser]
        switch query.filter {
        case nil:
            matches = try await allUsers()
        case .comparison(let path, .eq, .string(let value))? where Self.isCoreUserPath(path):
            switch path.name.lowercased() {
            case "username":
                guard try await usernameExists(value) else {
                    matches = []
                    break
                }
                matches = try await allUsers().filter { $0.username.lowercased() == value.lowercased() }
            case "externalid":
                let ids = try await userIDs(withExternalID: value)
                if ids.isEmpty {
                    matches = []
                } else {
                    matches = try await allUsers().filter { ids.contains($0.id) && $0.externalID == value }
                }
            case "id":
                do {
                    matches = [try await user(id: value)]
                } catch let error as SCIMError where error.status == 404 {
                    matches = []
                }
            default:
                throw Self.unsupportedFilter
            }
        default:
            throw Self.unsupportedFilter
        }
        let start = min(max(query.startIndex, 1) - 1, matches.count)
        let end = min(start + max(query.count, 0), matches.count)
        return SearchResult(totalResults: matches.count, resources: matches[start..<end].map(\.record))
    }

    private static var unsupportedFilter: SCIMError {
        .invalidFilter(
            "This tenant's Chamilo REST API answers only the filters userName eq \"…\", externalId eq \"…\" and id eq \"…\"."
        )
    }

    private static func isCoreUserPath(_ path: AttributePath) -> Bool {
        path.subAttribute == nil && (path.schema == nil || path.schema?.lowercased() == SCIMSchemaURI.user.lowercased())
    }

    /// The ids of the users whose `scim_external_id` is `value` (`users_profiles_by_extra_field`).
    private func userIDs(withExternalID value: String) async throws -> Set<String> {
        var form = ChamiloForm(action: "users_profiles_by_extra_field")
        form.append("field_name", ChamiloUserMapping.externalIDField)
        form.append("field_value", value)
        form.append("active", "0")
        let data = try await callMapped(form)
        return Set(data.chamiloElements.compactMap { $0.objectValue?["id"]?.chamiloText })
    }
}
