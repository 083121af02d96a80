/// Turns a stored ``ResourceRecord`` into the JSON a SCIM client sees.
///
/// The output order is fixed: `schemas`, `id`, `externalId`, core attributes in schema order
/// (sub-attributes too), members the schema does not define, extensions in the resource type's
/// order, `meta`. Attribute names take the schema's spelling. Attributes whose `returned` is
/// `never` (`password`) and `null` members are never output.
public struct ResourceRenderer: Sendable {
    /// The resource type rendered (its schema may be restricted to what a tenant stores).
    public var resourceType: SCIMResourceType
    /// The SCIM base URL the client used, without a trailing slash, e.g.
    /// `https://sso.example.org/scim/v2`; `meta.location` is built from it.
    public var baseURL: String

    /// A renderer for one resource type and base URL.
    public init(resourceType: SCIMResourceType, baseURL: String) {
        self.resourceType = resourceType
        var base = baseURL
        while base.hasSuffix("/") { base.removeLast() }
        self.baseURL = base
    }

    /// The URL of a resource: base URL, endpoint and the percent-encoded id.
    public func location(of id: String) -> String {
        baseURL + resourceType.endpoint + "/" + Self.percentEncoded(id)
    }

    /// The resource as a client sees it.
    public func render(_ record: ResourceRecord) -> JSONObject {
        let attributes = record.attributes
        var extensionValues: [(uri: String, value: JSONObject)] = []
        for declared in resourceType.extensions {
            guard case .object(let members)? = attributes[caseInsensitive: declared.schema.id] else { continue }
            let ordered = ordered(members, schema: declared.schema)
            if !ordered.isEmpty { extensionValues.append((declared.schema.id, ordered)) }
        }

        var output = JSONObject()
        output["schemas"] = .array(([resourceType.schema.id] + extensionValues.map(\.uri)).map(JSONValue.string))
        output["id"] = .string(record.id)
        if let externalId = attributes[caseInsensitive: "externalId"], externalId != .null {
            output["externalId"] = externalId
        }
        for (key, value) in ordered(attributes, schema: resourceType.schema) {
            output[key] = key == "members" || key == "groups" ? withReferences(value, defaultType: key) : value
        }
        for (uri, value) in extensionValues {
            output[uri] = .object(value)
        }
        output["meta"] = .object(meta(of: record))
        return output
    }

    /// Members and groups carry `$ref`, the URL of the resource each element names (RFC 7643 §4.2).
    private func withReferences(_ value: JSONValue, defaultType attribute: String) -> JSONValue {
        guard case .array(let elements) = value else { return value }
        return .array(
            elements.map { element in
                guard case .object(var object) = element, object[caseInsensitive: "$ref"] == nil,
                    let id = object[caseInsensitive: "value"]?.stringValue
                else { return element }
                let type = object[caseInsensitive: "type"]?.stringValue ?? (attribute == "groups" ? "Group" : "User")
                let endpoint = type.lowercased() == "group" || attribute == "groups" ? "/Groups/" : "/Users/"
                object["$ref"] = .string(baseURL + endpoint + Self.percentEncoded(id))
                return .object(object)
            }
        )
    }

    private func meta(of record: ResourceRecord) -> JSONObject {
        var meta: JSONObject = ["resourceType": .string(resourceType.name)]
        if let created = record.created {
            meta["created"] = .string(SCIMDateTime.format(created))
        }
        if let lastModified = record.lastModified ?? record.created {
            meta["lastModified"] = .string(SCIMDateTime.format(lastModified))
        }
        meta["location"] = .string(location(of: record.id))
        meta["version"] = .string(record.etag)
        return meta
    }

    /// The schema's attributes in schema order under their canonical names, then the members
    /// the schema does not define, leaving out the members the renderer writes itself.
    private func ordered(_ members: JSONObject, schema: SCIMSchema) -> JSONObject {
        var output = JSONObject()
        var consumed: Set<String> = ["id", "externalid", "meta", "schemas", "password"]
        for declared in resourceType.extensions { consumed.insert(declared.schema.id.lowercased()) }
        for attribute in schema.attributes {
            let lowered = attribute.name.lowercased()
            guard !consumed.contains(lowered) else { continue }
            consumed.insert(lowered)
            guard attribute.returned != .never, let value = members[caseInsensitive: attribute.name] else { continue }
            if let rendered = Self.rendered(value, definition: attribute) {
                output[attribute.name] = rendered
            }
        }
        for (key, value) in members where !consumed.contains(key.lowercased()) && value != .null {
            output[key] = value
        }
        return output
    }

    /// A value with its sub-attributes in schema order and without `never` or `null` members.
    private static func rendered(_ value: JSONValue, definition: SCIMAttribute) -> JSONValue? {
        switch value {
        case .null:
            return nil
        case .object(let object) where !definition.subAttributes.isEmpty:
            let ordered = orderedSubAttributes(object, definition: definition)
            return ordered.isEmpty && !object.isEmpty ? nil : .object(ordered)
        case .array(let elements) where !definition.subAttributes.isEmpty:
            return .array(
                elements.compactMap { element in
                    guard case .object(let object) = element else { return element == .null ? nil : element }
                    return .object(orderedSubAttributes(object, definition: definition))
                }
            )
        default:
            return value
        }
    }

    private static func orderedSubAttributes(_ object: JSONObject, definition: SCIMAttribute) -> JSONObject {
        var output = JSONObject()
        var consumed: Set<String> = []
        for sub in definition.subAttributes {
            let lowered = sub.name.lowercased()
            consumed.insert(lowered)
            guard sub.returned != .never, let value = object[caseInsensitive: sub.name], value != .null else {
                continue
            }
            output[sub.name] = value
        }
        for (key, value) in object where !consumed.contains(key.lowercased()) && value != .null {
            output[key] = value
        }
        return output
    }

    private static func percentEncoded(_ text: String) -> String {
        var output = ""
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"),
                UInt8(ascii: "~"):
                output.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                let hex = String(byte, radix: 16, uppercase: true)
                output += "%" + (hex.count == 1 ? "0" + hex : hex)
            }
        }
        return output
    }
}
