import Foundation
import SCIM

/// A tenant whose portal is reached through the Chamilo 1.11 REST API (`kind: chamilo-rest`).
///
/// The attribute mapping is fixed by the API (see ``ChamiloUserMapping``); the tenant's `settings`
/// may set `defaultStatus` (the `status` of users without a known `userType`, 5 by default) and
/// `accessUrlId` (the `id_campus` asked of `get_users`, 1 by default).
///
/// Limits of the API, and what this backend does about them:
/// - Users only; no sorting; filters `userName`, `externalId` and `id` with `eq` only.
/// - `get_users` has no paging: a list without a filter reads every user and pages in memory.
/// - Passwords are set on create only (a random strong one when the client sends none); the API
///   cannot change them, so a password in a replace or modify is 400 `invalidValue`.
/// - Updates are keyed by login name (`update_user_from_username`), so `userName` cannot change.
/// - With `deprovision: deactivate`, DELETE sets `active = 0`: the API has no way to mark or hide
///   a user, so a deactivated user stays visible with `active: false` instead of answering 404.
public final class ChamiloRESTBackend: Backend {
    /// The `kind` in a tenant file.
    public static let kind = "chamilo-rest"

    let client: ChamiloRESTClient
    let tenantID: String
    let defaultStatus: Int
    let accessURLID: Int
    let locks: UserLocks

    /// Builds the backend; throws a ``BackendConfigurationError`` when the URL, admin user or
    /// password is missing or a setting is not a number.
    public init(configuration: BackendConfiguration) throws {
        let tenant = configuration.tenantID
        guard let url = configuration.url, let parsed = URL(string: url),
            let scheme = parsed.scheme?.lowercased(), scheme == "http" || scheme == "https", parsed.host != nil
        else {
            throw BackendConfigurationError(
                "tenant '\(tenant)': backend.url must be the portal's http(s) URL of main/webservices/api/v2.php"
            )
        }
        guard let username = configuration.username, username.isEmpty == false else {
            throw BackendConfigurationError(
                "tenant '\(tenant)': backend.username (a Chamilo platform admin) is required"
            )
        }
        guard let password = configuration.password, password.isEmpty == false else {
            throw BackendConfigurationError(
                "tenant '\(tenant)': the Chamilo admin password is missing (set passwordEnv or passwordFile)"
            )
        }
        defaultStatus = try Self.integerSetting("defaultStatus", in: configuration, default: 5)
        accessURLID = try Self.integerSetting("accessUrlId", in: configuration, default: 1)
        tenantID = tenant
        client = ChamiloRESTClient(
            tenantID: tenant,
            endpoint: url,
            username: username,
            password: password,
            poolMax: configuration.poolMax,
            connectTimeout: configuration.connectTimeout,
            callTimeout: configuration.statementTimeout
        )
        // Half a call timeout: a write that waited for its user's lock and then calls the portal still
        // answers within one and a half call timeouts, however many writes of that user are queued.
        locks = UserLocks(tenantID: tenant, wait: configuration.statementTimeout / 2)
    }

    private static func integerSetting(
        _ name: String,
        in configuration: BackendConfiguration,
        default value: Int
    ) throws
        -> Int
    {
        guard let text = configuration.settings[name] else { return value }
        guard let number = Int(text) else {
            throw BackendConfigurationError(
                "tenant '\(configuration.tenantID)': settings.\(name) must be a whole number, not '\(text)'"
            )
        }
        return number
    }

    public var capabilities: BackendCapabilities {
        BackendCapabilities(
            resourceKinds: [.user],
            sorting: false,
            etags: true,
            changePassword: false,
            passwordOnCreate: true,
            filterOperators: [.eq]
        )
    }

    /// The User attributes the API round-trips (see ``ChamiloUserMapping``).
    public func schemas(for kind: ResourceKind) -> [SCIMSchema] {
        guard kind == .user else { return [] }
        var kept: [String: Set<String>] = [
            "username": [], "name": ["givenname", "familyname"], "emails": ["value", "type", "primary"],
            "active": [], "usertype": [], "locale": [], "password": [],
        ]
        var keptExtension: [String: Set<String>] = [:]
        var elementTypes: [String: [String]] = [:]
        for entry in ChamiloMirroredAttributes.entries {
            switch entry.place {
            case .single(let schema, let name, let sub):
                let key = name.lowercased()
                if schema == nil {
                    kept[key, default: []].formUnion(sub.map { [$0.lowercased()] } ?? [])
                } else {
                    keptExtension[key, default: []].formUnion(sub.map { [$0.lowercased()] } ?? [])
                }
            case .element(let name, let type, let sub):
                kept[name.lowercased(), default: []].formUnion([sub.lowercased(), "type"])
                if !(elementTypes[name]?.contains(type) ?? false) { elementTypes[name, default: []].append(type) }
            }
        }
        func restrict(_ schema: SCIMSchema, to names: [String: Set<String>]) -> SCIMSchema {
            var schema = schema
            schema.attributes = schema.attributes.compactMap { attribute in
                guard let subs = names[attribute.name.lowercased()] else { return nil }
                var attribute = attribute
                if !attribute.subAttributes.isEmpty {
                    attribute.subAttributes = attribute.subAttributes.compactMap { sub in
                        guard subs.contains(sub.name.lowercased()) else { return nil }
                        guard sub.name == "type", let types = elementTypes[attribute.name] else { return sub }
                        var sub = sub
                        sub.canonicalValues = types
                        return sub
                    }
                }
                return attribute
            }
            return schema
        }
        var schema = restrict(.user, to: kept)
        if let externalID = SCIMAttribute.commonAttributes.first(where: { $0.name == "externalId" }) {
            schema.attributes.append(externalID)
        }
        return [schema, restrict(.enterpriseUser, to: keptExtension)]
    }

    public func verify(connect: Bool) async -> [String] {
        guard connect else { return [] }
        do {
            try await client.authenticateNow()
            return [try await ownershipNote()]
        } catch let error as SCIMError {
            return ["tenant '\(tenantID)': \(error.detail)"]
        } catch let rejection as ChamiloRejection {
            return ["tenant '\(tenantID)': the Chamilo portal refused '\(rejection.action)': \(rejection.message)"]
        } catch {
            return ["tenant '\(tenantID)': \(error)"]
        }
    }

    /// A login only: it proves the portal answers and the key works, without downloading `get_users`.
    public func probeReachability() async -> String? {
        do {
            try await client.authenticateNow()
            return nil
        } catch let error as SCIMError {
            return "tenant '\(tenantID)': \(error.detail)"
        } catch {
            return "tenant '\(tenantID)': \(error)"
        }
    }

    public func shutdown() async {
        await client.shutdown()
    }

    // MARK: Reading

    public func get(_ kind: ResourceKind, id: String) async throws -> ResourceRecord {
        try requireUsers(kind)
        return try await user(id: id).record
    }

    /// The user with this Chamilo id, or 404. `get_users` takes no id, and no other action returns
    /// the fields a User needs, so this reads the access URL's list and picks the id.
    func user(id: String) async throws -> ChamiloUser {
        let trimmed = id.trimmingCharacters(in: .whitespaces)
        guard let number = Int(trimmed), number > 0,
            let user = try await allUsers().first(where: { Int($0.id) == number })
        else {
            throw SCIMError.notFound("User '\(id)' not found.")
        }
        return user
    }

    /// Every user of the portal's access URL, with the mirrored extra fields.
    func allUsers() async throws -> [ChamiloUser] {
        let data = try await callMapped(listForm())
        return data.chamiloElements.compactMap(ChamiloUser.init)
    }

    func listForm() -> ChamiloForm {
        var form = ChamiloForm(action: "get_users")
        form.append("status", "*")
        form.append("id_campus", String(accessURLID))
        form.append("extra_fields", ChamiloUserMapping.extraFields.joined(separator: ","))
        return form
    }

    func requireUsers(_ kind: ResourceKind) throws {
        guard kind == .user else {
            throw SCIMError(status: 501, detail: "This tenant's Chamilo REST API does not manage Groups.")
        }
    }

    /// A call whose error envelope becomes a SCIM error: "user not found" is 404, a refusal of the
    /// admin's rights 502, anything else 400 `invalidValue` quoting the portal.
    func callMapped(_ form: ChamiloForm) async throws -> JSONValue {
        do {
            return try await client.call(form)
        } catch let rejection as ChamiloRejection {
            throw mapRejection(rejection)
        }
    }

    func mapRejection(_ rejection: ChamiloRejection) -> SCIMError {
        let lowered = rejection.message.lowercased()
        if lowered.contains("usernotfound") || lowered.contains("user not found") {
            return .notFound("The Chamilo portal has no such user.")
        }
        if lowered.contains("notallowed") || lowered.contains("not allowed") {
            return SCIMError(
                status: 502,
                detail: "The Chamilo portal of tenant '\(tenantID)' refused '\(rejection.action)' to the configured "
                    + "admin user; check that it is a platform administrator."
            )
        }
        return .invalidValue("The Chamilo portal refused '\(rejection.action)': \(rejection.message)")
    }
}
