import Foundation
import SCIM

/// Decodes the API's JSON into ``JSONValue``. PHP encodes the same field as a number or a
/// string depending on where it came from (`"12"` from a database row, `12` from an insert), so
/// readers of these values go through the lenient accessors below.
struct ChamiloJSON: Decodable {
    var value: JSONValue

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            value = .null
        } else if let bool = try? container.decode(Bool.self) {
            value = .bool(bool)
        } else if let integer = try? container.decode(Int64.self) {
            value = .integer(integer)
        } else if let decimal = try? container.decode(Double.self) {
            value = .decimal(decimal)
        } else if let string = try? container.decode(String.self) {
            value = .string(string)
        } else if let array = try? container.decode([ChamiloJSON].self) {
            value = .array(array.map(\.value))
        } else {
            let object = try container.decode([String: ChamiloJSON].self)
            value = .object(JSONObject(object.sorted { $0.key < $1.key }.map { ($0.key, $0.value.value) }))
        }
    }

    /// Parses a response body; nil when it is not JSON.
    static func parse(_ bytes: [UInt8]) -> JSONValue? {
        try? JSONDecoder().decode(ChamiloJSON.self, from: Data(bytes)).value
    }
}

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
