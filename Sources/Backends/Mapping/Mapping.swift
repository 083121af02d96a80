import SCIM

/// A mapping file (`tenants.d/mappings/<name>.yaml`): for each resource type, where each SCIM
/// attribute lives and what else a create must write.
///
/// ```yaml
/// name: chamilo-1.11
/// extraFields: { fieldTable: extra_field, valueTable: extra_field_values, ... }
/// users:
///   table: user
///   key: id
///   attributes:
///     userName: { column: username, maxLength: 100 }
///     externalId: { extraField: scim_external_id }
///   derived: { username_canonical: { lower: userName } }
///   onCreate: { registration_date: { now: true }, roles: "a:0:{}" }
/// groups: { table: usergroup, key: id, ... }
/// ```
/// Table and column names are validated identifiers (``validate()``); values are always bound parameters.
public struct Mapping: Sendable, Decodable {
    /// The mapping's name, for messages.
    public var name: String
    /// Where attributes held as entity-attribute-value rows live (`extra_field` / `extra_field_values`).
    public var extraFields: ExtraFieldStore?
    /// How Users are stored.
    public var users: ResourceMapping
    /// How Groups are stored; absent when the portal's mapping has no Groups.
    public var groups: ResourceMapping?
    /// Which visible users the tenant may change on a database shared with other portals; absent:
    /// every visible user (a database of one portal).
    public var ownership: Ownership?

    /// Makes a mapping in code (tests, built-in defaults).
    public init(
        name: String,
        extraFields: ExtraFieldStore? = nil,
        users: ResourceMapping,
        groups: ResourceMapping? = nil,
        ownership: Ownership? = nil
    ) {
        self.name = name
        self.extraFields = extraFields
        self.users = users
        self.groups = groups
        self.ownership = ownership
    }

    /// The mapping of a resource type, when the mapping stores it.
    public func resource(_ kind: ResourceKind) -> ResourceMapping? {
        switch kind {
        case .user: return users
        case .group: return groups
        }
    }
}

/// How one resource type is stored: its table, generated key and attributes, and what a create,
/// an update and a delete must also write.
public struct ResourceMapping: Sendable, Decodable {
    /// The main table (`user`, `usergroup`).
    public var table: String
    /// The generated integer primary key; its value is the SCIM `id` unless ``id`` names another column.
    public var key: String
    /// The column holding the SCIM `id` when it is not the key (Chamilo 2.0: `uuid`), and how a new
    /// row's value is made. The key still links the row to its linked rows and extra fields.
    public var id: IDColumn?
    /// SCIM attribute path as a client writes it (`userName`, `name.givenName`, `emails`,
    /// `urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber`) → where it lives.
    public var attributes: [String: AttributeMapping]
    /// Columns computed from attributes on every write (`username_canonical: { lower: userName }`).
    public var derived: [String: ValueSource]
    /// Columns written once, when a row is created (constants, `now`, random values, settings).
    public var onCreate: [String: ValueSource]
    /// Columns written on every create, replace and modify (`updated_at: { now: true }`).
    public var onWrite: [String: ValueSource]
    /// Columns that receive a copy of the generated key after the insert (`user_id`).
    public var copyKeyTo: [String]
    /// Rows inserted beside a new row (`access_url_rel_user`), removed by a hard delete.
    public var linkedRows: [LinkedRow]
    /// Other rows that reference the resource and go with it on a hard delete (memberships).
    public var deleteAlso: [RowReference]
    /// How a deprovisioned (soft-deleted) row is marked; absent: soft delete is not possible.
    public var softDelete: SoftDelete?
    /// Where the per-resource version counter lives; absent: the version is a hash of the stored state.
    public var version: VersionStore?
    /// The extra field listing value-mapped attributes a client removed although their column needs a
    /// value (`active`, `userType`, `locale`): the column keeps its value and SCIM reports them unassigned.
    public var unassignedExtraField: String?
    /// The column holding the creation time (`meta.created`).
    public var created: String?
    /// The column holding the last modification time (`meta.lastModified`).
    public var lastModified: String?
    /// The `extra_field_type` (or equivalent) of this resource's extra fields.
    public var extraFieldItemType: Int64?
    /// Groups only: the membership table.
    public var members: Membership?

    /// Makes a resource mapping in code.
    public init(
        table: String,
        key: String,
        id: IDColumn? = nil,
        attributes: [String: AttributeMapping],
        derived: [String: ValueSource] = [:],
        onCreate: [String: ValueSource] = [:],
        onWrite: [String: ValueSource] = [:],
        copyKeyTo: [String] = [],
        linkedRows: [LinkedRow] = [],
        deleteAlso: [RowReference] = [],
        softDelete: SoftDelete? = nil,
        version: VersionStore? = nil,
        created: String? = nil,
        lastModified: String? = nil,
        extraFieldItemType: Int64? = nil,
        members: Membership? = nil
    ) {
        self.table = table
        self.key = key
        self.id = id
        self.attributes = attributes
        self.derived = derived
        self.onCreate = onCreate
        self.onWrite = onWrite
        self.copyKeyTo = copyKeyTo
        self.linkedRows = linkedRows
        self.deleteAlso = deleteAlso
        self.softDelete = softDelete
        self.version = version
        self.created = created
        self.lastModified = lastModified
        self.extraFieldItemType = extraFieldItemType
        self.members = members
    }

    enum CodingKeys: String, CodingKey {
        case table, key, id, attributes, derived, onCreate, onWrite, copyKeyTo, linkedRows, deleteAlso, softDelete
        case version, created, lastModified, extraFieldItemType, members, unassignedExtraField
    }

    /// Decodes with empty defaults for every optional section.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        table = try container.decode(String.self, forKey: .table)
        key = try container.decodeIfPresent(String.self, forKey: .key) ?? "id"
        id = try container.decodeIfPresent(IDColumn.self, forKey: .id)
        attributes = try container.decodeIfPresent([String: AttributeMapping].self, forKey: .attributes) ?? [:]
        derived = try container.decodeIfPresent([String: ValueSource].self, forKey: .derived) ?? [:]
        onCreate = try container.decodeIfPresent([String: ValueSource].self, forKey: .onCreate) ?? [:]
        onWrite = try container.decodeIfPresent([String: ValueSource].self, forKey: .onWrite) ?? [:]
        copyKeyTo = try container.decodeIfPresent([String].self, forKey: .copyKeyTo) ?? []
        linkedRows = try container.decodeIfPresent([LinkedRow].self, forKey: .linkedRows) ?? []
        deleteAlso = try container.decodeIfPresent([RowReference].self, forKey: .deleteAlso) ?? []
        softDelete = try container.decodeIfPresent(SoftDelete.self, forKey: .softDelete)
        version = try container.decodeIfPresent(VersionStore.self, forKey: .version)
        created = try container.decodeIfPresent(String.self, forKey: .created)
        lastModified = try container.decodeIfPresent(String.self, forKey: .lastModified)
        extraFieldItemType = try container.decodeIfPresent(Int64.self, forKey: .extraFieldItemType)
        members = try container.decodeIfPresent(Membership.self, forKey: .members)
        unassignedExtraField = try container.decodeIfPresent(String.self, forKey: .unassignedExtraField)
    }

    /// The mapping of an attribute path, compared without regard to letter case.
    public func attribute(_ path: String) -> AttributeMapping? {
        let lowered = path.lowercased()
        return attributes.first { $0.key.lowercased() == lowered }?.value
    }
}

/// The column holding a resource's SCIM `id` when the key is not it:
/// ```yaml
/// id: { column: uuid, generate: uuid }   # a random UUID written on create, never changed
/// ```
public struct IDColumn: Sendable, Decodable {
    /// The column (`uuid`).
    public var column: String
    /// How the value of a new row is made.
    public var generate: IDGeneration

    /// Makes an id column in code.
    public init(column: String, generate: IDGeneration = .uuid) {
        self.column = column
        self.generate = generate
    }

    enum CodingKeys: String, CodingKey { case column, generate }

    /// Decodes; `generate` defaults to `uuid`.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        column = try container.decode(String.self, forKey: .column)
        generate = try container.decodeIfPresent(IDGeneration.self, forKey: .generate) ?? .uuid
    }
}

/// How the gateway makes the SCIM id of a new row.
public enum IDGeneration: String, Sendable, Decodable {
    /// A random (version 4) UUID, stored as the column's type requires (text, `uuid`, `BINARY(16)`).
    case uuid
}

/// A row inserted beside each new resource row, e.g. `access_url_rel_user`.
public struct LinkedRow: Sendable, Decodable {
    /// The table.
    public var table: String
    /// The column that receives the new row's key.
    public var keyColumn: String
    /// The other columns and their values (`access_url_id: "${settings.accessUrlId}"`).
    public var columns: [String: ValueSource]
    /// When true, only resources that have this row (with these column values) are visible to the
    /// tenant: the row scopes the table to one portal of a multi-portal installation.
    public var restrictsVisibility: Bool

    /// Makes a linked row in code.
    public init(table: String, keyColumn: String, columns: [String: ValueSource], restrictsVisibility: Bool = false) {
        self.table = table
        self.keyColumn = keyColumn
        self.columns = columns
        self.restrictsVisibility = restrictsVisibility
    }

    enum CodingKeys: String, CodingKey { case table, keyColumn, columns, restrictsVisibility }

    /// Decodes; `columns` defaults to none and `restrictsVisibility` to false.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        table = try container.decode(String.self, forKey: .table)
        keyColumn = try container.decode(String.self, forKey: .keyColumn)
        columns = try container.decodeIfPresent([String: ValueSource].self, forKey: .columns) ?? [:]
        restrictsVisibility = try container.decodeIfPresent(Bool.self, forKey: .restrictsVisibility) ?? false
    }
}

/// Rows of another table that reference a resource by its key.
public struct RowReference: Sendable, Decodable {
    /// The table.
    public var table: String
    /// The column holding the resource's key.
    public var column: String

    /// Makes a reference in code.
    public init(table: String, column: String) {
        self.table = table
        self.column = column
    }
}

/// How a soft-deleted row is written and recognised.
public struct SoftDelete: Sendable, Decodable {
    /// Columns written when the resource is deprovisioned (`active: 0`).
    public var set: [String: ValueSource]
    /// The marker that hides the row from SCIM.
    public var marker: Marker

    /// What tells a soft-deleted row from a merely inactive one.
    public enum Marker: Sendable, Decodable {
        /// An extra field whose value is `1` on soft-deleted rows (`{ extraField: scim_deprovisioned }`).
        case extraField(String)
        /// A column holding a distinct value (`{ column: active, value: -2 }`).
        case column(String, ScalarValue)

        enum CodingKeys: String, CodingKey { case extraField, column, value }

        /// Decodes either form; anything else is an error naming both.
        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            if let field = try container.decodeIfPresent(String.self, forKey: .extraField) {
                self = .extraField(field)
            } else if let column = try container.decodeIfPresent(String.self, forKey: .column) {
                guard let value = try container.decodeIfPresent(ScalarValue.self, forKey: .value) else {
                    throw DecodingError.dataCorruptedError(
                        forKey: .value,
                        in: container,
                        debugDescription: "a column marker needs a value, e.g. { column: active, value: -2 }"
                    )
                }
                self = .column(column, value)
            } else {
                throw DecodingError.dataCorrupted(
                    DecodingError.Context(
                        codingPath: decoder.codingPath,
                        debugDescription: "expected { extraField: NAME } or { column: NAME, value: VALUE }"
                    )
                )
            }
        }
    }

    /// Makes a soft-delete rule in code.
    public init(set: [String: ValueSource], marker: Marker) {
        self.set = set
        self.marker = marker
    }

    enum CodingKeys: String, CodingKey { case set, marker }

    /// Decodes; `set` defaults to none.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        set = try container.decodeIfPresent([String: ValueSource].self, forKey: .set) ?? [:]
        marker = try container.decode(Marker.self, forKey: .marker)
    }
}

/// Where a resource's version counter lives: an extra field incremented by every write, so the
/// ETag changes even when two modifications fall in the same second.
public struct VersionStore: Sendable, Decodable {
    /// The extra field holding the counter.
    public var extraField: String

    /// Makes a version store in code.
    public init(extraField: String) {
        self.extraField = extraField
    }
}

/// A group membership table: one row per member.
public struct Membership: Sendable, Decodable {
    /// The table (`usergroup_rel_user`).
    public var table: String
    /// The column holding the group's key (`usergroup_id`).
    public var groupColumn: String
    /// The column holding the member user's key (`user_id`).
    public var memberColumn: String
    /// Other columns written on each membership row (`relation_type: 0`).
    public var columns: [String: ValueSource]

    /// Makes a membership table in code.
    public init(table: String, groupColumn: String, memberColumn: String, columns: [String: ValueSource] = [:]) {
        self.table = table
        self.groupColumn = groupColumn
        self.memberColumn = memberColumn
        self.columns = columns
    }

    enum CodingKeys: String, CodingKey { case table, groupColumn, memberColumn, columns }

    /// Decodes; `columns` defaults to none.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        table = try container.decode(String.self, forKey: .table)
        groupColumn = try container.decode(String.self, forKey: .groupColumn)
        memberColumn = try container.decode(String.self, forKey: .memberColumn)
        columns = try container.decodeIfPresent([String: ValueSource].self, forKey: .columns) ?? [:]
    }
}
