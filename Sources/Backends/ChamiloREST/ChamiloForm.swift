/// The body of one call to the Chamilo REST API: form fields in order, encoded as
/// `application/x-www-form-urlencoded`, which is how `v2.php` reads its parameters (`$_POST`).
struct ChamiloForm: Sendable, Hashable {
    /// The fields in the order they are sent.
    private(set) var fields: [(name: String, value: String)] = []

    init(action: String) {
        append("action", action)
    }

    mutating func append(_ name: String, _ value: String) {
        fields.append((name, value))
    }

    /// Appends the user extra fields as PHP reads a list of pairs:
    /// `extra[0][field_name]=…&extra[0][field_value]=…`.
    mutating func appendExtraFields(_ extraFields: [(name: String, value: String)]) {
        for (index, field) in extraFields.enumerated() {
            append("extra[\(index)][field_name]", field.name)
            append("extra[\(index)][field_value]", field.value)
        }
    }

    /// The names of the fields, for messages and logs (never the values: one may be a password).
    var names: [String] { fields.map(\.name) }

    /// The encoded body.
    var encoded: String {
        fields.map { "\(Self.escape($0.name))=\(Self.escape($0.value))" }.joined(separator: "&")
    }

    static func == (lhs: ChamiloForm, rhs: ChamiloForm) -> Bool {
        lhs.fields.elementsEqual(rhs.fields) { $0.name == $1.name && $0.value == $1.value }
    }

    func hash(into hasher: inout Hasher) {
        for field in fields {
            hasher.combine(field.name)
            hasher.combine(field.value)
        }
    }

    /// Percent-encodes as HTML forms do: unreserved bytes stay, a space becomes `+`.
    static func escape(_ text: String) -> String {
        var result = ""
        result.reserveCapacity(text.utf8.count)
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."),
                UInt8(ascii: "_"), UInt8(ascii: "*"):
                result.unicodeScalars.append(Unicode.Scalar(byte))
            case UInt8(ascii: " "):
                result.append("+")
            default:
                let hex = String(byte, radix: 16, uppercase: true)
                result.append(hex.count == 1 ? "%0\(hex)" : "%\(hex)")
            }
        }
        return result
    }
}
