import SCIM

/// A mapping key naming one sub-attribute of the element of a multi-valued attribute that has a
/// given `type`, in the syntax of a SCIM PATCH path:
/// ```yaml
/// phoneNumbers[type eq "mobile"].value: { extraField: scim_phone_mobile }
/// addresses[type eq "work"].locality: { extraField: scim_address_locality }
/// ```
/// Each element type gets its own storage; a read assembles the elements back, with their `type`.
struct ElementKey: Sendable, Hashable {
    /// The multi-valued attribute as written (`phoneNumbers`, with its schema URI when one was written).
    var attribute: String
    /// The element's type as written (`mobile`).
    var type: String
    /// The sub-attribute (`value`, `locality`).
    var subAttribute: String

    /// Parses `ATTRIBUTE[type eq "TYPE"].SUBATTRIBUTE`; the failure says what is expected.
    static func parse(_ key: String) -> Result<ElementKey, ElementKeyError> {
        let expected = "expected ATTRIBUTE[type eq \"TYPE\"].SUBATTRIBUTE, e.g. phoneNumbers[type eq \"mobile\"].value"
        let path: PatchPath
        do {
            path = try PatchPath.parse(key)
        } catch {
            return .failure(ElementKeyError(message: expected))
        }
        guard path.attribute.subAttribute == nil, let subAttribute = path.subAttribute,
            case .comparison(let filterPath, .eq, .string(let type))? = path.valueFilter,
            filterPath.schema == nil, filterPath.subAttribute == nil, filterPath.name.lowercased() == "type",
            !type.isEmpty
        else { return .failure(ElementKeyError(message: expected)) }
        var attribute = path.attribute.name
        if let schema = path.attribute.schema { attribute = "\(schema):\(attribute)" }
        return .success(ElementKey(attribute: attribute, type: type, subAttribute: subAttribute))
    }
}

/// Why a mapping key with brackets is not an element key.
struct ElementKeyError: Error, Sendable {
    var message: String
}
