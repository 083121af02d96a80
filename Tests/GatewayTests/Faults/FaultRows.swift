import Backends
import Foundation
import SQLDrivers
import Testing

/// What a fault run left in a tenant's Chamilo 1.11 database, read back with SQL: the users whose names
/// start with a prefix, their access-URL links and the extra field values a create writes.
struct FaultRows: Sendable {
    struct User: Sendable {
        var id: String
        var firstname: String
        var linked: Bool
        /// Extra field variable → value.
        var extra: [String: String]
    }

    /// userName → the user's rows.
    var users: [String: User]
    /// User names found more than once.
    var duplicates: [String]

    /// The extra fields every create of ``FaultLoad`` writes: the externalId it sends and the version
    /// the gateway keeps for ETags.
    static let createdExtraFields = ["scim_external_id", "scim_version"]

    /// Reads the rows. A connection the fault cut is replaced by the next attempt, so a few are made.
    static func read(
        _ gateway: WireGateway,
        tenant: String,
        prefix: String,
        accessUrlId: Int = 1
    ) async throws
        -> FaultRows
    {
        var lastError: (any Error)?
        for _ in 0..<5 {
            do {
                return try await readOnce(gateway, tenant: tenant, prefix: prefix, accessUrlId: accessUrlId)
            } catch {
                lastError = error
                try await Task.sleep(for: .milliseconds(500))
            }
        }
        throw lastError ?? ScenarioSetupError("the rows could not be read")
    }

    private static func readOnce(
        _ gateway: WireGateway,
        tenant: String,
        prefix: String,
        accessUrlId: Int
    )
        async throws -> FaultRows
    {
        let pattern = SQLValue.text(prefix + "-%")
        let userRows = try await gateway.sql(
            tenant,
            #"SELECT "id", "username", "firstname" FROM "user" WHERE "username" LIKE ?"#,
            [pattern]
        )
        let linkRows = try await gateway.sql(
            tenant,
            #"SELECT l."user_id" FROM "access_url_rel_user" l JOIN "user" u ON u."id" = l."user_id" "#
                + #"WHERE l."access_url_id" = ? AND u."username" LIKE ?"#,
            [.integer(Int64(accessUrlId)), pattern]
        )
        let extraRows = try await gateway.sql(
            tenant,
            #"SELECT v."item_id", f."variable", v."value" FROM "extra_field_values" v "#
                + #"JOIN "extra_field" f ON f."id" = v."field_id" JOIN "user" u ON u."id" = v."item_id" "#
                + #"WHERE f."extra_field_type" = 1 AND u."username" LIKE ?"#,
            [pattern]
        )
        let linked = Set(linkRows.compactMap { $0.first?.faultText })
        var extra: [String: [String: String]] = [:]
        for row in extraRows where row.count == 3 {
            guard let item = row[0].faultText, let variable = row[1].faultText else { continue }
            extra[item, default: [:]][variable] = row[2].faultText ?? ""
        }
        var users: [String: User] = [:]
        var duplicates: [String] = []
        for row in userRows where row.count == 3 {
            guard let id = row[0].faultText, let name = row[1].faultText?.lowercased() else { continue }
            if users[name] != nil { duplicates.append(name) }
            users[name] = User(
                id: id,
                firstname: row[2].faultText ?? "",
                linked: linked.contains(id),
                extra: extra[id] ?? [:]
            )
        }
        return FaultRows(users: users, duplicates: duplicates)
    }

    /// Whether a user has every row a create writes.
    static func isComplete(_ user: User) -> Bool {
        user.linked && createdExtraFields.allSatisfy { user.extra[$0] != nil }
    }

    /// Checks the outcomes against the rows: every 2xx create is there with all its rows (and the
    /// externalId it sent), every 2xx patch shows its value, nothing is there half-written, and a
    /// refused create left nothing or (its commit having happened just before the connection went) a
    /// complete user. Answers how many refused creates were nevertheless committed.
    @discardableResult
    func check(_ outcomes: [FaultOutcome], sourceLocation: SourceLocation = #_sourceLocation) -> Int {
        #expect(duplicates.isEmpty, "users stored twice: \(duplicates)", sourceLocation: sourceLocation)
        for (name, user) in users where !Self.isComplete(user) {
            Issue.record(
                "half-written user \(name): linked \(user.linked), extra fields \(user.extra.keys.sorted())",
                sourceLocation: sourceLocation
            )
        }
        var committedDespiteRefusal = 0
        for outcome in outcomes {
            let user = users[outcome.userName.lowercased()]
            switch (outcome.operation, outcome.isSuccess) {
            case (.create, true):
                #expect(
                    user?.id == outcome.id,
                    "answered \(outcome), stored \(String(describing: user))",
                    sourceLocation: sourceLocation
                )
                #expect(
                    user?.extra["scim_external_id"] == "ext-" + outcome.userName,
                    "\(outcome)",
                    sourceLocation: sourceLocation
                )
            case (.patch, true):
                #expect(
                    user?.firstname == FaultLoad.patchedGivenName,
                    "answered \(outcome), stored \(String(describing: user))",
                    sourceLocation: sourceLocation
                )
            case (.create, false):
                if user != nil { committedDespiteRefusal += 1 }
            case (.patch, false), (.read, _):
                break
            }
        }
        return committedDespiteRefusal
    }
}
