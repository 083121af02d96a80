import Foundation

/// Where a written column's value comes from.
///
/// In YAML a scalar is a constant (strings may use `${settings.NAME}`); a one-key map names a
/// computed value:
/// ```yaml
/// roles: "a:0:{}"                      # constant
/// access_url_id: "${settings.accessUrlId}"
/// registration_date: { now: true }     # the current UTC time, YYYY-MM-DD HH:MM:SS
/// salt: { random: 32 }                 # 32 random hexadecimal characters
/// username_canonical: { lower: userName }
/// slug: { slug: userName }             # lower-case letters and digits, '-' between (Gedmo's slugs)
/// enabled: { attribute: active }       # the stored value of another mapped attribute
/// user_id: { key: true }               # the generated key
/// display_text: { fieldName: true }    # the extra field's own name (extra field creation only)
/// ```
public enum ValueSource: Sendable, Decodable, Hashable {
    /// A constant; in strings, `${settings.NAME}` is replaced by the tenant's setting.
    case constant(ScalarValue)
    /// The current UTC time.
    case now
    /// A random hexadecimal string of this many characters.
    case random(Int)
    /// The lower-cased stored value of a mapped attribute.
    case lowercased(String)
    /// The stored value of a mapped attribute as a URL slug: accents dropped, lower-cased, every run of
    /// other characters one `-`, none at either end (`Ada.Lovelace` → `ada-lovelace`).
    case slug(String)
    /// The stored value of a mapped attribute.
    case attribute(String)
    /// The resource's generated key.
    case key
    /// The name of the extra field being created.
    case fieldName

    enum CodingKeys: String, CodingKey {
        case now, random, lower, slug, attribute, key, fieldName
    }

    /// Decodes a scalar or one of the one-key maps listed on the type.
    public init(from decoder: any Decoder) throws {
        if let scalar = try? ScalarValue(from: decoder) {
            self = .constant(scalar)
            return
        }
        let container: KeyedDecodingContainer<CodingKeys>
        do {
            container = try decoder.container(keyedBy: CodingKeys.self)
        } catch {
            throw Self.shapeError(decoder)
        }
        if container.contains(.now) {
            self = .now
        } else if let length = try container.decodeIfPresent(Int.self, forKey: .random) {
            guard (1...255).contains(length) else {
                throw DecodingError.dataCorruptedError(
                    forKey: .random,
                    in: container,
                    debugDescription: "random: the length must be between 1 and 255"
                )
            }
            self = .random(length)
        } else if let path = try container.decodeIfPresent(String.self, forKey: .lower) {
            self = .lowercased(path)
        } else if let path = try container.decodeIfPresent(String.self, forKey: .slug) {
            self = .slug(path)
        } else if let path = try container.decodeIfPresent(String.self, forKey: .attribute) {
            self = .attribute(path)
        } else if container.contains(.key) {
            self = .key
        } else if container.contains(.fieldName) {
            self = .fieldName
        } else {
            throw Self.shapeError(decoder)
        }
    }

    private static func shapeError(_ decoder: any Decoder) -> DecodingError {
        DecodingError.dataCorrupted(
            DecodingError.Context(
                codingPath: decoder.codingPath,
                debugDescription:
                    "expected a constant or one of { now: true }, { random: N }, { lower: ATTRIBUTE }, { slug: ATTRIBUTE }, "
                    + "{ attribute: ATTRIBUTE }, { key: true }, { fieldName: true }"
            )
        )
    }

    /// The setting names a constant refers to through `${settings.NAME}`.
    var referencedSettings: [String] {
        guard case .constant(.string(let text)) = self else { return [] }
        return SettingsTemplate.references(in: text)
    }

    /// The attribute a computed value reads, if any.
    var referencedAttribute: String? {
        switch self {
        case .lowercased(let path), .slug(let path), .attribute(let path): return path
        default: return nil
        }
    }
}

/// `${settings.NAME}` substitution in mapping constants; `${settings.NAME:-DEFAULT}` stands for DEFAULT
/// when the tenant does not set NAME (`"${settings.authSource:-platform}"`).
enum SettingsTemplate {
    /// One `${settings.…}` reference: the text to replace, the setting's name and its default.
    struct Placeholder: Equatable {
        var token: String
        var name: String
        var fallback: String?
    }

    /// Every reference in `text`, in order.
    static func placeholders(in text: String) -> [Placeholder] {
        var found: [Placeholder] = []
        var rest = Substring(text)
        while let start = rest.range(of: "${settings.") {
            let after = rest[start.upperBound...]
            guard let end = after.firstIndex(of: "}") else { break }
            let inner = String(after[..<end])
            let token = "${settings.\(inner)}"
            if let separator = inner.range(of: ":-") {
                found.append(
                    Placeholder(
                        token: token,
                        name: String(inner[..<separator.lowerBound]),
                        fallback: String(inner[separator.upperBound...])
                    )
                )
            } else {
                found.append(Placeholder(token: token, name: inner, fallback: nil))
            }
            rest = after[after.index(after: end)...]
        }
        return found
    }

    /// The setting names `text` needs the tenant to set (references without a default), in order.
    static func references(in text: String) -> [String] {
        placeholders(in: text).filter { $0.fallback == nil }.map(\.name)
    }

    /// `text` with every reference replaced; nil when a referenced setting without a default is missing.
    static func substitute(_ text: String, settings: [String: String]) -> String? {
        var result = text
        for placeholder in placeholders(in: text) {
            guard let value = settings[placeholder.name] ?? placeholder.fallback else { return nil }
            result = result.replacingOccurrences(of: placeholder.token, with: value)
        }
        return result
    }
}

/// The entity-attribute-value tables holding attributes the main table has no column for
/// (Chamilo's `extra_field` and `extra_field_values`). Column names default to Chamilo's.
public struct ExtraFieldStore: Sendable, Decodable {
    /// The table of field definitions (`extra_field`).
    public var fieldTable: String
    /// Its key (`id`).
    public var fieldKey: String
    /// Its name column (`variable`).
    public var fieldName: String
    /// Its resource-type column (`extra_field_type`).
    public var fieldItemType: String
    /// Columns written when the gateway creates a missing field (`field_type: 1`, `created_at: { now: true }`).
    public var onCreateField: [String: ValueSource]
    /// The table of values (`extra_field_values`).
    public var valueTable: String
    /// Its key (`id`).
    public var valueKey: String
    /// The column referencing the field (`field_id`).
    public var valueField: String
    /// The column holding the resource's key (`item_id`).
    public var valueItem: String
    /// The value column (`value`).
    public var valueColumn: String
    /// The longest value it holds.
    public var valueMaxLength: Int?
    /// Columns written when a value row is created (`created_at`, `updated_at`).
    public var onCreateValue: [String: ValueSource]
    /// Columns written whenever a value changes (`updated_at`).
    public var onUpdateValue: [String: ValueSource]

    /// Makes a store in code; every name defaults to Chamilo's.
    public init(
        fieldTable: String = "extra_field",
        fieldKey: String = "id",
        fieldName: String = "variable",
        fieldItemType: String = "extra_field_type",
        onCreateField: [String: ValueSource] = [:],
        valueTable: String = "extra_field_values",
        valueKey: String = "id",
        valueField: String = "field_id",
        valueItem: String = "item_id",
        valueColumn: String = "value",
        valueMaxLength: Int? = 255,
        onCreateValue: [String: ValueSource] = [:],
        onUpdateValue: [String: ValueSource] = [:]
    ) {
        self.fieldTable = fieldTable
        self.fieldKey = fieldKey
        self.fieldName = fieldName
        self.fieldItemType = fieldItemType
        self.onCreateField = onCreateField
        self.valueTable = valueTable
        self.valueKey = valueKey
        self.valueField = valueField
        self.valueItem = valueItem
        self.valueColumn = valueColumn
        self.valueMaxLength = valueMaxLength
        self.onCreateValue = onCreateValue
        self.onUpdateValue = onUpdateValue
    }

    enum CodingKeys: String, CodingKey {
        case fieldTable, fieldKey, fieldName, fieldItemType, onCreateField
        case valueTable, valueKey, valueField, valueItem, valueColumn, valueMaxLength, onCreateValue, onUpdateValue
    }

    /// Decodes with Chamilo's names as defaults.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let defaults = ExtraFieldStore()
        fieldTable = try container.decodeIfPresent(String.self, forKey: .fieldTable) ?? defaults.fieldTable
        fieldKey = try container.decodeIfPresent(String.self, forKey: .fieldKey) ?? defaults.fieldKey
        fieldName = try container.decodeIfPresent(String.self, forKey: .fieldName) ?? defaults.fieldName
        fieldItemType = try container.decodeIfPresent(String.self, forKey: .fieldItemType) ?? defaults.fieldItemType
        onCreateField = try container.decodeIfPresent([String: ValueSource].self, forKey: .onCreateField) ?? [:]
        valueTable = try container.decodeIfPresent(String.self, forKey: .valueTable) ?? defaults.valueTable
        valueKey = try container.decodeIfPresent(String.self, forKey: .valueKey) ?? defaults.valueKey
        valueField = try container.decodeIfPresent(String.self, forKey: .valueField) ?? defaults.valueField
        valueItem = try container.decodeIfPresent(String.self, forKey: .valueItem) ?? defaults.valueItem
        valueColumn = try container.decodeIfPresent(String.self, forKey: .valueColumn) ?? defaults.valueColumn
        valueMaxLength = try container.decodeIfPresent(Int.self, forKey: .valueMaxLength) ?? defaults.valueMaxLength
        onCreateValue = try container.decodeIfPresent([String: ValueSource].self, forKey: .onCreateValue) ?? [:]
        onUpdateValue = try container.decodeIfPresent([String: ValueSource].self, forKey: .onUpdateValue) ?? [:]
    }
}
