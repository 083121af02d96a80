import SCIM
import SQLDrivers

/// The element keys of one multi-valued attribute (`phoneNumbers[type eq "work"].value`,
/// `phoneNumbers[type eq "mobile"].value`, …): one stored element per type.
struct ElementGroup: Sendable {
    /// The whole attribute (`phoneNumbers`).
    var whole: ResolvedAttributePath
    /// The mapped types, lower-cased, in the order of the schema's canonical types.
    var types: [String]
    /// The type whose element also takes untyped elements and types without a key of their own.
    var fallbackType: String?
    /// The extra field remembering the type of the element the fallback took.
    var typeField: String?
    /// The element keys, each with its type and sub-attribute.
    var members: [ResolvedAttribute]

    /// Groups the element keys of `attributes` by attribute, in schema order.
    static func groups(of attributes: [ResolvedAttribute]) -> [ElementGroup] {
        var groups: [ElementGroup] = []
        for attribute in attributes {
            guard let type = attribute.path.elementType else { continue }
            let whole = attribute.path.whole
            var index = groups.firstIndex { $0.whole == whole }
            if index == nil {
                groups.append(ElementGroup(whole: whole, types: [], members: []))
                index = groups.count - 1
            }
            guard let index else { continue }
            groups[index].members.append(attribute)
            if !groups[index].types.contains(type) { groups[index].types.append(type) }
            if attribute.mapping.fallback {
                groups[index].fallbackType = type
                if let field = attribute.mapping.typeExtraField { groups[index].typeField = field }
            }
        }
        return groups.map { group in
            var group = group
            let canonical = (group.whole.parent.subAttribute(named: "type")?.canonicalValues ?? []).map {
                $0.lowercased()
            }
            group.types.sort { left, right in
                let leftIndex = canonical.firstIndex(of: left) ?? canonical.count
                let rightIndex = canonical.firstIndex(of: right) ?? canonical.count
                return leftIndex == rightIndex ? left < right : leftIndex < rightIndex
            }
            return group
        }
    }

    /// One element as sent, and the type it was sent with.
    struct Assigned {
        var object: JSONObject
        var sentType: String?
    }

    /// Which sent element each type keeps: the first of that type (primary ones first); the fallback
    /// type, when none of its own was sent, keeps the first element without a type or with a type no
    /// key maps. Other elements have nowhere to go and are not stored.
    func assign(_ value: JSONValue?) throws -> [String: Assigned] {
        var elements: [JSONObject] = []
        switch value {
        case nil, .null?: break
        case .array(let values)?:
            for element in values {
                switch element {
                case .object(let object): elements.append(object)
                case .string: elements.append(["value": element])
                case .null: continue
                default: throw SCIMError.invalidValue("\(whole.description) must be a list of values.")
                }
            }
        case .object(let object)?: elements = [object]
        case .string(let text)?: elements = [["value": .string(text)]]
        default: throw SCIMError.invalidValue("\(whole.description) must be a list of values.")
        }
        func isPrimary(_ object: JSONObject) -> Bool {
            switch object[caseInsensitive: "primary"] {
            case .bool(true)?: return true
            case .string(let text)?: return text.lowercased() == "true"
            default: return false
            }
        }
        let ordered = elements.filter(isPrimary) + elements.filter { !isPrimary($0) }
        let known = Set(types)
        var result: [String: Assigned] = [:]
        var used = Set<Int>()
        for (index, object) in ordered.enumerated() {
            guard let type = object[caseInsensitive: "type"]?.stringValue?.lowercased(), known.contains(type),
                result[type] == nil
            else { continue }
            result[type] = Assigned(object: object, sentType: type)
            used.insert(index)
        }
        if let fallbackType, result[fallbackType] == nil {
            let candidate = ordered.enumerated().first { index, object in
                guard !used.contains(index) else { return false }
                guard let type = object[caseInsensitive: "type"]?.stringValue?.lowercased() else { return true }
                return !known.contains(type)
            }
            if let (_, object) = candidate {
                result[fallbackType] = Assigned(object: object, sentType: object[caseInsensitive: "type"]?.stringValue)
            }
        }
        return result
    }
}

extension ResolvedResource {
    /// Adds the stored values of every element key to a plan.
    func planElements(_ attributes: JSONObject, into plan: inout WritePlan) throws {
        for group in elementGroups {
            let assigned = try group.assign(Self.value(at: group.whole, in: attributes))
            for member in group.members {
                guard let type = member.path.elementType, let sub = member.path.subAttribute else { continue }
                let element = assigned[type]
                let stored = try storedValue(for: element?.object[caseInsensitive: sub], attribute: member)
                plan.stored[member.key.lowercased()] = stored
                switch member.storage {
                case .column(let column): plan.columns.append((column, stored))
                case .extraField(let field): plan.extraFields.append((field, stored.isNull ? nil : stored.textValue))
                }
                if let typeField = member.mapping.typeExtraField {
                    let sent = element?.sentType
                    let remembered = sent.flatMap { $0.lowercased() == type ? nil : $0 }
                    plan.extraFields.append((typeField, remembered))
                }
            }
        }
    }

    /// Puts the stored elements back together: one element per type holding a value, with its type.
    func placeElements(row: [String: SQLValue], extra: [String: String], into result: inout JSONObject) {
        for group in elementGroups {
            var elements: [String: JSONObject] = [:]
            for member in group.members {
                guard let type = member.path.elementType, let sub = member.path.subAttribute else { continue }
                let stored: SQLValue
                switch member.storage {
                case .column(let column): stored = row[column.lowercased()] ?? .null
                case .extraField(let field): stored = extra[field].map(SQLValue.text) ?? .null
                }
                guard let value = scimValue(stored, attribute: member) else { continue }
                elements[type, default: JSONObject()][sub] = value
            }
            var list: [JSONValue] = []
            for type in group.types {
                guard var element = elements[type] else { continue }
                let remembered = type == group.fallbackType ? group.typeField.flatMap { extra[$0] } : nil
                element["type"] = .string(remembered ?? type)
                list.append(.object(element))
            }
            if !list.isEmpty { Self.place(.array(list), at: group.whole, into: &result) }
        }
    }
}
