/// The prefix of a reference to a resource created earlier in the same bulk request.
private let bulkIdPrefix = "bulkId:"

/// Replaces every string of the form `bulkId:<id>` anywhere in a value (object members, array
/// elements, nested to any depth) with the resource id the map gives for `<id>`
/// (RFC 7644 §3.7.2). A string whose id is not in the map is left as it is, and its id is
/// reported in `unresolved` (each id once, in order of first appearance), so the caller can
/// defer the operation or fail it with `invalidValue`.
public func resolvingBulkIds(in value: JSONValue, using map: [String: String]) -> (JSONValue, unresolved: [String]) {
    var unresolved: [String] = []
    var seen: Set<String> = []
    let resolved = resolve(value, map: map) { bulkId in
        if seen.insert(bulkId).inserted { unresolved.append(bulkId) }
    }
    return (resolved, unresolved)
}

/// The ids of every `bulkId:<id>` reference in a value, each once, in order of first appearance.
public func bulkIdReferences(in value: JSONValue) -> [String] {
    resolvingBulkIds(in: value, using: [:]).unresolved
}

private func resolve(_ value: JSONValue, map: [String: String], unresolved: (String) -> Void) -> JSONValue {
    switch value {
    case .string(let text):
        guard text.hasPrefix(bulkIdPrefix) else { return value }
        let bulkId = String(text.dropFirst(bulkIdPrefix.count))
        guard let id = map[bulkId] else {
            unresolved(bulkId)
            return value
        }
        return .string(id)
    case .array(let elements):
        return .array(elements.map { resolve($0, map: map, unresolved: unresolved) })
    case .object(let object):
        // Keys are already distinct, so the members are rebuilt in one linear pass.
        let members = object.members.map { member in
            (key: member.key, value: resolve(member.value, map: map, unresolved: unresolved))
        }
        return .object(JSONObject(distinctMembers: members))
    default:
        return value
    }
}

extension BulkOperation {
    /// The operation with `bulkId:` references resolved in its data and in its path's segments
    /// (`/Groups/bulkId:qwerty`), and the ids that the map could not resolve.
    public func resolvingBulkIds(using map: [String: String]) -> (BulkOperation, unresolved: [String]) {
        var copy = self
        var unresolved: [String] = []
        let segments = path.split(separator: "/", omittingEmptySubsequences: false).map { segment in
            let (resolved, missing) = SCIM.resolvingBulkIds(in: .string(String(segment)), using: map)
            unresolved += missing
            return resolved.stringValue ?? String(segment)
        }
        copy.path = segments.joined(separator: "/")
        if let data {
            let (resolved, missing) = SCIM.resolvingBulkIds(in: data, using: map)
            copy.data = resolved
            unresolved += missing.filter { !unresolved.contains($0) }
        }
        return (copy, unresolved)
    }
}
