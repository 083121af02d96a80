/// A PATCH that only adds or removes members of a group, by id: what identity providers send to keep
/// groups in step (Okta's `add members` batches and `members[value eq "id"]` removals, Entra's
/// `Remove` with a value list). A backend can apply it as a difference, without reading the group's
/// members.
public struct MemberChanges: Sendable, Hashable {
    /// Member ids to add, in order, each once.
    public var adding: [String]
    /// Member ids to remove, in order, each once; never also in ``adding``.
    public var removing: [String]
}

extension PatchRequest {
    /// The member changes of a request whose every operation is `add` on `members` with member values,
    /// `remove` on `members[value eq "id"]`, or `remove` on `members` with member values; applied in
    /// order (a later operation on the same id wins). `nil` for anything else (a replace, a remove of
    /// all members, other attributes, nested groups, malformed values), which the PATCH engine handles.
    public func memberChanges() -> MemberChanges? {
        var adding: [String] = []
        var removing: [String] = []
        var added = Set<String>()
        var removed = Set<String>()
        for operation in operations {
            guard let path = operation.path, path.attribute.name.lowercased() == "members",
                path.attribute.subAttribute == nil, path.subAttribute == nil,
                path.attribute.schema.map({ $0.lowercased() == SCIMSchemaURI.group.lowercased() }) ?? true
            else { return nil }
            let ids: [String]
            switch operation.op {
            case .add:
                guard path.valueFilter == nil, let values = Self.memberIDs(operation.value), !values.isEmpty else {
                    return nil
                }
                ids = values
            case .remove:
                if let filter = path.valueFilter {
                    guard operation.value.map(\.isUnassigned) ?? true,
                        case .comparison(let attribute, .eq, let value) = filter,
                        attribute.name.lowercased() == "value", attribute.subAttribute == nil, attribute.schema == nil
                    else { return nil }
                    switch value {
                    case .string(let text): ids = [text]
                    case .integer(let number): ids = [String(number)]
                    default: return nil
                    }
                } else {
                    guard let values = Self.memberIDs(operation.value), !values.isEmpty else { return nil }
                    ids = values
                }
            case .replace:
                return nil
            }
            for id in ids {
                if operation.op == .add {
                    if removed.remove(id) != nil { removing.removeAll { $0 == id } }
                    if added.insert(id).inserted { adding.append(id) }
                } else {
                    if added.remove(id) != nil { adding.removeAll { $0 == id } }
                    if removed.insert(id).inserted { removing.append(id) }
                }
            }
        }
        return MemberChanges(adding: adding, removing: removing)
    }

    /// The ids of a member value: a list of `{value, $ref?, type?, display?}` objects or one such
    /// object; nil when an element is anything else or names a nested group.
    private static func memberIDs(_ value: JSONValue?) -> [String]? {
        let elements: [JSONValue]
        switch value {
        case .array(let values)?: elements = values
        case .object?: elements = [value ?? .null]
        default: return nil
        }
        var ids: [String] = []
        for element in elements {
            guard let object = element.objectValue else { return nil }
            for (key, _) in object where !["value", "$ref", "type", "display"].contains(key.lowercased()) {
                return nil
            }
            if let type = object[caseInsensitive: "type"], !type.isUnassigned {
                guard type.stringValue?.lowercased() == "user" else { return nil }
            }
            switch object[caseInsensitive: "value"] {
            case .string(let text)?: ids.append(text)
            case .integer(let number)?: ids.append(String(number))
            default: return nil
            }
        }
        return ids
    }
}
