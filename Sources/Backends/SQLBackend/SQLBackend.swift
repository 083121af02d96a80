import Foundation
import Logging
import SCIM
import SQLDrivers

/// A backend that stores resources in an SQL database through a mapping: one engine for every
/// dialect (SQLite, PostgreSQL, MySQL/MariaDB: one folder each in SQLDrivers).
public struct SQLBackend: Backend {
    let tenantID: String
    let mappingName: String
    let engine: SQLEngine
    let users: ResolvedResource
    let groups: ResolvedResource?
    let passwordAlgorithm: PasswordAlgorithm
    /// The keys of the extra field definitions known to exist on the portal, per resource type.
    let ensuredExtraFields = EnsuredExtraFields()
    /// The bcrypt cost the tenant writes (the mapping's `bcryptCost`, or the tenant's `costSetting`).
    let bcryptCost: Int

    init(configuration: BackendConfiguration, database: SQLDatabase) throws {
        let mapping = configuration.mapping
        do {
            if !configuration.mappingIsValidated { try mapping.validate() }
        } catch let error as BackendConfigurationError {
            throw BackendConfigurationError("tenant \(configuration.tenantID): \(error.message)")
        }
        tenantID = configuration.tenantID
        mappingName = mapping.name
        engine = SQLEngine(database: database)
        var users = try ResolvedResource(
            kind: .user,
            mapping: mapping.users,
            extraFields: mapping.extraFields,
            settings: configuration.settings
        )
        let groups = try mapping.groups.map {
            try ResolvedResource(
                kind: .group,
                mapping: $0,
                extraFields: mapping.extraFields,
                settings: configuration.settings
            )
        }
        if let groups, let membership = groups.mapping.members {
            users.memberships = UserGroupMemberships(groups: groups, membership: membership)
        }
        users.ownership = mapping.ownership
        self.users = users
        self.groups = groups
        (passwordAlgorithm, bcryptCost) = try Self.passwordRule(
            users.password?.mapping.hash,
            mapping: mapping.name,
            tenant: configuration.tenantID,
            settings: configuration.settings
        )
        for resource in [users] + (groups.map { [$0] } ?? []) {
            for name in Self.referencedSettings(resource.mapping) where configuration.settings[name] == nil {
                throw BackendConfigurationError(
                    "tenant \(configuration.tenantID): the mapping \(mapping.name) uses settings.\(name), "
                        + "which the tenant file does not set"
                )
            }
        }
    }

    private static func referencedSettings(_ mapping: ResourceMapping) -> [String] {
        var sources = Array(mapping.derived.values) + Array(mapping.onCreate.values) + Array(mapping.onWrite.values)
        sources += mapping.linkedRows.flatMap { Array($0.columns.values) }
        sources += mapping.createdRows.flatMap { Array($0.columns.values) }
        sources += Array(mapping.softDelete?.set.values ?? [:].values)
        sources += Array(mapping.members?.columns.values ?? [:].values)
        return sources.flatMap(\.referencedSettings)
    }

    /// Builds an SQLite-backed tenant: `configuration.path` is the database file (relative to the
    /// working directory unless absolute).
    public static func sqlite(_ configuration: BackendConfiguration) throws -> SQLBackend {
        guard let path = configuration.path, !path.isEmpty else {
            throw BackendConfigurationError("tenant \(configuration.tenantID): backend kind sqlite needs 'path'")
        }
        let absolute = URL(fileURLWithPath: path).standardizedFileURL.path
        let database = try SQLDatabase.sqlite(
            SQLiteConfiguration(path: absolute, busyTimeout: configuration.statementTimeout),
            maxConnections: configuration.poolMax,
            checkoutTimeout: configuration.connectTimeout + configuration.statementTimeout
        )
        return try SQLBackend(configuration: configuration, database: database)
    }

    /// Users always; Groups when the mapping has them. Sorting, ETags and every filter operator.
    public var capabilities: BackendCapabilities {
        BackendCapabilities(
            resourceKinds: groups == nil ? [.user] : [.user, .group],
            sorting: true,
            etags: true,
            changePassword: users.password != nil,
            filterOperators: Set(ComparisonOperator.allCases),
            keysetPaging: true
        )
    }

    /// The standard schemas restricted to what the mapping stores.
    public func schemas(for kind: ResourceKind) -> [SCIMSchema] {
        guard let resource = try? resource(kind) else { return [] }
        var stored = resource.attributes.map(\.path)
        var keep: [String: [String]] = [:]
        for attribute in resource.attributes where attribute.isMultiValued {
            keep[attribute.path.name] = ["value", "type", "primary"]
        }
        for group in resource.elementGroups {
            if let type = SchemaCatalog.definition(of: group.whole.description + ".type", kind: kind) {
                stored.append(type)
            }
        }
        if kind == .user, resource.memberships != nil, let groups = SchemaCatalog.definition(of: "groups", kind: .user)
        {
            stored.append(groups)
        }
        if kind == .group, resource.mapping.members != nil,
            let members = SchemaCatalog.definition(of: "members", kind: .group)
        {
            stored.append(members)
            keep["members"] = ["value", "$ref", "type"]
        }
        let schemas = SchemaCatalog.restrictedSchemas(kind: kind, stored: stored, extraSubAttributes: keep)
        return Self.advertisingElementTypes(of: resource, in: Self.advertisingValueMaps(of: resource, in: schemas))
    }

    /// Restricts the canonical `type` values of an attribute stored by element type to the mapped types
    /// (all of the schema's when a fallback element remembers any type).
    private static func advertisingElementTypes(of resource: ResolvedResource, in schemas: [SCIMSchema]) -> [SCIMSchema]
    {
        guard !resource.elementGroups.isEmpty else { return schemas }
        return schemas.map { schema in
            var schema = schema
            let uri = schema.id == resource.kind.resourceType.schema.id ? nil : schema.id
            schema.attributes = schema.attributes.map { attribute in
                guard
                    let group = resource.elementGroups.first(where: {
                        $0.whole.extensionSchema == uri && $0.whole.name == attribute.name
                    }), group.typeField == nil
                else { return attribute }
                var attribute = attribute
                attribute.subAttributes = attribute.subAttributes.map { sub in
                    guard sub.name == "type" else { return sub }
                    var sub = sub
                    sub.canonicalValues = group.types
                    return sub
                }
                return attribute
            }
            return schema
        }
    }

    /// Publishes a value map's canonical SCIM values (`userType`: Teacher, Student, …) as the attribute's
    /// `canonicalValues`, so that clients send values the portal can store and read back unchanged.
    private static func advertisingValueMaps(of resource: ResolvedResource, in schemas: [SCIMSchema]) -> [SCIMSchema] {
        var canonical: [String: [String]] = [:]
        for attribute in resource.attributes where attribute.path.subAttribute == nil {
            guard attribute.path.definition.type == .string, let map = attribute.mapping.values else { continue }
            let key = "\(attribute.path.extensionSchema ?? "")|\(attribute.path.name)".lowercased()
            canonical[key] = map.entries.compactMap { entry in
                if case .string(let text)? = entry.scim.first { return text }
                return nil
            }
        }
        guard !canonical.isEmpty else { return schemas }
        return schemas.map { schema in
            var schema = schema
            let prefix = schema.id == resource.kind.resourceType.schema.id ? "" : schema.id
            schema.attributes = schema.attributes.map { attribute in
                guard let values = canonical["\(prefix)|\(attribute.name)".lowercased()] else { return attribute }
                var attribute = attribute
                attribute.canonicalValues = values
                return attribute
            }
            return schema
        }
    }

    func resource(_ kind: ResourceKind) throws -> ResolvedResource {
        switch kind {
        case .user: return users
        case .group:
            guard let groups else { throw SCIMError(status: 404, detail: "This tenant does not provision Groups.") }
            return groups
        }
    }

    /// Runs a transaction, turning driver errors into SCIM errors that name the attribute.
    func transaction<T: Sendable>(
        _ kind: SQLTransactionKind,
        resource: ResolvedResource,
        holding lock: SQLLock? = nil,
        _ body: @escaping @Sendable (SQLSession) throws -> T
    ) async throws -> T {
        do {
            return try await engine.transaction(kind, holding: lock, body)
        } catch let error as SQLError {
            // A definition removed by hand fails the write that used its key: the next one reads them again.
            if kind == .write { ensuredExtraFields.forget(resource.kind) }
            throw SCIMError(error) { resource.attributeName(forColumn: $0) }
        }
    }

    /// The integer key of a SCIM id; nil for anything else (Entra sends GUIDs).
    static func key(_ id: String) -> Int64? {
        guard let key = Int64(id), key > 0 else { return nil }
        return key
    }

    static func notFound(_ kind: ResourceKind, _ id: String) -> SCIMError {
        .notFound("\(kind.rawValue) \(id) not found.")
    }

    /// Closes the connections.
    public func shutdown() async {
        await engine.database.close()
    }
}
