import Foundation
import SCIM
import SQLDrivers

/// One mapped attribute, resolved against the standard schemas.
struct ResolvedAttribute: Sendable {
    /// Where a value lives.
    enum Storage: Sendable, Hashable {
        case column(String)
        case extraField(String)
    }

    /// The mapping key as the file writes it.
    var key: String
    var path: ResolvedAttributePath
    var mapping: AttributeMapping
    var storage: Storage

    /// Whether this is the write-only password.
    var isPassword: Bool { path.extensionSchema == nil && path.name.lowercased() == "password" }

    /// A multi-valued attribute kept in one column (`emails` → `email`).
    var isMultiValued: Bool { path.subAttribute == nil && path.parent.multiValued && path.elementType == nil }

    /// The definition of the stored scalar (the `value` sub-attribute of a multi-valued attribute).
    var valueDefinition: SCIMAttribute {
        isMultiValued ? (path.parent.subAttribute(named: "value") ?? path.definition) : path.definition
    }

    /// Whether comparisons ignore letter case (RFC 7643 `caseExact: false` strings).
    var isCaseInsensitive: Bool {
        let definition = valueDefinition
        return (definition.type == .string || definition.type == .reference) && !definition.caseExact
    }

    /// Whether the SCIM value is a Boolean.
    var isBoolean: Bool { valueDefinition.type == .boolean }

    /// A name for messages, with the column: `name.givenName (firstname)`.
    var columnName: String? {
        if case .column(let name) = storage { return name }
        return nil
    }
}

/// A resource mapping prepared for one tenant: attributes resolved and sorted in schema order,
/// settings at hand.
struct ResolvedResource: Sendable {
    let kind: ResourceKind
    let mapping: ResourceMapping
    let attributes: [ResolvedAttribute]
    /// The element keys (`phoneNumbers[type eq "mobile"].value`), grouped by attribute.
    let elementGroups: [ElementGroup]
    let extraFields: ExtraFieldStore?
    let settings: [String: String]
    /// Users only, when the tenant has Groups with a membership table: what the read-only
    /// `groups` attribute is computed from.
    var memberships: UserGroupMemberships?
    /// Users only, on a database shared by several portals: which visible users the tenant may change.
    var ownership: Ownership?

    init(kind: ResourceKind, mapping: ResourceMapping, extraFields: ExtraFieldStore?, settings: [String: String]) throws
    {
        self.kind = kind
        self.mapping = mapping
        self.extraFields = extraFields
        self.settings = settings
        var resolved: [ResolvedAttribute] = []
        for (key, attribute) in mapping.attributes {
            guard let path = SchemaCatalog.definition(of: key, kind: kind) else {
                throw BackendConfigurationError("attribute \(key): not an attribute of the \(kind.rawValue) schemas")
            }
            let storage: ResolvedAttribute.Storage
            if let column = attribute.column {
                storage = .column(column)
            } else if let field = attribute.extraField {
                storage = .extraField(field)
            } else {
                throw BackendConfigurationError("attribute \(key): needs a column or an extra field")
            }
            resolved.append(ResolvedAttribute(key: key, path: path, mapping: attribute, storage: storage))
        }
        let order = Self.schemaOrder(kind: kind)
        attributes = resolved.map { (order($0.path), $0) }.sorted { $0.0 < $1.0 }.map(\.1)
        elementGroups = ElementGroup.groups(of: attributes)
    }

    /// The element group of a multi-valued attribute a filter path names (`phoneNumbers`,
    /// `phoneNumbers.value`), when the mapping stores that attribute by element type.
    func elementGroup(matching path: AttributePath) -> ElementGroup? {
        let whole = AttributePath(schema: path.schema, name: path.name)
        return elementGroups.first { $0.whole.matches(whole, kind: kind) }
    }

    /// A sort key following the order of the standard schemas: schema, attribute, sub-attribute.
    private static func schemaOrder(kind: ResourceKind) -> (ResolvedAttributePath) -> SchemaPosition {
        let type = kind.resourceType
        return { path in
            let schemaIndex =
                path.extensionSchema.map { uri in
                    (type.extensions.firstIndex { $0.schema.id == uri } ?? 0) + 1
                } ?? 0
            let schema = path.extensionSchema.flatMap { type.extensionSchema($0) } ?? type.schema
            let common = path.name.lowercased() == "externalid" ? -1 : 0
            let attributeIndex = common + (schema.attributes.firstIndex { $0.name == path.name } ?? 999) + 1
            let subIndex =
                path.subAttribute.flatMap { sub in path.parent.subAttributes.firstIndex { $0.name == sub } } ?? 0
            return SchemaPosition(schema: schemaIndex, attribute: attributeIndex, subAttribute: subIndex)
        }
    }

    /// Where an attribute stands in the standard schemas, compared field by field.
    struct SchemaPosition: Comparable {
        var schema: Int
        var attribute: Int
        var subAttribute: Int

        static func < (lhs: Self, rhs: Self) -> Bool {
            (lhs.schema, lhs.attribute, lhs.subAttribute) < (rhs.schema, rhs.attribute, rhs.subAttribute)
        }
    }

    /// The attribute mapped under this key (letter case ignored).
    func attribute(key: String) -> ResolvedAttribute? {
        let lowered = key.lowercased()
        return attributes.first { $0.key.lowercased() == lowered }
    }

    /// The attribute a filter or sort path names.
    func attribute(matching path: AttributePath) -> ResolvedAttribute? {
        attributes.first { $0.path.matches(path, kind: kind) }
    }

    /// The SCIM attribute stored in a column, for error messages.
    func attributeName(forColumn column: String) -> String? {
        let lowered = column.lowercased()
        return attributes.first { $0.columnName?.lowercased() == lowered }?.path.description
    }

    /// The password attribute, when the mapping stores one.
    var password: ResolvedAttribute? { attributes.first(where: \.isPassword) }

    /// The attribute that names a resource uniquely (`userName`), used to find a soft-deleted row to revive.
    var uniqueName: ResolvedAttribute? {
        kind == .user ? attributes.first { $0.path.extensionSchema == nil && $0.path.name == "userName" } : nil
    }

    /// Every extra field this resource reads or writes.
    var extraFieldNames: [String] {
        var names: [String] = []
        for attribute in attributes {
            if case .extraField(let name) = attribute.storage { names.append(name) }
            if let type = attribute.mapping.typeExtraField { names.append(type) }
            if let primary = attribute.mapping.primaryExtraField { names.append(primary) }
            if let sent = attribute.mapping.sentValueExtraField { names.append(sent) }
        }
        if case .extraField(let name)? = mapping.softDelete?.marker { names.append(name) }
        if let version = mapping.version { names.append(version.extraField) }
        if let unassigned = mapping.unassignedExtraField { names.append(unassigned) }
        return names
    }

    /// Every column of the main table the mapping reads or writes, lower-cased.
    var mainTableColumns: [String] {
        var columns = [mapping.key]
        if let id = mapping.id { columns.append(id.column) }
        columns += attributes.compactMap(\.columnName)
        columns += Array(mapping.derived.keys) + Array(mapping.onCreate.keys) + Array(mapping.onWrite.keys)
        columns += mapping.copyKeyTo
        columns += Array(mapping.softDelete?.set.keys ?? [:].keys)
        if case .column(let column, _)? = mapping.softDelete?.marker { columns.append(column) }
        if let salt = password?.mapping.hash?.saltColumn { columns.append(salt) }
        columns += [mapping.created, mapping.lastModified].compactMap { $0 }
        if let roles = mapping.roles { columns.append(roles.column) }
        columns += mapping.createdRows.map(\.keyTo)
        columns += mapping.refuseDeleteWhileReferenced.compactMap(\.matches)
        var seen = Set<String>()
        return columns.filter { seen.insert($0.lowercased()).inserted }
    }
}

/// Values computed while writing: `now`, random strings, settings, attributes, the key.
struct WriteContext {
    var settings: [String: String]
    var now: String
    var key: Int64?
    /// Stored values of mapped attributes, by lower-cased mapping key.
    var stored: [String: SQLValue] = [:]
    var fieldName: String?

    init(settings: [String: String], date: Date = Date()) {
        self.settings = settings
        self.now = SQLDateFormat.string(from: date)
    }

    /// The value of a source; a missing setting is a configuration error reported as 500.
    func evaluate(_ source: ValueSource) throws -> SQLValue {
        switch source {
        case .constant(.string(let text)):
            guard let substituted = SettingsTemplate.substitute(text, settings: settings) else {
                throw SCIMError.internalError("The tenant's settings lack a value the mapping needs.")
            }
            let isWholeTemplate =
                text.hasPrefix("${settings.") && text.hasSuffix("}")
                && SettingsTemplate.placeholders(in: text).count == 1
            if isWholeTemplate, let number = Int64(substituted) { return .integer(number) }
            return .text(substituted)
        case .constant(let scalar): return scalar.sqlValue
        case .now: return .text(now)
        case .random(let length): return .text(PasswordHasher.randomHex(length))
        case .lowercased(let path):
            guard let text = stored[path.lowercased()]?.textValue else { return .null }
            return .text(text.lowercased())
        case .slug(let path):
            guard let text = stored[path.lowercased()]?.textValue else { return .null }
            return .text(Self.slug(text))
        case .attribute(let path): return stored[path.lowercased()] ?? .null
        case .key: return key.map(SQLValue.integer) ?? .null
        case .fieldName: return fieldName.map(SQLValue.text) ?? .null
        }
    }

    /// A URL slug of `text`, as Gedmo's Urlizer makes resource node slugs.
    static func slug(_ text: String) -> String {
        let folded = text.folding(options: [.diacriticInsensitive, .caseInsensitive], locale: nil).lowercased()
        var slug = ""
        for scalar in folded.unicodeScalars {
            if ("a"..."z").contains(scalar) || ("0"..."9").contains(scalar) {
                slug.unicodeScalars.append(scalar)
            } else if !slug.isEmpty && !slug.hasSuffix("-") {
                slug.append("-")
            }
        }
        while slug.hasSuffix("-") { slug.removeLast() }
        return slug
    }

    /// Every column of a section, evaluated, in a stable order.
    func evaluate(_ sources: [String: ValueSource]) throws -> [(String, SQLValue)] {
        try sources.sorted { $0.key < $1.key }.map { ($0.key, try evaluate($0.value)) }
    }
}

extension ScalarValue {
    /// The value as an SQL bind (Booleans as 1/0).
    var sqlValue: SQLValue {
        switch self {
        case .null: return .null
        case .bool(let value): return .integer(value ? 1 : 0)
        case .integer(let value): return .integer(value)
        case .decimal(let value): return .double(value)
        case .string(let value): return .text(value)
        }
    }
}

extension SQLValue {
    /// The value as a scalar for value-map look-ups.
    var scalar: ScalarValue {
        switch self {
        case .null, .blob: return .null
        case .integer(let value): return .integer(value)
        case .double(let value): return .decimal(value)
        case .text(let value): return .string(value)
        }
    }
}

/// Date and time as Chamilo stores them: `YYYY-MM-DD HH:MM:SS` in UTC. The calendar arithmetic is
/// ``SCIMDateTime``'s, so both read and write the same dates and refuse the same non-existent days.
enum SQLDateFormat {
    /// The stored text of a date, truncated to whole seconds; years 0001 to 9999, as SCIM dates are.
    static func string(from date: Date) -> String {
        let interval = date.timeIntervalSince1970
        let text = SCIMDateTime.format(Date(timeIntervalSince1970: interval.isNaN ? 0 : interval.rounded(.down)))
        // `YYYY-MM-DDTHH:MM:SSZ`: a whole second carries no fraction.
        return String(text.prefix(10)) + " " + String(text.dropFirst(11).prefix(8))
    }

    /// Parses `YYYY-MM-DD HH:MM:SS` (or ISO 8601 `YYYY-MM-DDTHH:MM:SS[.fff][Z|±HH:MM]`) as UTC; `nil` for
    /// a day the month does not have.
    static func date(from text: String) -> Date? {
        let scalars = Array(text.utf8)
        guard scalars.count >= 19 else { return nil }
        func number(_ from: Int, _ length: Int) -> Int? {
            guard from + length <= scalars.count else { return nil }
            var value = 0
            for byte in scalars[from..<(from + length)] {
                guard (48...57).contains(byte) else { return nil }
                value = value * 10 + Int(byte - 48)
            }
            return value
        }
        guard let year = number(0, 4), let month = number(5, 2), let day = number(8, 2),
            let hour = number(11, 2), let minute = number(14, 2), let second = number(17, 2),
            let days = SCIMDateTime.daysSinceEpoch(year: year, month: month, day: day)
        else { return nil }
        var offset = 0
        if let sign = scalars.dropFirst(19).firstIndex(where: { $0 == 43 || $0 == 45 }),
            let hours = number(sign + 1, 2), let minutes = number(sign + 4, 2)
        {
            offset = (hours * 3600 + minutes * 60) * (scalars[sign] == 45 ? -1 : 1)
        }
        return Date(timeIntervalSince1970: TimeInterval(days * 86_400 + hour * 3600 + minute * 60 + second - offset))
    }

    /// A SCIM dateTime filter value in the stored format, or nil when it is not a date.
    static func storedText(fromSCIM text: String) -> String? {
        date(from: text).map(string(from:))
    }
}
