/// A JSON value as SCIM sees it: numbers keep the distinction between integers and decimals,
/// objects keep their key order.
public enum JSONValue: Sendable, Hashable {
    case null
    case bool(Bool)
    case integer(Int64)
    case decimal(Double)
    case string(String)
    case array([JSONValue])
    case object(JSONObject)

    /// The string, when this is a string.
    public var stringValue: String? {
        if case .string(let value) = self { return value }
        return nil
    }

    /// The object, when this is an object.
    public var objectValue: JSONObject? {
        if case .object(let value) = self { return value }
        return nil
    }

    /// The elements, when this is an array.
    public var arrayValue: [JSONValue]? {
        if case .array(let value) = self { return value }
        return nil
    }

    /// The Boolean, when this is a Boolean.
    public var boolValue: Bool? {
        if case .bool(let value) = self { return value }
        return nil
    }

    /// Whether this is `null`, an empty array or an empty object: RFC 7643 §2.5 treats them as unassigned.
    public var isUnassigned: Bool {
        switch self {
        case .null: return true
        case .array(let values): return values.isEmpty
        case .object(let object): return object.isEmpty
        default: return false
        }
    }
}

/// A JSON object whose keys keep their order. Look-ups by ``subscript(caseInsensitive:)`` follow
/// RFC 7643 §2.1: attribute names are case-insensitive.
public struct JSONObject: Sendable, Hashable, Sequence, ExpressibleByDictionaryLiteral {
    /// The members in order.
    public private(set) var members: [(key: String, value: JSONValue)]

    /// An empty object.
    public init() {
        self.members = []
    }

    /// An object with these members; a later duplicate key replaces the earlier value.
    public init(_ members: [(String, JSONValue)]) {
        self.members = []
        for (key, value) in members {
            self[key] = value
        }
    }

    /// An object from members whose keys are already known to be distinct (the JSON parser
    /// removes duplicates itself in linear time); skips the per-key look-up of ``init(_:)``.
    init(distinctMembers members: [(key: String, value: JSONValue)]) {
        self.members = members
    }

    public init(dictionaryLiteral elements: (String, JSONValue)...) {
        self.init(elements)
    }

    /// The number of members.
    public var count: Int { members.count }

    /// Whether the object has no members.
    public var isEmpty: Bool { members.isEmpty }

    /// The keys in order.
    public var keys: [String] { members.map(\.key) }

    /// The value under exactly this key; setting `nil` removes the member.
    public subscript(key: String) -> JSONValue? {
        get { members.first { $0.key == key }?.value }
        set {
            let index = members.firstIndex { $0.key == key }
            switch (index, newValue) {
            case (let index?, let value?): members[index].value = value
            case (let index?, nil): members.remove(at: index)
            case (nil, let value?): members.append((key, value))
            case (nil, nil): break
            }
        }
    }

    /// The value under a key compared without regard to letter case; setting replaces the member
    /// in place (keeping the stored key) or, when absent, appends it under the given key.
    public subscript(caseInsensitive key: String) -> JSONValue? {
        get { members.first { $0.key.lowercased() == key.lowercased() }?.value }
        set {
            let lowered = key.lowercased()
            let index = members.firstIndex { $0.key.lowercased() == lowered }
            switch (index, newValue) {
            case (let index?, let value?): members[index].value = value
            case (let index?, nil): members.remove(at: index)
            case (nil, let value?): members.append((key, value))
            case (nil, nil): break
            }
        }
    }

    /// The key as stored, found without regard to letter case.
    public func storedKey(caseInsensitive key: String) -> String? {
        let lowered = key.lowercased()
        return members.first { $0.key.lowercased() == lowered }?.key
    }

    public func makeIterator() -> IndexingIterator<[(key: String, value: JSONValue)]> {
        members.makeIterator()
    }

    public static func == (lhs: JSONObject, rhs: JSONObject) -> Bool {
        guard lhs.members.count == rhs.members.count else { return false }
        for (key, value) in lhs.members where rhs[key] != value {
            return false
        }
        return true
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(members.count)
        for (key, value) in members.sorted(by: { $0.key < $1.key }) {
            hasher.combine(key)
            hasher.combine(value)
        }
    }
}
