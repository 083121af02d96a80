import Backends
import Foundation
import HTTPTypes
import SCIM
import SQLDrivers
import Testing

/// SCIM User bodies for the scenarios.
enum ScenarioUsers {
    static let enterprise = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"

    /// A User as an identity provider creates it. `password` is left out where the engine cannot take one.
    static func json(
        _ userName: String,
        given: String = "Ada",
        family: String = "Lovelace",
        email: String? = nil,
        active: Bool = true,
        externalId: String? = nil,
        employeeNumber: String? = nil,
        password: String? = nil
    ) -> String {
        var schemas: [JSONValue] = [.string("urn:ietf:params:scim:schemas:core:2.0:User")]
        var user: JSONObject = [
            "userName": .string(userName),
            "name": .object(["givenName": .string(given), "familyName": .string(family)]),
            "active": .bool(active),
        ]
        if let email {
            user["emails"] = .array([
                .object(["value": .string(email), "type": .string("work"), "primary": .bool(true)])
            ])
        }
        if let externalId { user["externalId"] = .string(externalId) }
        if let password { user["password"] = .string(password) }
        if let employeeNumber {
            schemas.append(.string(enterprise))
            user[enterprise] = .object(["employeeNumber": .string(employeeNumber)])
        }
        user["schemas"] = .array(schemas)
        return JSONValue.object(user).jsonString
    }

    /// A full user for `engine`: a password only where the engine takes passwords.
    static func full(_ userName: String, engine: ScenarioEngine, externalId: String = "ext-ada") -> String {
        json(
            userName,
            email: "ada@example.org",
            externalId: externalId,
            employeeNumber: "E-1815",
            password: engine.capabilities.contains(.passwords) ? "Analytical-Engine-1843" : nil
        )
    }
}

/// A value read back with SQL, as text or as a number.
extension SQLValue {
    var scenarioText: String? {
        switch self {
        case .text(let text): return text
        case .integer(let number): return String(number)
        case .double(let number): return String(number)
        case .blob(let bytes): return String(decoding: bytes, as: UTF8.self)
        case .null: return nil
        }
    }

    var scenarioInteger: Int64? {
        switch self {
        case .integer(let number): return number
        case .text(let text): return Int64(text)
        case .double(let number): return Int64(exactly: number)
        case .blob, .null: return nil
        }
    }
}
