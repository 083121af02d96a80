/// Which users a tenant may change when several portals share one database (a Chamilo multi-URL
/// install). A tenant sees the users linked to its portal; it changes only those it owns: linked to
/// its portal and to no other, and neither a platform administrator nor a system account.
///
/// ```yaml
/// ownership:
///   portalLink: access_url_rel_user        # one of users.linkedRows, with restrictsVisibility
///   administrators:
///     - { table: admin, keyColumn: user_id }            # a row in admin marks an administrator
///     - { column: roles, contains: '"ROLE_ADMIN"' }     # or a text in a column
///   systemAccounts:
///     - { column: status, values: [6] }                 # the installer's anonymous user
/// ```
public struct Ownership: Sendable, Decodable {
    /// The table of the users' linked row that says which portal a user belongs to; a user with such
    /// a row for any other portal (other column values) is shared and read-only.
    public var portalLink: String
    /// What marks a platform administrator (any rule matching is enough).
    public var administrators: [UserMarker]
    /// What marks an account the installation itself needs (any rule matching is enough).
    public var systemAccounts: [UserMarker]

    /// Makes ownership rules in code.
    public init(portalLink: String, administrators: [UserMarker] = [], systemAccounts: [UserMarker] = []) {
        self.portalLink = portalLink
        self.administrators = administrators
        self.systemAccounts = systemAccounts
    }

    enum CodingKeys: String, CodingKey { case portalLink, administrators, systemAccounts }

    /// Decodes; the marker lists default to none.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        portalLink = try container.decode(String.self, forKey: .portalLink)
        administrators = try container.decodeIfPresent([UserMarker].self, forKey: .administrators) ?? []
        systemAccounts = try container.decodeIfPresent([UserMarker].self, forKey: .systemAccounts) ?? []
    }
}

/// A rule that singles out some users: a row in another table, or a value of one of the user's columns.
public enum UserMarker: Sendable, Hashable, Decodable {
    /// A row of `table` whose `keyColumn` holds the user's key (`{ table: admin, keyColumn: user_id }`).
    case row(table: String, keyColumn: String)
    /// The user's column holds one of the values (`{ column: status, values: [6] }`).
    case values(column: String, [ScalarValue])
    /// The user's column contains the text, compared without regard to letter case
    /// (`{ column: roles, contains: '"ROLE_ADMIN"' }`).
    case contains(column: String, String)

    enum CodingKeys: String, CodingKey { case table, keyColumn, column, values, contains }

    /// Decodes one of the three forms; anything else is an error naming them.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let table = try container.decodeIfPresent(String.self, forKey: .table)
        let column = try container.decodeIfPresent(String.self, forKey: .column)
        switch (table, column) {
        case (let table?, nil):
            self = .row(table: table, keyColumn: try container.decode(String.self, forKey: .keyColumn))
        case (nil, let column?):
            if let values = try container.decodeIfPresent([ScalarValue].self, forKey: .values) {
                self = .values(column: column, values)
            } else if let text = try container.decodeIfPresent(String.self, forKey: .contains) {
                self = .contains(column: column, text)
            } else {
                throw DecodingError.dataCorruptedError(
                    forKey: .column,
                    in: container,
                    debugDescription: "a column rule needs 'values: [...]' or 'contains: TEXT'"
                )
            }
        default:
            throw DecodingError.dataCorrupted(
                DecodingError.Context(
                    codingPath: decoder.codingPath,
                    debugDescription: "expected { table: NAME, keyColumn: NAME }, { column: NAME, values: [...] } "
                        + "or { column: NAME, contains: TEXT }"
                )
            )
        }
    }

    /// The table and columns the rule reads, for `check --connect`.
    var tableColumn: (table: String?, column: String) {
        switch self {
        case .row(let table, let keyColumn): return (table, keyColumn)
        case .values(let column, _), .contains(let column, _): return (nil, column)
        }
    }
}

extension Ownership {
    func problems(mapping: String, users: ResourceMapping) -> [String] {
        var problems: [String] = []
        let place = "mapping \(mapping), ownership"
        let links = users.linkedRows.filter { $0.table.lowercased() == portalLink.lowercased() }
        if links.isEmpty {
            problems.append("\(place): portalLink '\(portalLink)' is not one of users.linkedRows")
        } else if !links.contains(where: \.restrictsVisibility) || links.contains(where: \.columns.isEmpty) {
            problems.append(
                "\(place): portalLink '\(portalLink)' must be a linked row with restrictsVisibility: true "
                    + "and the columns naming the portal"
            )
        }
        for (section, markers) in [("administrators", administrators), ("systemAccounts", systemAccounts)] {
            for marker in markers {
                let (table, column) = marker.tableColumn
                for name in [table, column].compactMap({ $0 }) where !Mapping.isValidIdentifier(name) {
                    problems.append(
                        "\(place), \(section): '\(name)' is not a valid table or column name "
                            + "(expected [A-Za-z_][A-Za-z0-9_]{0,63})"
                    )
                }
                switch marker {
                case .values(_, let values) where values.isEmpty:
                    problems.append("\(place), \(section) \(column): 'values' must list at least one value")
                case .contains(_, let text) where text.isEmpty:
                    problems.append("\(place), \(section) \(column): 'contains' must not be empty")
                default: break
                }
            }
        }
        return problems
    }
}
