extension AttributeProjection {
    /// Resolves every name of one parameter against the resource type's schemas.
    static func selection(
        of names: [String],
        parameter: String,
        resourceType: SCIMResourceType
    ) throws -> Selection {
        var selection = Selection()
        for name in names where !name.isEmpty {
            try validate(name, parameter: parameter)
            resolve(name, resourceType: resourceType, into: &selection)
        }
        return selection
    }

    /// Attribute notation (RFC 7644 §3.10): letters, digits, `-`, `_`, `$`, and `:` and `.` as
    /// separators, with at most one sub-attribute level after any schema URI.
    private static func validate(_ name: String, parameter: String) throws {
        let allowed = name.utf8.allSatisfy { byte in
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "$"),
                UInt8(ascii: "."), UInt8(ascii: ":"):
                return true
            default:
                return false
            }
        }
        let path = name.split(separator: ":", omittingEmptySubsequences: false).last ?? ""
        let segments = path.split(separator: ".", omittingEmptySubsequences: false)
        guard allowed, segments.count <= 2, segments.allSatisfy({ !$0.isEmpty }) else {
            throw SCIMError.invalidValue("\(parameter) contains a name that is not an attribute path: \(name)")
        }
    }

    private static func resolve(_ name: String, resourceType: SCIMResourceType, into selection: inout Selection) {
        let lowered = name.lowercased()
        let coreURI = resourceType.schema.id.lowercased()
        let schemas: [(uri: String, schema: SCIMSchema, isCore: Bool)] =
            [(coreURI, resourceType.schema, true)]
            + resourceType.extensions.map { ($0.schema.id.lowercased(), $0.schema, false) }

        // The longest URI that is the whole name or a prefix followed by ':' wins, so an
        // extension URI that extends the core URI is never mistaken for a core attribute.
        for candidate in schemas.sorted(by: { $0.uri.count > $1.uri.count }) {
            if lowered == candidate.uri {
                if !candidate.isCore { selection.extensions.insert(candidate.uri) }
                return
            }
            guard lowered.hasPrefix(candidate.uri + ":") else { continue }
            let path = String(lowered.dropFirst(candidate.uri.count + 1))
            let (attribute, subAttribute) = split(path)
            let definition =
                candidate.schema.attribute(named: attribute)
                ?? (candidate.isCore ? commonAttribute(named: attribute) : nil)
            guard let definition, isKnown(subAttribute, of: definition) else { return }
            selection.insert(
                AttributeKey(container: candidate.isCore ? "" : candidate.uri, name: attribute),
                subAttribute: subAttribute
            )
            return
        }
        guard !lowered.hasPrefix("urn:") else { return }

        let (attribute, subAttribute) = split(lowered)
        if let definition = resourceType.schema.attribute(named: attribute) ?? commonAttribute(named: attribute) {
            guard isKnown(subAttribute, of: definition) else { return }
            selection.insert(AttributeKey(container: "", name: attribute), subAttribute: subAttribute)
            return
        }
        // Unqualified names of extension attributes are accepted as many clients write them.
        for candidate in schemas where !candidate.isCore {
            guard let definition = candidate.schema.attribute(named: attribute) else { continue }
            guard isKnown(subAttribute, of: definition) else { return }
            selection.insert(AttributeKey(container: candidate.uri, name: attribute), subAttribute: subAttribute)
            return
        }
        // Not in any schema: it can only match a member the schema does not define.
        selection.insert(AttributeKey(container: "", name: attribute), subAttribute: subAttribute)
    }

    private static func split(_ path: String) -> (String, String?) {
        guard let dot = path.firstIndex(of: ".") else { return (path, nil) }
        return (String(path[..<dot]), String(path[path.index(after: dot)...]))
    }

    private static func isKnown(_ subAttribute: String?, of definition: SCIMAttribute) -> Bool {
        guard let subAttribute else { return true }
        return definition.subAttribute(named: subAttribute) != nil
    }
}
