import Crypto
import Foundation
import SCIM

/// The fixed attribute mapping of the Chamilo 1.11 REST API. The API, not a mapping file, decides
/// where each attribute goes:
///
/// | SCIM | API parameter (write) | read back from `get_users` |
/// |---|---|---|
/// | `id` | (assigned) | `id` (Chamilo's user id) |
/// | `userName` | `loginname` | `username` |
/// | `name.givenName` / `name.familyName` | `firstname` / `lastname` | `firstname` / `lastname` |
/// | `emails` (primary, else first) | `email` | `email`, reported as `work`, primary |
/// | `active` | `active` (1/0; `save_user` always creates active users) | `active` |
/// | `externalId` | extra field `scim_external_id` | extra field `scim_external_id` |
/// | `userType` | `status` (Teacher 1, Student 5, else the tenant's `defaultStatus`, 5) | extra field `scim_user_type` |
/// | `locale` | `language` (a fixed locale → language folder map) | extra field `scim_locale` |
/// | `phoneNumbers[type eq "work"].value` (else a number of no other type) | `phone` | extra field `scim_phone` |
/// | `addresses[type eq "work"].formatted` | `address` (an update after `save_user`) | extra field `scim_address` |
/// | enterprise `employeeNumber` | `official_code` (likewise) | extra field `scim_employee_number` |
/// | the rest of Entra's and Okta's defaults | extra fields (``ChamiloMirroredAttributes``) | the same |
/// | `password` | `password`, on create only | never |
///
/// `get_users` returns only id, names, email, username, active and the extra fields asked for, so
/// the values of `status`, `language`, `phone`, `address` and `official_code` are also kept in the
/// `scim_*` extra fields to be read back in the same call; the native columns are written too, for
/// Chamilo itself.
enum ChamiloUserMapping {
    static let externalIDField = "scim_external_id"
    static let userTypeField = "scim_user_type"
    static let localeField = "scim_locale"
    static let phoneField = "scim_phone"

    static let addressField = "scim_address"
    static let employeeNumberField = "scim_employee_number"

    /// The extra fields asked of `get_users` (`extra_fields`, comma-separated).
    static let extraFields =
        [externalIDField, userTypeField, localeField] + ChamiloMirroredAttributes.entries.map(\.field)

    /// The `status` of a SCIM `userType`.
    static func status(forUserType userType: String?, defaultStatus: Int) -> Int {
        switch userType?.lowercased() {
        case "teacher": return 1
        case "student": return 5
        default: return defaultStatus
        }
    }

    /// Chamilo 1.11 language folder names for the language part of a locale (`fr-CA` → `french`).
    /// A locale outside this list is stored in `scim_locale` only, and the portal's default language applies.
    static func language(forLocale locale: String) -> String? {
        let lowered = locale.lowercased().replacingOccurrences(of: "_", with: "-")
        if lowered == "pt-br" { return "brazilian" }
        let code = lowered.split(separator: "-").first.map(String.init) ?? lowered
        return languages[code]
    }

    private static let languages: [String: String] = [
        "en": "english", "fr": "french", "es": "spanish", "de": "german", "it": "italian",
        "pt": "portuguese", "nl": "dutch", "ca": "catalan", "eu": "basque", "gl": "galician",
        "pl": "polish", "ru": "russian", "ar": "arabic", "zh": "simpl_chinese", "ja": "japanese",
    ]
}

/// A user as `get_users` returns it.
struct ChamiloUser: Sendable, Hashable {
    var id: String
    var username: String
    var firstname: String
    var lastname: String
    var email: String
    var active: Bool
    var externalID: String?
    var userType: String?
    var locale: String?
    /// The values of ``ChamiloMirroredAttributes``, by extra field.
    var mirrored: [String: String]

    /// Reads one element of `get_users`' answer; nil when it lacks an id or username.
    init?(_ value: JSONValue) {
        guard let object = value.objectValue,
            let id = object["id"]?.chamiloText, id.isEmpty == false,
            let username = object["username"]?.chamiloText
        else { return nil }
        self.id = id
        self.username = username
        firstname = object["firstname"]?.chamiloText ?? ""
        lastname = object["lastname"]?.chamiloText ?? ""
        email = object["email"]?.chamiloText ?? ""
        active = object["active"]?.chamiloFlag ?? true
        func extra(_ name: String) -> String? {
            guard let text = object[name]?.chamiloText, text.isEmpty == false else { return nil }
            return text
        }
        externalID = extra(ChamiloUserMapping.externalIDField)
        userType = extra(ChamiloUserMapping.userTypeField)
        locale = extra(ChamiloUserMapping.localeField)
        var mirrored: [String: String] = [:]
        for entry in ChamiloMirroredAttributes.entries {
            if let value = extra(entry.field) { mirrored[entry.field] = value }
        }
        self.mirrored = mirrored
    }

    /// The canonical SCIM attributes.
    var attributes: JSONObject {
        var attributes = JSONObject()
        attributes["userName"] = .string(username)
        var name = JSONObject()
        if firstname.isEmpty == false { name["givenName"] = .string(firstname) }
        if lastname.isEmpty == false { name["familyName"] = .string(lastname) }
        if name.isEmpty == false { attributes["name"] = .object(name) }
        if email.isEmpty == false {
            attributes["emails"] = .array([
                .object(["value": .string(email), "type": .string("work"), "primary": .bool(true)])
            ])
        }
        attributes["active"] = .bool(active)
        if let externalID { attributes["externalId"] = .string(externalID) }
        if let userType { attributes["userType"] = .string(userType) }
        if let locale { attributes["locale"] = .string(locale) }
        ChamiloMirroredAttributes.place(mirrored, into: &attributes)
        return attributes
    }

    /// A hash of every returned field: it changes whenever Chamilo's copy changes.
    var version: String {
        let fields =
            [
                id, username, firstname, lastname, email, active ? "1" : "0", externalID ?? "", userType ?? "",
                locale ?? "",
            ] + mirrored.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
        let digest = SHA256.hash(data: Array(fields.joined(separator: "\u{1F}").utf8))
        return digest.prefix(12).map { byte in
            let hex = String(byte, radix: 16)
            return hex.count == 1 ? "0" + hex : hex
        }.joined()
    }

    var record: ResourceRecord {
        ResourceRecord(id: id, version: version, created: nil, lastModified: nil, attributes: attributes)
    }
}

/// What a SCIM User asks Chamilo to store, read from canonical attributes.
struct ChamiloUserFields: Sendable, Hashable {
    var userName: String
    var firstname: String
    var lastname: String
    var email: String
    var phone: String
    var address: String
    var officialCode: String
    var active: Bool
    var externalID: String
    var userType: String
    var locale: String
    var password: String?
    /// The values of ``ChamiloMirroredAttributes`` by extra field, "" when absent.
    var mirrored: [String: String]

    init(attributes: JSONObject) throws {
        guard let userName = attributes[caseInsensitive: "userName"]?.stringValue,
            userName.trimmingCharacters(in: .whitespaces).isEmpty == false
        else {
            throw SCIMError.invalidValue("userName is required.")
        }
        self.userName = userName
        let name = attributes[caseInsensitive: "name"]?.objectValue ?? JSONObject()
        firstname = name[caseInsensitive: "givenName"]?.stringValue ?? ""
        lastname = name[caseInsensitive: "familyName"]?.stringValue ?? ""
        email = Self.pick(attributes[caseInsensitive: "emails"], preferring: "work") ?? ""
        mirrored = ChamiloMirroredAttributes.values(of: attributes)
        phone = mirrored[ChamiloUserMapping.phoneField] ?? ""
        address = mirrored[ChamiloUserMapping.addressField] ?? ""
        officialCode = mirrored[ChamiloUserMapping.employeeNumberField] ?? ""
        switch attributes[caseInsensitive: "active"] {
        case nil, .null?: active = true
        case .bool(let flag)?: active = flag
        default: throw SCIMError.invalidValue("active must be a boolean.")
        }
        externalID = attributes[caseInsensitive: "externalId"]?.stringValue ?? ""
        userType = attributes[caseInsensitive: "userType"]?.stringValue ?? ""
        locale = attributes[caseInsensitive: "locale"]?.stringValue ?? ""
        password = attributes[caseInsensitive: "password"]?.stringValue
    }

    /// The value of a multi-valued attribute: the primary one, else the given type, else the first.
    private static func pick(_ value: JSONValue?, preferring type: String) -> String? {
        let entries = (value?.arrayValue ?? []).compactMap(\.objectValue)
        let chosen =
            entries.first { $0[caseInsensitive: "primary"]?.boolValue == true }
            ?? entries.first { $0[caseInsensitive: "type"]?.stringValue?.lowercased() == type }
            ?? entries.first
        return chosen?[caseInsensitive: "value"]?.stringValue
    }

    /// The mirrored extra fields (see ``ChamiloUserMapping``), always all of them so that every
    /// field exists on the portal before an update names it.
    var extraFields: [(name: String, value: String)] {
        [
            (ChamiloUserMapping.userTypeField, userType),
            (ChamiloUserMapping.localeField, locale),
        ] + ChamiloMirroredAttributes.entries.map { ($0.field, mirrored[$0.field] ?? "") }
    }
}
