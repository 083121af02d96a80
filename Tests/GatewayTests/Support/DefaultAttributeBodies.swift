import Foundation
import SCIM
import Testing

/// Request bodies carrying every attribute identity providers send by default (Entra ID's default
/// mapping and Okta's default profile), and how a response is compared with what was sent.
enum DefaultAttributeBodies {
    static let enterprise = SCIMSchemaURI.enterpriseUser

    /// A plain user with a few extra top-level members (raw JSON values).
    static func user(_ name: String, _ extra: [String: String] = [:]) -> String {
        let members = extra.sorted { $0.key < $1.key }.map { #","\#($0.key)":"\#($0.value)""# }.joined()
        return
            #"{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"\#(name)","active":true\#(members)}"#
    }

    /// A body as Entra and Okta send it, with every default attribute; `variant` changes every value.
    static func everything(userName: String, managerID: String, variant: Int) -> String {
        let v = String(variant)
        let locale = variant == 1 ? "en-US" : "fr-CA"
        return #"""
            {"schemas":["urn:ietf:params:scim:schemas:core:2.0:User","urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"],
             "externalId":"5f2b9a8e-3c1d-4e7f-9a0b-1c2d3e4f5a6\#(v)","userName":"\#(userName)","active":true,
             "displayName":"Ann Lee \#(v)","nickName":"Annie\#(v)","title":"Teacher of Mathematics \#(v)",
             "preferredLanguage":"fr-FR","locale":"\#(locale)","timezone":"Europe/Madrid",
             "emails":[{"primary":true,"type":"work","value":"ann\#(v)@contoso.example"}],
             "meta":{"resourceType":"User"},
             "name":{"formatted":"Dr. Ann B. Lee \#(v)","familyName":"Lee\#(v)","givenName":"Ann\#(v)","middleName":"Beth\#(v)",
                     "honorificPrefix":"Dr.\#(v)","honorificSuffix":"PhD\#(v)"},
             "addresses":[{"type":"work","formatted":"\#(v) Rue de la Paix, 75002 Paris","streetAddress":"\#(v) Rue de la Paix",
                           "locality":"Paris\#(v)","region":"Ile-de-France\#(v)","postalCode":"7500\#(v)","country":"F\#(v)"}],
             "phoneNumbers":[{"type":"work","value":"+33 1 23 45 67 8\#(v)"},{"type":"mobile","value":"+33 6 12 34 56 7\#(v)"},
                             {"type":"fax","value":"+33 1 98 76 54 3\#(v)"},{"type":"home","value":"+33 1 11 22 33 4\#(v)"}],
             "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User":{"employeeNumber":"100\#(v)","costCenter":"CC-\#(v)",
               "organization":"Contoso University \#(v)","division":"Sciences \#(v)","department":"Math \#(v)",
               "manager":{"value":"\#(managerID)","displayName":"The Boss \#(v)"}}}
            """#
    }

    /// Entra's PATCH sequence for its default mapping: one operation per attribute, capitalised ops,
    /// filtered paths for phones and the work address, the manager as a plain string.
    static func entraPatch(_ managerID: String) -> String {
        #"""
        [{"op":"Replace","path":"displayName","value":"Ann Patched"},
         {"op":"Replace","path":"title","value":"Head of Mathematics"},
         {"op":"Replace","path":"preferredLanguage","value":"es-ES"},
         {"op":"Replace","path":"name.formatted","value":"Ann Patched"},
         {"op":"Replace","path":"addresses[type eq \"work\"].streetAddress","value":"9 Avenue Foch"},
         {"op":"Replace","path":"addresses[type eq \"work\"].locality","value":"Lyon"},
         {"op":"Add","path":"phoneNumbers[type eq \"mobile\"].value","value":"+33 7 00 00 00 01"},
         {"op":"Replace","path":"phoneNumbers[type eq \"fax\"].value","value":"+33 4 00 00 00 02"},
         {"op":"Replace","path":"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department","value":"Physics"},
         {"op":"Add","path":"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager","value":"\#(managerID)"},
         {"op":"replace","value":{"name.givenName":"Anna","urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:costCenter":"CC-9"}}]
        """#
    }

    /// What a response must show for a body: the body without `schemas`, `meta` and `password`.
    static func expected(_ body: String) throws -> JSONObject {
        var object = try #require(try JSONValue.parse(body).objectValue)
        object["schemas"] = nil
        object["meta"] = nil
        object["password"] = nil
        return object
    }

    /// `sent` after ``entraPatch(_:)``.
    static func applyingEntraPatch(to sent: JSONObject, managerID: String) throws -> JSONObject {
        var result = sent
        result["displayName"] = .string("Ann Patched")
        result["title"] = .string("Head of Mathematics")
        result["preferredLanguage"] = .string("es-ES")
        var name = try #require(result["name"]?.objectValue)
        name["formatted"] = .string("Ann Patched")
        name["givenName"] = .string("Anna")
        result["name"] = .object(name)
        var address = try #require(result["addresses"]?.arrayValue?.first?.objectValue)
        address["streetAddress"] = .string("9 Avenue Foch")
        address["locality"] = .string("Lyon")
        result["addresses"] = .array([.object(address)])
        let phones = try #require(result["phoneNumbers"]?.arrayValue).map { phone -> JSONValue in
            guard var object = phone.objectValue else { return phone }
            switch object["type"]?.stringValue {
            case "mobile": object["value"] = .string("+33 7 00 00 00 01")
            case "fax": object["value"] = .string("+33 4 00 00 00 02")
            default: break
            }
            return .object(object)
        }
        result["phoneNumbers"] = .array(phones)
        var extensionObject = try #require(result[enterprise]?.objectValue)
        extensionObject["department"] = .string("Physics")
        extensionObject["costCenter"] = .string("CC-9")
        var manager = try #require(extensionObject["manager"]?.objectValue)
        manager["value"] = .string(managerID)
        extensionObject["manager"] = .object(manager)
        result[enterprise] = .object(extensionObject)
        return result
    }

    /// Every member of `expected` is in `actual` with the same value; lists compare without regard
    /// to order (a portal keeps one element per type, not the order they came in).
    static func expectRoundTrip(
        _ expected: JSONObject,
        _ actual: JSONValue?,
        _ context: String,
        sourceLocation: SourceLocation = #_sourceLocation
    ) {
        guard let actual = actual?.objectValue else {
            Issue.record("\(context): no JSON object in the response", sourceLocation: sourceLocation)
            return
        }
        for (key, value) in expected.members {
            let found = actual[caseInsensitive: key]
            #expect(
                found.map(normalized) == normalized(value),
                "\(context): \(key) is \(found.map(canonical) ?? "absent"), sent \(canonical(value))",
                sourceLocation: sourceLocation
            )
        }
    }

    private static func normalized(_ value: JSONValue) -> String {
        switch value {
        case .array(let values): return "[" + values.map(normalized).sorted().joined(separator: ",") + "]"
        case .object(let object):
            return "{"
                + object.members.sorted { $0.key < $1.key }.map { "\($0.key):\(normalized($0.value))" }
                .joined(separator: ",") + "}"
        default: return canonical(value)
        }
    }

    private static func canonical(_ value: JSONValue) -> String {
        String(decoding: value.serialized(), as: UTF8.self)
    }
}
