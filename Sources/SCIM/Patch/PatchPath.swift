/// The target of a PATCH operation (RFC 7644 §3.5.2): `PATH = attrPath / valuePath [subAttr]`,
/// e.g. `displayName`, `name.givenName`, `members[value eq "2819c223"]`,
/// `emails[type eq "work"].value` or `urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager`.
public struct PatchPath: Sendable, Hashable, CustomStringConvertible {
    /// The attribute (with its sub-attribute when no filter follows, as in `name.givenName`).
    public var attribute: AttributePath
    /// The value filter in brackets, whose paths name sub-attributes of ``attribute``.
    public var valueFilter: FilterExpression?
    /// The sub-attribute after the filter, `value` in `emails[type eq "work"].value`.
    public var subAttribute: String?

    public init(attribute: AttributePath, valueFilter: FilterExpression? = nil, subAttribute: String? = nil) {
        self.attribute = attribute
        self.valueFilter = valueFilter
        self.subAttribute = subAttribute
    }

    /// The path as a client would write it, in canonical filter text.
    public var description: String {
        var text = attribute.description
        if let valueFilter { text += "[\(valueFilter)]" }
        if let subAttribute { text += ".\(subAttribute)" }
        return text
    }

    /// Parses a PATCH path.
    /// - Throws: ``SCIMError`` `invalidPath` naming the offset and what was expected.
    public static func parse(_ text: String) throws -> PatchPath {
        try parseTyped(text)
    }

    static func parseTyped(_ text: String) throws(SCIMError) -> PatchPath {
        let scalars = Array(text.unicodeScalars)
        guard let open = scalars.firstIndex(of: "[") else {
            switch AttributePath.scan(text) {
            case .success(let path): return PatchPath(attribute: path)
            case .failure(let failure): throw invalid(text, "at offset \(failure.offset): \(failure.reason)")
            }
        }
        guard let close = closingBracket(in: scalars, after: open) else {
            throw invalid(text, "no ']' closes the '[' at offset \(open)")
        }
        let filterText = String(String.UnicodeScalarView(scalars[...close]))
        let expression: FilterExpression
        do {
            expression = try FilterParser.parseTyped(filterText, limits: FilterLimits())
        } catch {
            throw SCIMError.invalidPath("Invalid path '\(text.truncatedForDetail)': \(error.detail)")
        }
        guard case .valuePath(let attribute, let filter) = expression else {
            throw invalid(text, "expected an attribute followed by a value filter in brackets")
        }
        let rest = Array(scalars[(close + 1)...])
        guard let first = rest.first else { return PatchPath(attribute: attribute, valueFilter: filter) }
        guard first == "." else {
            throw invalid(text, "at offset \(close + 1): expected '.' and a sub-attribute or the end of the path")
        }
        let name = String(String.UnicodeScalarView(rest.dropFirst()))
        guard case .success(let sub) = AttributePath.scan(name), sub.schema == nil, sub.subAttribute == nil else {
            throw invalid(text, "at offset \(close + 2): expected a sub-attribute name")
        }
        return PatchPath(attribute: attribute, valueFilter: filter, subAttribute: sub.name)
    }

    /// The first `]` after `open` outside a JSON string.
    private static func closingBracket(in scalars: [Unicode.Scalar], after open: Int) -> Int? {
        var inString = false
        var index = open + 1
        while index < scalars.count {
            let scalar = scalars[index]
            if inString {
                if scalar == "\\" {
                    index += 1
                } else if scalar == "\"" {
                    inString = false
                }
            } else if scalar == "\"" {
                inString = true
            } else if scalar == "]" {
                return index
            }
            index += 1
        }
        return nil
    }

    private static func invalid(_ text: String, _ reason: String) -> SCIMError {
        SCIMError.invalidPath("Invalid path '\(text.truncatedForDetail)' \(reason).")
    }
}
