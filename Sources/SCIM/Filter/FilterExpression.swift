/// A reference to an attribute as filters, sorting and PATCH paths write it (RFC 7644 §3.10):
/// an optional schema URI, an attribute name and an optional sub-attribute name.
/// Names are stored as written; compare them with ``matches(_:)``, which ignores letter case.
public struct AttributePath: Sendable, Hashable, CustomStringConvertible {
    /// The schema URI when the path was fully qualified (`urn:…:enterprise:2.0:User:employeeNumber`).
    public var schema: String?
    /// The top-level attribute name.
    public var name: String
    /// The sub-attribute name, for `name.givenName`.
    public var subAttribute: String?

    public init(schema: String? = nil, name: String, subAttribute: String? = nil) {
        self.schema = schema
        self.name = name
        self.subAttribute = subAttribute
    }

    /// Whether both paths name the same attribute, ignoring letter case (RFC 7643 §2.1).
    public func matches(_ other: AttributePath) -> Bool {
        schema?.lowercased() == other.schema?.lowercased()
            && name.lowercased() == other.name.lowercased()
            && subAttribute?.lowercased() == other.subAttribute?.lowercased()
    }

    /// The path as a client would write it.
    public var description: String {
        var text = schema.map { "\($0):" } ?? ""
        text += name
        if let subAttribute { text += ".\(subAttribute)" }
        return text
    }
}

/// The comparison operators of RFC 7644 §3.4.2.2 (`pr` is ``FilterExpression/present(_:)``).
public enum ComparisonOperator: String, Sendable, Hashable, CaseIterable {
    case eq, ne, co, sw, ew, gt, ge, lt, le
}

/// A literal on the right of a comparison.
public enum FilterValue: Sendable, Hashable {
    case null
    case bool(Bool)
    case integer(Int64)
    case decimal(Double)
    case string(String)
}

/// A parsed SCIM filter (RFC 7644 §3.4.2.2).
public indirect enum FilterExpression: Sendable, Hashable {
    /// `attrPath op value`.
    case comparison(AttributePath, ComparisonOperator, FilterValue)
    /// `attrPath pr`.
    case present(AttributePath)
    case and(FilterExpression, FilterExpression)
    case or(FilterExpression, FilterExpression)
    case not(FilterExpression)
    /// `emails[type eq "work"]`: the inner filter's paths are relative to the attribute
    /// (its sub-attributes, or `value` for multi-valued simple attributes).
    case valuePath(AttributePath, FilterExpression)
}
