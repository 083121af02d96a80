import SCIM
import SQLDrivers

/// What one create, replace or modify writes, computed from canonical SCIM attributes.
struct WritePlan {
    /// Mapped and derived columns of the main table.
    var columns: [(String, SQLValue)] = []
    /// Extra fields to set (a nil value removes the row).
    var extraFields: [(String, String?)] = []
    /// The plain password, when the client sent one.
    var password: String?
    /// Stored values by lower-cased mapping key (for derived columns).
    var stored: [String: SQLValue] = [:]
}

extension ResolvedResource {
    /// Translates attributes into stored values: value maps, defaults, lengths, multi-valued
    /// selection, derived columns. Throws 400 invalidValue naming the attribute.
    func plan(_ attributes: JSONObject, context: WriteContext) throws -> WritePlan {
        var plan = WritePlan()
        for attribute in self.attributes where attribute.path.elementType == nil {
            let raw = Self.value(at: attribute.path, in: attributes)
            if attribute.isPassword {
                if let raw, !raw.isUnassigned {
                    guard let text = raw.stringValue else { throw SCIMError.invalidValue("password must be a string.") }
                    plan.password = text
                }
                continue
            }
            var element = raw
            var elementType: String?
            var markedNotPrimary = false
            if attribute.isMultiValued, let raw {
                (element, elementType, markedNotPrimary) = try Self.select(
                    raw,
                    rule: attribute.mapping.select,
                    attribute: attribute
                )
            }
            let stored = try storedValue(for: element, attribute: attribute)
            plan.stored[attribute.key.lowercased()] = stored
            switch attribute.storage {
            case .column(let column):
                plan.columns.append((column, stored))
            case .extraField(let field):
                plan.extraFields.append((field, stored.isNull ? nil : stored.textValue))
            }
            if let typeField = attribute.mapping.typeExtraField {
                plan.extraFields.append((typeField, stored.isNull || stored == .text("") ? nil : elementType))
            }
            if let sentField = attribute.mapping.sentValueExtraField {
                plan.extraFields.append(
                    (sentField, Self.spelling(of: element, storedAs: stored, map: attribute.mapping.values))
                )
            }
            if let primaryField = attribute.mapping.primaryExtraField {
                plan.extraFields.append((primaryField, markedNotPrimary && !stored.isNull ? "false" : nil))
            }
        }
        try planElements(attributes, into: &plan)
        var derivedContext = context
        derivedContext.stored = plan.stored
        plan.columns += try derivedContext.evaluate(mapping.derived)
        return plan
    }

    /// The stored form of one SCIM value.
    func storedValue(for value: JSONValue?, attribute: ResolvedAttribute) throws -> SQLValue {
        let mapping = attribute.mapping
        let name = attribute.path.description
        let scalar: ScalarValue?
        switch value {
        case nil, .null?: scalar = nil
        case .string(let text)?: scalar = .string(text)
        case .bool(let flag)?: scalar = .bool(flag)
        case .integer(let number)?: scalar = .integer(number)
        case .decimal(let number)?: scalar = .decimal(number)
        case .array(let values)? where values.isEmpty: scalar = nil
        case .object(let object)? where object.isEmpty: scalar = nil
        case .array?, .object?:
            throw SCIMError.invalidValue("\(name) must be a single value.")
        }
        guard let scalar else { return mapping.defaultValue?.sqlValue ?? .null }
        var stored: SQLValue
        if let map = mapping.values {
            if let found = map.stored(for: scalar) {
                stored = found.sqlValue
            } else if mapping.onUnknown == .useDefault, let fallback = mapping.defaultValue {
                stored = fallback.sqlValue
            } else {
                throw SCIMError.invalidValue(
                    "\(name) '\(scalar.text)' is not supported; expected one of: \(map.acceptedValues.joined(separator: ", "))."
                )
            }
        } else if attribute.isBoolean {
            switch scalar {
            case .bool(let flag): stored = .integer(flag ? 1 : 0)
            case .string(let text) where text.lowercased() == "true": stored = .integer(1)
            case .string(let text) where text.lowercased() == "false": stored = .integer(0)
            default: throw SCIMError.invalidValue("\(name) must be true or false.")
            }
        } else {
            stored = scalar.sqlValue
        }
        if let limit = mapping.maxLength ?? (attribute.columnName == nil ? extraFields?.valueMaxLength : nil),
            case .text(let text) = stored, text.unicodeScalars.count > limit
        {
            let place = attribute.columnName ?? attribute.mapping.extraField ?? ""
            throw SCIMError.invalidValue("\(name) is longer than \(limit) characters (\(place)).")
        }
        return stored
    }

    /// The element of a multi-valued attribute that one column keeps, and its type.
    private static func select(
        _ value: JSONValue,
        rule: MultiValueSelection?,
        attribute: ResolvedAttribute
    ) throws
        -> (value: JSONValue?, type: String?, markedNotPrimary: Bool)
    {
        let elements: [JSONValue]
        switch value {
        case .array(let values): elements = values
        case .object, .string: elements = [value]
        case .null: return (nil, nil, false)
        default: throw SCIMError.invalidValue("\(attribute.path.description) must be a list of values.")
        }
        func flag(_ element: JSONValue, _ key: String) -> JSONValue? { element.objectValue?[caseInsensitive: key] }
        let isPrimary: (JSONValue) -> Bool = { element in
            switch flag(element, "primary") {
            case .bool(true)?: return true
            case .string(let text)?: return text.lowercased() == "true"
            default: return false
            }
        }
        var chosen = elements.first(where: isPrimary)
        if chosen == nil, rule == .primaryOrWork {
            chosen = elements.first { flag($0, "type")?.stringValue?.lowercased() == "work" }
        }
        chosen = chosen ?? elements.first
        guard let chosen else { return (nil, nil, false) }
        if case .string = chosen { return (chosen, nil, false) }
        let markedNotPrimary: Bool
        switch flag(chosen, "primary") {
        case .bool(false)?: markedNotPrimary = true
        case .string(let text)?: markedNotPrimary = text.lowercased() == "false"
        default: markedNotPrimary = false
        }
        return (flag(chosen, "value"), flag(chosen, "type")?.stringValue, markedNotPrimary)
    }

    /// The value at a resolved path in canonical attributes.
    static func value(at path: ResolvedAttributePath, in attributes: JSONObject) -> JSONValue? {
        let container: JSONObject?
        if let schema = path.extensionSchema {
            container = attributes[caseInsensitive: schema]?.objectValue
        } else {
            container = attributes
        }
        guard let top = container?[caseInsensitive: path.name] else { return nil }
        guard let sub = path.subAttribute else { return top }
        return top.objectValue?[caseInsensitive: sub]
    }

    /// Canonical attributes from a stored row (columns by lower-cased name) and extra field values.
    func attributes(row: [String: SQLValue], extra: [String: String]) -> JSONObject {
        var result = JSONObject()
        let unassigned = Set(
            mapping.unassignedExtraField.flatMap { extra[$0] }?.split(separator: ",").map { $0.lowercased() } ?? []
        )
        for attribute in attributes
        where !attribute.isPassword && attribute.path.elementType == nil
            && !unassigned.contains(attribute.key.lowercased())
        {
            let stored: SQLValue
            switch attribute.storage {
            case .column(let column): stored = row[column.lowercased()] ?? .null
            case .extraField(let field): stored = extra[field].map(SQLValue.text) ?? .null
            }
            let sent = attribute.mapping.sentValueExtraField.flatMap { extra[$0] }
            guard let value = scimValue(stored, attribute: attribute, sent: sent) else { continue }
            var placed = value
            if attribute.isMultiValued {
                var element: JSONObject = ["value": value]
                let storedType = attribute.mapping.typeExtraField.flatMap { extra[$0] }
                element["type"] = .string(storedType ?? attribute.mapping.defaultType ?? "work")
                let markedNotPrimary = attribute.mapping.primaryExtraField.flatMap { extra[$0] } == "false"
                element["primary"] = .bool(!markedNotPrimary)
                placed = .array([.object(element)])
            }
            Self.place(placed, at: attribute.path, into: &result)
        }
        placeElements(row: row, extra: extra, into: &result)
        return result
    }

    /// Value-mapped attributes with a default that `attributes` leaves unassigned: they keep the value
    /// stored before (`current`, read without the unassigned list) and are listed, lower-cased, so that
    /// reads report them unassigned. Without ``ResourceMapping/unassignedExtraField`` nothing changes.
    func keepingUnassigned(_ attributes: JSONObject, current: JSONObject) -> (JSONObject, [String]) {
        guard mapping.unassignedExtraField != nil else { return (attributes, []) }
        var result = attributes
        var listed: [String] = []
        for attribute in self.attributes
        where attribute.mapping.values != nil && attribute.mapping.defaultValue != nil
            && attribute.path.elementType == nil
        {
            if let value = Self.value(at: attribute.path, in: attributes), !value.isUnassigned { continue }
            listed.append(attribute.key.lowercased())
            if let kept = Self.value(at: attribute.path, in: current) {
                Self.place(kept, at: attribute.path, into: &result)
            }
        }
        return (result, listed)
    }

    /// The client's spelling of a value-mapped value when it is not the one read back and the map
    /// lists it for the stored value (not for a value replaced by the default); nil otherwise.
    static func spelling(of value: JSONValue?, storedAs stored: SQLValue, map: ValueMap?) -> String? {
        guard let map, case .string(let text)? = value, let entry = map.stored(for: .string(text)),
            entry.text == stored.scalar.text, map.scim(for: stored.scalar)?.text != text
        else { return nil }
        return text
    }

    /// The SCIM form of a stored value; nil when unassigned. `sent` is the client's spelling kept by
    /// ``AttributeMapping/sentValueExtraField``.
    func scimValue(_ stored: SQLValue, attribute: ResolvedAttribute, sent: String? = nil) -> JSONValue? {
        if stored.isNull || stored == .text("") { return nil }
        var scalar = stored.scalar
        if let map = attribute.mapping.values, let found = map.scim(for: scalar) {
            scalar = found
            if let sent, map.stored(for: .string(sent))?.text == stored.scalar.text { scalar = .string(sent) }
        }
        if attribute.isBoolean {
            switch scalar {
            case .bool(let flag): return .bool(flag)
            // Negative states (Chamilo 2.0: -1 expired, -2 deleted) are inactive too.
            case .integer(let number): return .bool(number > 0)
            case .string(let text): return .bool(text == "1" || text.lowercased() == "true")
            default: return nil
            }
        }
        switch attribute.valueDefinition.type {
        case .integer:
            if case .integer(let number) = scalar { return .integer(number) }
        case .decimal:
            if case .decimal(let number) = scalar { return .decimal(number) }
            if case .integer(let number) = scalar { return .decimal(Double(number)) }
        default: break
        }
        return .string(scalar.text)
    }

    /// Puts a value at a path, creating the enclosing objects.
    static func place(_ value: JSONValue, at path: ResolvedAttributePath, into object: inout JSONObject) {
        func put(into container: inout JSONObject) {
            if let sub = path.subAttribute {
                var inner = container[path.name]?.objectValue ?? JSONObject()
                inner[sub] = value
                container[path.name] = .object(inner)
            } else {
                container[path.name] = value
            }
        }
        if let schema = path.extensionSchema {
            var inner = object[schema]?.objectValue ?? JSONObject()
            put(into: &inner)
            object[schema] = .object(inner)
        } else {
            put(into: &object)
        }
    }
}
