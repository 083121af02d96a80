import SCIM

/// Readers of the API's JSON. PHP encodes the same field as a number or a string depending on where it
/// came from (`"12"` from a database row, `12` from an insert), so readers go through these lenient
/// accessors.
extension JSONValue {
    /// The value as text, whether PHP sent it as a string or a number.
    var chamiloText: String? {
        switch self {
        case .string(let text): return text
        case .integer(let number): return String(number)
        case .decimal(let number): return Int64(exactly: number).map { String($0) } ?? String(number)
        case .bool(let flag): return flag ? "1" : "0"
        default: return nil
        }
    }

    /// The value as a flag: `true`, `1` and `"1"` are true.
    var chamiloFlag: Bool? {
        switch self {
        case .bool(let flag): return flag
        case .integer(let number): return number != 0
        case .string(let text): return Int(text).map { $0 != 0 } ?? (text.lowercased() == "true")
        default: return nil
        }
    }

    /// The elements of a PHP array, whether it was encoded as a JSON list or, with non-sequential
    /// keys, as a JSON object (PHP's `[]` is a list even where a map is meant).
    var chamiloElements: [JSONValue] {
        switch self {
        case .array(let values): return values
        case .object(let object): return object.map(\.value)
        default: return []
        }
    }
}
