import SCIM

/// The attributes the Chamilo REST API can keep only as user extra fields: `get_users` returns no
/// other column, so each is written to an extra field (`extra[]` of `save_user` and
/// `update_user_from_username`) and read back from it. Where the portal has a column of its own
/// (`phone`, `address`, `official_code`), the backend writes that column too, for Chamilo itself.
enum ChamiloMirroredAttributes {
    /// Where an attribute's value sits in canonical SCIM attributes.
    enum Place: Sendable, Hashable {
        /// A single-valued attribute or a sub-attribute of a complex one (`name.formatted`, enterprise `manager.value`).
        case single(schema: String?, name: String, sub: String?)
        /// A sub-attribute of the element of one type of a multi-valued attribute.
        case element(name: String, type: String, sub: String)
    }

    /// One mirrored attribute and its extra field.
    struct Entry: Sendable, Hashable {
        var place: Place
        var field: String
    }

    static let enterprise = SCIMSchemaURI.enterpriseUser

    /// Every mirrored attribute, in schema order.
    static let entries: [Entry] = [
        Entry(place: .single(schema: nil, name: "name", sub: "formatted"), field: "scim_name_formatted"),
        Entry(place: .single(schema: nil, name: "name", sub: "middleName"), field: "scim_name_middle"),
        Entry(place: .single(schema: nil, name: "name", sub: "honorificPrefix"), field: "scim_name_prefix"),
        Entry(place: .single(schema: nil, name: "name", sub: "honorificSuffix"), field: "scim_name_suffix"),
        Entry(place: .single(schema: nil, name: "displayName", sub: nil), field: "scim_display_name"),
        Entry(place: .single(schema: nil, name: "nickName", sub: nil), field: "scim_nick_name"),
        Entry(place: .single(schema: nil, name: "title", sub: nil), field: "scim_title"),
        Entry(place: .single(schema: nil, name: "preferredLanguage", sub: nil), field: "scim_preferred_language"),
        Entry(place: .single(schema: nil, name: "timezone", sub: nil), field: "scim_timezone"),
        Entry(place: .element(name: "phoneNumbers", type: "work", sub: "value"), field: ChamiloUserMapping.phoneField),
        Entry(place: .element(name: "phoneNumbers", type: "mobile", sub: "value"), field: "scim_phone_mobile"),
        Entry(place: .element(name: "phoneNumbers", type: "fax", sub: "value"), field: "scim_phone_fax"),
        Entry(place: .element(name: "phoneNumbers", type: "home", sub: "value"), field: "scim_phone_home"),
        Entry(place: .element(name: "addresses", type: "work", sub: "formatted"), field: "scim_address"),
        Entry(place: .element(name: "addresses", type: "work", sub: "streetAddress"), field: "scim_address_street"),
        Entry(place: .element(name: "addresses", type: "work", sub: "locality"), field: "scim_address_locality"),
        Entry(place: .element(name: "addresses", type: "work", sub: "region"), field: "scim_address_region"),
        Entry(place: .element(name: "addresses", type: "work", sub: "postalCode"), field: "scim_address_postal_code"),
        Entry(place: .element(name: "addresses", type: "work", sub: "country"), field: "scim_address_country"),
        Entry(place: .single(schema: enterprise, name: "employeeNumber", sub: nil), field: "scim_employee_number"),
        Entry(place: .single(schema: enterprise, name: "costCenter", sub: nil), field: "scim_cost_center"),
        Entry(place: .single(schema: enterprise, name: "organization", sub: nil), field: "scim_organization"),
        Entry(place: .single(schema: enterprise, name: "division", sub: nil), field: "scim_division"),
        Entry(place: .single(schema: enterprise, name: "department", sub: nil), field: "scim_department"),
        Entry(place: .single(schema: enterprise, name: "manager", sub: "value"), field: "scim_manager_id"),
        Entry(place: .single(schema: enterprise, name: "manager", sub: "displayName"), field: "scim_manager_name"),
    ]

    /// The element types stored per multi-valued attribute; the first also takes an element sent
    /// without a type or with a type of none of them.
    static func types(of attribute: String) -> [String] {
        var types: [String] = []
        for entry in entries {
            if case .element(let name, let type, _) = entry.place, name == attribute, !types.contains(type) {
                types.append(type)
            }
        }
        return types
    }

    /// The mirrored values of canonical attributes, by extra field; an absent value is "".
    static func values(of attributes: JSONObject) -> [String: String] {
        var result: [String: String] = [:]
        var chosen: [String: [String: JSONObject]] = [:]
        for entry in entries {
            switch entry.place {
            case .single(let schema, let name, let sub):
                let container = schema.map { attributes[caseInsensitive: $0]?.objectValue } ?? attributes
                var value = container?[caseInsensitive: name]
                if let sub { value = value?.objectValue?[caseInsensitive: sub] }
                result[entry.field] = value?.stringValue ?? ""
            case .element(let name, let type, let sub):
                if chosen[name] == nil {
                    chosen[name] = elements(attributes[caseInsensitive: name], types: types(of: name))
                }
                result[entry.field] = chosen[name]?[type]?[caseInsensitive: sub]?.stringValue ?? ""
            }
        }
        return result
    }

    /// Canonical attributes holding the mirrored values that are not empty.
    static func place(_ values: [String: String], into attributes: inout JSONObject) {
        var elements: [String: [(String, JSONObject)]] = [:]
        for entry in entries {
            guard let value = values[entry.field], !value.isEmpty else { continue }
            switch entry.place {
            case .single(let schema, let name, let sub):
                var container = schema.flatMap { attributes[$0]?.objectValue } ?? (schema == nil ? attributes : [:])
                if let sub {
                    var object = container[name]?.objectValue ?? JSONObject()
                    object[sub] = .string(value)
                    container[name] = .object(object)
                } else {
                    container[name] = .string(value)
                }
                if let schema { attributes[schema] = .object(container) } else { attributes = container }
            case .element(let name, let type, let sub):
                var list = elements[name] ?? []
                if let index = list.firstIndex(where: { $0.0 == type }) {
                    list[index].1[sub] = .string(value)
                } else {
                    list.append((type, ["type": .string(type), sub: .string(value)]))
                }
                elements[name] = list
            }
        }
        for (name, list) in elements.sorted(by: { $0.key < $1.key }) {
            attributes[name] = .array(list.map { .object($0.1) })
        }
    }

    /// The element each type keeps: the first of that type (primary ones first); the first type also
    /// takes the first element without a type or with a type of none of them.
    private static func elements(_ value: JSONValue?, types: [String]) -> [String: JSONObject] {
        let objects = (value?.arrayValue ?? []).compactMap(\.objectValue)
        let ordered =
            objects.filter { $0[caseInsensitive: "primary"]?.boolValue == true }
            + objects.filter { $0[caseInsensitive: "primary"]?.boolValue != true }
        var result: [String: JSONObject] = [:]
        var leftovers: [JSONObject] = []
        for object in ordered {
            let type = object[caseInsensitive: "type"]?.stringValue?.lowercased()
            if let type, types.contains(type) {
                if result[type] == nil { result[type] = object }
            } else {
                leftovers.append(object)
            }
        }
        if let first = types.first, result[first] == nil, let fallback = leftovers.first { result[first] = fallback }
        return result
    }
}
