/// Where one SCIM attribute lives: a column of the main table or an extra field, how its values
/// translate, and how long they may be.
///
/// ```yaml
/// userName: { column: username, maxLength: 100 }
/// active: { column: active, values: { "1": [true], "0": [false] }, default: 1 }
/// emails: { column: email, maxLength: 100, select: primaryOrFirst, typeExtraField: scim_email_type }
/// externalId: { extraField: scim_external_id }
/// password: { column: password, hash: { setting: passwordEncryption, default: bcrypt, saltColumn: salt } }
/// phoneNumbers[type eq "work"].value: { column: phone, fallback: true, typeExtraField: scim_phone_type }
/// phoneNumbers[type eq "mobile"].value: { extraField: scim_phone_mobile }
/// ```
/// A key of the form `ATTRIBUTE[type eq "TYPE"].SUBATTRIBUTE` stores one sub-attribute of the element of
/// that type (see ``ElementKey``); the other keys name an attribute or a sub-attribute.
public struct AttributeMapping: Sendable, Decodable {
    /// The column of the main table; exactly one of `column` and `extraField` is set.
    public var column: String?
    /// The extra field (entity-attribute-value row) holding the value.
    public var extraField: String?
    /// The longest value the column holds, in characters (SQLite does not enforce VARCHAR lengths).
    public var maxLength: Int?
    /// Stored value ↔ SCIM values; the first SCIM value of an entry is the one read back.
    public var values: ValueMap?
    /// What a value the map does not list does: `reject` (400 invalidValue) or `useDefault`.
    public var onUnknown: UnknownValuePolicy
    /// The stored value when the client sends none (on create and replace).
    public var defaultValue: ScalarValue?
    /// Multi-valued attributes kept in one column: which element is stored.
    public var select: MultiValueSelection?
    /// For `emails`: the extra field keeping the type the client sent.
    public var typeExtraField: String?
    /// The type reported when none is stored (`work`).
    public var defaultType: String?
    /// For `emails` and `phoneNumbers`: the extra field that remembers a value the client marked
    /// `primary: false`; without it (or without that mark) the one stored value is reported as primary.
    public var primaryExtraField: String?
    /// For `password`: how the portal expects passwords hashed.
    public var hash: PasswordHashing?
    /// For an element key (`phoneNumbers[type eq "work"].value`): the element of this type also holds
    /// the first element sent without a type, or with a type no other key maps, when none of its own
    /// type is sent. With ``typeExtraField`` that element's type is remembered; without, it reads back
    /// as this key's type.
    public var fallback: Bool
    /// For a value-mapped attribute: the extra field keeping the value as the client spelled it when
    /// that is not the value read back (`en-US`, stored as `english`, whose first SCIM value is `en`),
    /// so that it reads back as sent for as long as the stored value still stands for it.
    public var sentValueExtraField: String?

    /// Makes an attribute mapping in code.
    public init(
        column: String? = nil,
        extraField: String? = nil,
        maxLength: Int? = nil,
        values: ValueMap? = nil,
        onUnknown: UnknownValuePolicy = .reject,
        defaultValue: ScalarValue? = nil,
        select: MultiValueSelection? = nil,
        typeExtraField: String? = nil,
        defaultType: String? = nil,
        primaryExtraField: String? = nil,
        hash: PasswordHashing? = nil,
        fallback: Bool = false,
        sentValueExtraField: String? = nil
    ) {
        self.column = column
        self.extraField = extraField
        self.maxLength = maxLength
        self.values = values
        self.onUnknown = onUnknown
        self.defaultValue = defaultValue
        self.select = select
        self.typeExtraField = typeExtraField
        self.defaultType = defaultType
        self.primaryExtraField = primaryExtraField
        self.hash = hash
        self.fallback = fallback
        self.sentValueExtraField = sentValueExtraField
    }

    enum CodingKeys: String, CodingKey {
        case column, extraField, maxLength, values, onUnknown, select, typeExtraField, defaultType, primaryExtraField,
            hash, fallback, sentValueExtraField
        case defaultValue = "default"
    }

    /// Decodes; the YAML key for ``defaultValue`` is `default`.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        column = try container.decodeIfPresent(String.self, forKey: .column)
        extraField = try container.decodeIfPresent(String.self, forKey: .extraField)
        maxLength = try container.decodeIfPresent(Int.self, forKey: .maxLength)
        values = try container.decodeIfPresent(ValueMap.self, forKey: .values)
        onUnknown = try container.decodeIfPresent(UnknownValuePolicy.self, forKey: .onUnknown) ?? .reject
        defaultValue = try container.decodeIfPresent(ScalarValue.self, forKey: .defaultValue)
        select = try container.decodeIfPresent(MultiValueSelection.self, forKey: .select)
        typeExtraField = try container.decodeIfPresent(String.self, forKey: .typeExtraField)
        defaultType = try container.decodeIfPresent(String.self, forKey: .defaultType)
        primaryExtraField = try container.decodeIfPresent(String.self, forKey: .primaryExtraField)
        hash = try container.decodeIfPresent(PasswordHashing.self, forKey: .hash)
        fallback = try container.decodeIfPresent(Bool.self, forKey: .fallback) ?? false
        sentValueExtraField = try container.decodeIfPresent(String.self, forKey: .sentValueExtraField)
    }
}

/// What to do with a SCIM value the value map does not list.
public enum UnknownValuePolicy: String, Sendable, Decodable {
    /// 400 invalidValue naming the attribute and the accepted values.
    case reject
    /// Store the attribute's `default`.
    case useDefault
}

/// Which element of a multi-valued attribute is kept in a single column.
public enum MultiValueSelection: String, Sendable, Decodable {
    /// The element marked primary, else the first (`emails` → `email`).
    case primaryOrFirst
    /// The element marked primary, else the first of type `work`, else the first (`phoneNumbers` → `phone`).
    case primaryOrWork
}

/// How a password is hashed before it is stored.
public struct PasswordHashing: Sendable, Decodable {
    /// The tenant setting naming the algorithm (`passwordEncryption`).
    public var setting: String?
    /// The algorithm when the setting is absent.
    public var defaultAlgorithm: PasswordAlgorithm
    /// The column holding the salt that `sha1` and `md5` append.
    public var saltColumn: String?
    /// The bcrypt cost (Chamilo 1.11 writes 4).
    public var bcryptCost: Int
    /// The tenant setting that may override ``bcryptCost`` (4 to 31).
    public var costSetting: String?
    /// The algorithms the portal verifies; a tenant choosing another is a configuration error
    /// (Chamilo 2.0 verifies bcrypt only: `allowed: [bcrypt]`). Absent: every algorithm.
    public var allowed: [PasswordAlgorithm]?
    /// Whether `bcryptCost` may exceed ``PasswordHashing/ordinaryBcryptCostLimit``: every create or
    /// password change then costs the gateway that much, so a mapping says it on purpose.
    public var allowExpensiveBcrypt: Bool

    /// The highest bcrypt cost a mapping may set without `allowExpensiveBcrypt` (about 0.25 s a hash).
    public static let ordinaryBcryptCostLimit = 12

    /// Makes a hashing rule in code.
    public init(
        setting: String? = "passwordEncryption",
        defaultAlgorithm: PasswordAlgorithm = .bcrypt,
        saltColumn: String? = nil,
        bcryptCost: Int = 4,
        allowExpensiveBcrypt: Bool = false
    ) {
        self.setting = setting
        self.defaultAlgorithm = defaultAlgorithm
        self.saltColumn = saltColumn
        self.bcryptCost = bcryptCost
        self.allowExpensiveBcrypt = allowExpensiveBcrypt
    }

    enum CodingKeys: String, CodingKey {
        case setting, saltColumn, bcryptCost, costSetting, allowed, allowExpensiveBcrypt
        case defaultAlgorithm = "default"
    }

    /// Decodes; `default` is bcrypt and `bcryptCost` 4 unless given.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        setting = try container.decodeIfPresent(String.self, forKey: .setting)
        defaultAlgorithm = try container.decodeIfPresent(PasswordAlgorithm.self, forKey: .defaultAlgorithm) ?? .bcrypt
        saltColumn = try container.decodeIfPresent(String.self, forKey: .saltColumn)
        bcryptCost = try container.decodeIfPresent(Int.self, forKey: .bcryptCost) ?? 4
        costSetting = try container.decodeIfPresent(String.self, forKey: .costSetting)
        allowed = try container.decodeIfPresent([PasswordAlgorithm].self, forKey: .allowed)
        allowExpensiveBcrypt = try container.decodeIfPresent(Bool.self, forKey: .allowExpensiveBcrypt) ?? false
    }
}

/// The password encodings Chamilo understands (`$_configuration['password_encryption']`).
public enum PasswordAlgorithm: String, Sendable, Decodable, CaseIterable {
    /// bcrypt with the `$2y$` prefix PHP writes.
    case bcrypt
    /// Hex SHA-1 of `password{salt}`, or of the bare password when the salt is empty.
    case sha1
    /// Hex MD5 of `password{salt}`, or of the bare password when the salt is empty.
    case md5
    /// The password itself.
    case none
}

/// Stored values ↔ SCIM values. In YAML a map from the stored value to the SCIM values it
/// stands for; the first SCIM value is the one read back:
/// ```yaml
/// values: { english: [en, en-US, en_US], french: [fr, fr-FR, fr_FR] }
/// ```
public struct ValueMap: Sendable, Decodable {
    /// One stored value and the SCIM values that map to it.
    public struct Entry: Sendable, Hashable {
        /// The stored value (an integer when the YAML key is one).
        public var stored: ScalarValue
        /// The SCIM values, the first being the canonical one.
        public var scim: [ScalarValue]
    }

    /// The entries, sorted by stored value for a stable order.
    public var entries: [Entry]

    /// Makes a value map in code.
    public init(entries: [Entry]) {
        self.entries = entries
    }

    /// Decodes a YAML map of stored value → list of SCIM values (a single value is accepted too).
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let raw: [String: ScalarList]
        do {
            raw = try container.decode([String: ScalarList].self)
        } catch {
            throw DecodingError.dataCorrupted(
                DecodingError.Context(
                    codingPath: decoder.codingPath,
                    debugDescription: "values: expected a map from stored value to a list of SCIM values",
                    underlyingError: error
                )
            )
        }
        entries = raw.map { key, list in
            Entry(stored: Int64(key).map(ScalarValue.integer) ?? .string(key), scim: list.values)
        }
        .sorted { $0.stored.text < $1.stored.text }
    }

    /// The stored value for a SCIM value (compared by its text, ignoring letter case).
    public func stored(for scimValue: ScalarValue) -> ScalarValue? {
        let wanted = scimValue.text.lowercased()
        return entries.first { entry in entry.scim.contains { $0.text.lowercased() == wanted } }?.stored
    }

    /// The canonical SCIM value for a stored value.
    public func scim(for stored: ScalarValue) -> ScalarValue? {
        entries.first { $0.stored.text == stored.text }?.scim.first
    }

    /// Every SCIM value the map accepts, for messages.
    public var acceptedValues: [String] { entries.flatMap { $0.scim.map(\.text) } }
}

/// One value or a list of values.
struct ScalarList: Decodable {
    var values: [ScalarValue]

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let list = try? container.decode([ScalarValue].self) {
            values = list
        } else {
            values = [try container.decode(ScalarValue.self)]
        }
    }
}

/// A YAML scalar: null, a Boolean, an integer, a decimal or a string.
public enum ScalarValue: Sendable, Hashable, Decodable {
    case null
    case bool(Bool)
    case integer(Int64)
    case decimal(Double)
    case string(String)

    /// Decodes any scalar; a map or a list is an error.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let value = try? container.decode(Int64.self) {
            self = .integer(value)
        } else if let value = try? container.decode(Bool.self) {
            self = .bool(value)
        } else if let value = try? container.decode(Double.self) {
            self = .decimal(value)
        } else if let value = try? container.decode(String.self) {
            self = .string(value)
        } else {
            throw DecodingError.dataCorruptedError(
                in: container,
                debugDescription: "expected a scalar (null, true/false, a number or a string)"
            )
        }
    }

    /// The value as text (`true`, `5`, `english`; empty for null).
    public var text: String {
        switch self {
        case .null: return ""
        case .bool(let value): return value ? "true" : "false"
        case .integer(let value): return String(value)
        case .decimal(let value): return String(value)
        case .string(let value): return value
        }
    }
}
