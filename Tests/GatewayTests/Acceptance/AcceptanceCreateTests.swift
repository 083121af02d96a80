import Backends
import Foundation
import HTTPTypes
import HummingbirdBcrypt
import HummingbirdTesting
import NIOCore
import SQLDrivers
import Testing

/// POST /Users through HTTP writes a row a Chamilo 1.11 portal lets log in.
@Suite struct AcceptanceCreateTests {
    static let body = """
        {"schemas":["urn:ietf:params:scim:schemas:core:2.0:User",
                    "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"],
         "userName":"Ada.Lovelace@Example.org",
         "name":{"givenName":"Ada","familyName":"Lovelace"},
         "emails":[{"value":"Ada.Lovelace@Example.org","type":"work","primary":true}],
         "active":true,"externalId":"ext-ada-1815","password":"Analytical-Engine-1843",
         "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User":{"employeeNumber":"E-1815"}}
        """

    @Test func createWritesEveryLoginPrerequisite() async throws {
        let acceptance = try await AcceptanceGateway.make()
        defer { acceptance.close() }
        let before = Date().addingTimeInterval(-1)
        try await acceptance.test { client in
            let id = try await Self.create(client, acceptance)
            try await Self.checkStoredRow(id: id, acceptance: acceptance, createdAfter: before, before: Date())
        }
    }

    /// The user row and its linked rows hold every login prerequisite of a Chamilo 1.11 portal.
    static func checkStoredRow(id: String, acceptance: AcceptanceGateway, createdAfter: Date, before: Date) async throws
    {
        let after = before.addingTimeInterval(1)

        let database = try await acceptance.database("acme")
        defer { Task { await database.close() } }
        let key = SQLValue.integer(try #require(Int64(id)))
        let row = try await Acceptance.row(database, table: "user", where: "id", equals: key)
        #expect(row["username"] == .text("Ada.Lovelace@Example.org"))
        #expect(row["username_canonical"] == .text("ada.lovelace@example.org"))
        #expect(row["email"] == .text("Ada.Lovelace@Example.org"))
        #expect(row["email_canonical"] == .text("ada.lovelace@example.org"))
        #expect(row["firstname"] == .text("Ada"))
        #expect(row["lastname"] == .text("Lovelace"))
        #expect(row["official_code"] == .text("E-1815"))
        #expect(row["status"] == .integer(5))
        #expect(row["active"] == .integer(1))
        #expect(row["enabled"] == .integer(1))
        #expect(row["roles"] == .text("a:0:{}"))
        #expect(row["auth_source"] == .text("platform"))
        #expect(row["locked"] == .integer(0))
        #expect(row["expired"] == .integer(0))
        #expect(row["credentials_expired"] == .integer(0))
        #expect(row["expiration_date"] == .null)
        #expect(row["user_id"] == key)
        guard case .text(let salt)? = row["salt"] else {
            Issue.record("salt is not text: \(String(describing: row["salt"]))")
            return
        }
        #expect(salt.count == 32 && salt.allSatisfy(\.isHexDigit))
        guard case .text(let registered)? = row["registration_date"] else {
            Issue.record("registration_date is not text: \(String(describing: row["registration_date"]))")
            return
        }
        let registration = try #require(Self.storedDate(registered), "registration_date '\(registered)'")
        #expect(registration >= createdAfter.addingTimeInterval(-1) && registration <= after)

        guard case .text(let hash)? = row["password"] else {
            Issue.record("password is not text")
            return
        }
        #expect(hash.hasPrefix("$2y$"))
        // PHP writes $2y$; the bcrypt library reads the same hash as $2b$.
        let libraryForm = "$2b$" + hash.dropFirst(4)
        #expect(Bcrypt.verify("Analytical-Engine-1843", hash: libraryForm))
        #expect(!Bcrypt.verify("analytical-engine-1843", hash: libraryForm))

        let links = try await database.execute(
            "SELECT access_url_id FROM access_url_rel_user WHERE user_id = ?",
            [key]
        )
        #expect(links == [[.integer(1)]])
        #expect(try await Acceptance.extraField(database, "scim_external_id", user: id) == .text("ext-ada-1815"))
    }

    /// Posts ``body`` and checks the 201: Location, ETag, the resource as read back, no password.
    static func create(_ client: any TestClientProtocol, _ acceptance: AcceptanceGateway) async throws -> String {
        let response = try await Acceptance.send(
            client,
            .post,
            "/scim/v2/Users",
            token: acceptance.acmeToken,
            body: body
        )
        let id = try Acceptance.createdID(response)
        #expect(response.headers[.location]?.hasSuffix("/scim/v2/Users/\(id)") == true)
        let etag = try #require(response.headers[.eTag])
        #expect(etag.hasPrefix("W/\""))
        let resource = try jsonObject(response)
        let meta = try #require(resource["meta"] as? [String: Any])
        #expect(meta["version"] as? String == etag)
        #expect(meta["location"] as? String == response.headers[.location])
        #expect(resource["userName"] as? String == "Ada.Lovelace@Example.org")
        #expect(resource["externalId"] as? String == "ext-ada-1815")
        #expect(resource["active"] as? Bool == true)
        #expect(resource["password"] == nil)
        let enterprise = resource[Acceptance.enterprise] as? [String: Any]
        #expect(enterprise?["employeeNumber"] as? String == "E-1815")
        #expect(resource["groups"] == nil)
        return id
    }

    /// `YYYY-MM-DD HH:MM:SS` in UTC, as Chamilo stores dates.
    static func storedDate(_ text: String) -> Date? {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd HH:mm:ss"
        return formatter.date(from: text)
    }
}
