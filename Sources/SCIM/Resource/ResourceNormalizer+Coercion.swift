import Foundation

extension ResourceNormalizer {
    /// A value converted to an attribute's declared type, as clients really send it:
    /// `"True"`/`"False"` strings become booleans, a single value of a multi-valued attribute
    /// becomes a one-element array, a plain string where a complex value with a `value`
    /// sub-attribute is expected becomes `{"value": …}` (Entra's `manager`), so does a one-element list
    /// where a single complex value is expected (Entra's `[{"$ref": null, "value": …}]`), and JSON-encoded
    /// strings where objects are expected are decoded (Entra's `roles`). Sub-attribute names
    /// become canonical; unknown and read-only sub-attributes and null members are dropped.
    /// `null` stays `null` (unassigned).
    /// - Parameter path: the attribute's path, for error details.
    /// - Throws: ``SCIMError`` `invalidValue` naming the attribute.
    public func coerce(_ value: JSONValue, for attribute: SCIMAttribute, path: String) throws -> JSONValue {
        var dropped: [String] = []
        return try coerce(value, for: attribute, path: path, dropped: &dropped)
    }

    func coerce(
        _ value: JSONValue,
        for attribute: SCIMAttribute,
        path: String,
        dropped: inout [String]
    ) throws(SCIMError) -> JSONValue {
        if value == .null { return .null }
        guard attribute.multiValued else {
            // Entra sends the single-valued `manager` as a one-element list too: `[{"$ref": null, "value": "id"}]`.
            if attribute.type == .complex, case .array(let values) = value {
                let present = values.filter { $0 != .null }
                guard present.count <= 1 else { throw Self.typeError(path, "a single JSON object, not a list") }
                guard let only = present.first else { return .null }
                return try coerceSingle(only, for: attribute, path: path, dropped: &dropped)
            }
            return try coerceSingle(value, for: attribute, path: path, dropped: &dropped)
        }
        var elements: [JSONValue]
        switch value {
        case .array(let values):
            elements = values
        case .string(let text) where attribute.type == .complex:
            if case .array(let decoded)? = Self.decodeEmbeddedJSON(text) {
                elements = decoded
            } else {
                elements = [value]
            }
        default:
            elements = [value]
        }
        var result: [JSONValue] = []
        var seen = Set<JSONValue>()
        for element in elements {
            let coerced = try coerceSingle(element, for: attribute, path: path, dropped: &dropped)
            // A set, not a scan of what was kept: a Group of 50,000 members is linear, not quadratic.
            if coerced.isUnassigned == false, seen.insert(coerced).inserted { result.append(coerced) }
        }
        return .array(result)
    }

    /// One value (an element, for a multi-valued attribute) of the attribute's type.
    func coerceSingle(
        _ value: JSONValue,
        for attribute: SCIMAttribute,
        path: String,
        dropped: inout [String]
    ) throws(SCIMError) -> JSONValue {
        switch (attribute.type, value) {
        case (_, .null):
            return .null
        case (.complex, .object(let object)):
            var result = JSONObject()
            for (key, member) in object {
                guard let sub = attribute.subAttribute(named: key) else {
                    // A null member carries nothing to drop (Entra's `"$ref": null`).
                    if member != .null { dropped.append("\(path).\(key)") }
                    continue
                }
                if sub.mutability == .readOnly { continue }
                let coerced = try coerce(member, for: sub, path: "\(path).\(sub.name)", dropped: &dropped)
                result.setCanonical(sub.name, coerced)
            }
            return .object(result)
        case (.complex, .string(let text)):
            if case .object(let decoded)? = Self.decodeEmbeddedJSON(text) {
                return try coerceSingle(.object(decoded), for: attribute, path: path, dropped: &dropped)
            }
            if let valueAttribute = attribute.subAttribute(named: "value") {
                return .object([
                    valueAttribute.name: try coerceSingle(
                        value,
                        for: valueAttribute,
                        path: "\(path).value",
                        dropped: &dropped
                    )
                ])
            }
            throw Self.typeError(path, "a JSON object")
        case (.complex, _):
            throw Self.typeError(path, "a JSON object")
        case (.boolean, .bool):
            return value
        case (.boolean, .string(let text)):
            switch text.lowercased() {
            case "true": return .bool(true)
            case "false": return .bool(false)
            default: throw Self.typeError(path, "a boolean")
            }
        case (.boolean, _):
            throw Self.typeError(path, "a boolean")
        case (.integer, .integer):
            return value
        case (.integer, .decimal(let number)):
            guard number.rounded() == number, let integer = Int64(exactly: number) else {
                throw Self.typeError(path, "an integer")
            }
            return .integer(integer)
        case (.integer, _):
            throw Self.typeError(path, "an integer")
        case (.decimal, .decimal):
            return value
        case (.decimal, .integer(let number)):
            return .decimal(Double(number))
        case (.decimal, _):
            throw Self.typeError(path, "a number")
        case (.dateTime, .string(let text)):
            guard SCIMDateTime.instant(text) != nil else {
                throw SCIMError.invalidValue(
                    "The attribute '\(path)' must be a dateTime such as 2024-01-31T12:00:00Z, not '\(text.truncatedForDetail)'."
                )
            }
            return value
        case (.dateTime, _):
            throw Self.typeError(path, "a dateTime string")
        case (.string, .string), (.reference, .string), (.binary, .string):
            return value
        case (.string, _), (.reference, _), (.binary, _):
            throw Self.typeError(path, "a string")
        }
    }

    private static func typeError(_ path: String, _ expected: String) -> SCIMError {
        SCIMError.invalidValue("The attribute '\(path)' must be \(expected).")
    }

    /// A JSON document carried inside a string (`"[{\"value\":\"Admin\"}]"`), or `nil` when the
    /// string is not one. Only strings that start with `{` or `[` are tried, with the parser's nesting limit.
    static func decodeEmbeddedJSON(_ text: String) -> JSONValue? {
        let trimmed = text.drop { $0 == " " || $0 == "\n" || $0 == "\t" || $0 == "\r" }
        guard trimmed.first == "{" || trimmed.first == "[" else { return nil }
        return try? JSONValue.parse(text)
    }
}
