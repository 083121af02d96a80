/// Which attributes a response carries (RFC 7644 §3.4.2.5 and §3.9) given the `returned`
/// characteristic of each attribute (RFC 7643 §7):
///
/// - `always` is returned whatever the request says (`id`, `schemas`);
/// - `never` is never returned (`password`);
/// - `request` only when named in `attributes`;
/// - `default` unless `attributes` is given without it, or `excludedAttributes` names it.
///
/// Names may be sub-attributes (`name.givenName`, `meta.lastModified`), URN-qualified
/// (`urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department`) or a whole extension
/// URI; they are compared without regard to letter case. Names the schema does not define are
/// ignored, as RFC 7644 asks.
public struct AttributeProjection: Sendable {
    /// A top-level attribute: its container (empty for core and common attributes, otherwise the
    /// lowercased extension URI) and its lowercased name.
    struct AttributeKey: Sendable, Hashable {
        var container: String
        var name: String
    }

    /// What a request names of one attribute.
    enum Part: Sendable, Hashable {
        case whole
        case subAttributes(Set<String>)
    }

    /// The attributes named by one parameter.
    struct Selection: Sendable {
        var extensions: Set<String> = []
        var attributes: [AttributeKey: Part] = [:]

        var isEmpty: Bool { extensions.isEmpty && attributes.isEmpty }

        mutating func insert(_ key: AttributeKey, subAttribute: String?) {
            guard let subAttribute else {
                attributes[key] = .whole
                return
            }
            switch attributes[key] {
            case .whole?: return
            case .subAttributes(let names)?: attributes[key] = .subAttributes(names.union([subAttribute]))
            case nil: attributes[key] = .subAttributes([subAttribute])
            }
        }
    }

    let resourceType: SCIMResourceType
    /// `nil` when the request has no `attributes` parameter, so the default set applies.
    let included: Selection?
    let excluded: Selection

    /// A projection for one resource type.
    ///
    /// - Throws: 400 `invalidValue` when a name is not in attribute notation (it holds spaces,
    ///   brackets, quotes or more than one sub-attribute level). Well-formed names the schema
    ///   does not define are ignored.
    public init(attributes: [String], excludedAttributes: [String], resourceType: SCIMResourceType) throws {
        self.resourceType = resourceType
        let included = try Self.selection(of: attributes, parameter: "attributes", resourceType: resourceType)
        self.included = included.isEmpty && attributes.allSatisfy(\.isEmpty) ? nil : included
        self.excluded = try Self.selection(
            of: excludedAttributes,
            parameter: "excludedAttributes",
            resourceType: resourceType
        )
    }

    /// Splits a comma-separated parameter value (`userName,name.givenName`) into names, without
    /// surrounding white space and without empty entries.
    public static func parseList(_ text: String) -> [String] {
        text.split(separator: ",").compactMap { part in
            guard let first = part.firstIndex(where: { !$0.isWhitespace }),
                let last = part.lastIndex(where: { !$0.isWhitespace })
            else { return nil }
            return String(part[first...last])
        }
    }

    /// The resource as the response carries it: members in their original order, attributes
    /// removed according to the rules above, an extension removed (with its `schemas` entry) when
    /// nothing of it remains.
    public func apply(to resource: JSONObject) -> JSONObject {
        var output = JSONObject()
        var droppedExtensions: Set<String> = []
        for (key, value) in resource {
            let lowered = key.lowercased()
            if lowered == "schemas" {
                output[key] = value
                continue
            }
            if let schema = resourceType.extensionSchema(key) {
                if case .object(let members) = value {
                    let projected = project(members, schema: schema)
                    if projected.isEmpty {
                        droppedExtensions.insert(lowered)
                    } else {
                        output[key] = .object(projected)
                    }
                } else {
                    droppedExtensions.insert(lowered)
                }
                continue
            }
            let definition = resourceType.schema.attribute(named: key) ?? Self.commonAttribute(named: key)
            let projected = project(
                value,
                definition: definition,
                key: AttributeKey(container: "", name: lowered),
                extensionIncluded: false,
                extensionExcluded: false
            )
            if let projected { output[key] = projected }
        }
        if !droppedExtensions.isEmpty, case .array(let schemas)? = output["schemas"] {
            output["schemas"] = .array(
                schemas.filter { schema in
                    guard case .string(let uri) = schema else { return true }
                    return !droppedExtensions.contains(uri.lowercased())
                }
            )
        }
        return output
    }

    private func project(_ members: JSONObject, schema: SCIMSchema) -> JSONObject {
        let container = schema.id.lowercased()
        var output = JSONObject()
        for (key, value) in members {
            let projected = project(
                value,
                definition: schema.attribute(named: key),
                key: AttributeKey(container: container, name: key.lowercased()),
                extensionIncluded: included?.extensions.contains(container) ?? false,
                extensionExcluded: excluded.extensions.contains(container)
            )
            if let projected { output[key] = projected }
        }
        return output
    }

    /// One attribute's projected value, or `nil` when it is left out.
    private func project(
        _ value: JSONValue,
        definition: SCIMAttribute?,
        key: AttributeKey,
        extensionIncluded: Bool,
        extensionExcluded: Bool
    ) -> JSONValue? {
        let returned = definition?.returned ?? .default
        switch returned {
        case .never:
            return nil
        case .always:
            let requested: Set<String>
            if case .subAttributes(let names)? = included?.attributes[key] { requested = names } else { requested = [] }
            return Self.keepingSubAttributes(of: value, definition: definition) { name, returned in
                switch returned {
                case .never: return false
                case .request: return requested.contains(name)
                case .always, .default: return true
                }
            }
        case .default, .request:
            break
        }
        let exclusion = excluded.attributes[key]
        if exclusion == .whole || extensionExcluded { return nil }
        let excludedNames: Set<String>
        if case .subAttributes(let names)? = exclusion { excludedNames = names } else { excludedNames = [] }

        let inclusion: Part
        if let included {
            guard let part = included.attributes[key] ?? (extensionIncluded ? .whole : nil) else { return nil }
            inclusion = part
        } else {
            guard returned == .default else { return nil }
            inclusion = .whole
        }
        return Self.keepingSubAttributes(of: value, definition: definition) { name, returned in
            switch returned {
            case .never: return false
            case .always: return true
            case .default, .request:
                if excludedNames.contains(name) { return false }
                switch inclusion {
                case .whole: return returned == .default
                case .subAttributes(let names): return names.contains(name)
                }
            }
        }
    }

    /// The value with only the sub-attributes `keep` accepts (given the lowercased name and its
    /// `returned`). A complex value left empty, or a multi-valued one whose elements all ended
    /// empty, is left out.
    private static func keepingSubAttributes(
        of value: JSONValue,
        definition: SCIMAttribute?,
        keep: (String, SCIMAttribute.Returned) -> Bool
    ) -> JSONValue? {
        func filtered(_ object: JSONObject) -> JSONObject {
            var output = JSONObject()
            for (name, member) in object {
                let returned = definition?.subAttribute(named: name)?.returned ?? .default
                if keep(name.lowercased(), returned) { output[name] = member }
            }
            return output
        }
        switch value {
        case .object(let object):
            let kept = filtered(object)
            return kept.isEmpty && !object.isEmpty ? nil : .object(kept)
        case .array(let elements):
            var kept: [JSONValue] = []
            kept.reserveCapacity(elements.count)
            for element in elements {
                guard case .object(let object) = element else {
                    kept.append(element)
                    continue
                }
                let remaining = filtered(object)
                if !remaining.isEmpty || object.isEmpty { kept.append(.object(remaining)) }
            }
            return kept.isEmpty && !elements.isEmpty ? nil : .array(kept)
        default:
            return value
        }
    }

    static func commonAttribute(named name: String) -> SCIMAttribute? {
        let lowered = name.lowercased()
        return SCIMAttribute.commonAttributes.first { $0.name.lowercased() == lowered }
    }
}
