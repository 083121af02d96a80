import Foundation
import SCIM

extension ChamiloRESTBackend {
    public func create(_ kind: ResourceKind, attributes: JSONObject) async throws -> ResourceRecord {
        try requireUsers(kind)
        let fields = try ChamiloUserFields(attributes: attributes)
        var form = ChamiloForm(action: "save_user")
        form.append("firstname", fields.firstname)
        form.append("lastname", fields.lastname)
        form.append("status", String(status(of: fields)))
        form.append("email", fields.email)
        form.append("loginname", fields.userName)
        form.append("password", fields.password ?? Self.makeRandomPassword())
        if let language = ChamiloUserMapping.language(forLocale: fields.locale) {
            form.append("language", language)
        }
        if fields.phone.isEmpty == false {
            form.append("phone", fields.phone)
        }
        // save_user creates the extra field named here when the portal lacks it, and always reads both.
        form.append("original_user_id_name", ChamiloUserMapping.externalIDField)
        form.append("original_user_id_value", fields.externalID)
        form.appendExtraFields(fields.extraFields)

        let data: JSONValue
        do {
            data = try await client.call(form)
        } catch let rejection as ChamiloRejection {
            // The refusal's text depends on the portal's language; whether the name is taken does not.
            if try await usernameExists(fields.userName) {
                throw SCIMError.uniqueness("userName '\(fields.userName)' is already taken on this portal.")
            }
            throw mapRejection(rejection)
        }
        guard let id = data.chamiloElements.first?.chamiloText, Int(id) != nil else {
            throw SCIMError(
                status: 502,
                detail: "The Chamilo portal of tenant '\(tenantID)' created the user but returned no user id."
            )
        }
        if fields.active == false || !fields.address.isEmpty || !fields.officialCode.isEmpty {
            // save_user always creates active users and takes neither an address nor an official code.
            var completion = ChamiloForm(action: "update_user_from_username")
            completion.append("loginname", fields.userName)
            if !fields.address.isEmpty { completion.append("address", fields.address) }
            if !fields.officialCode.isEmpty { completion.append("official_code", fields.officialCode) }
            if fields.active == false { completion.append("active", "0") }
            _ = try await callMapped(completion)
        }
        return try await user(id: id).record
    }

    public func replace(
        _ kind: ResourceKind,
        id: String,
        attributes: JSONObject,
        ifMatch: String?
    ) async throws
        -> ResourceRecord
    {
        try requireUsers(kind)
        let fields = try ChamiloUserFields(attributes: attributes)
        return try await locks.withLock(UserLocks.key(id)) {
            let current = try await self.user(id: id)
            try await self.requireOwnership(of: current)
            try current.record.requireVersion(ifMatch)
            return try await self.update(current, to: fields)
        }
    }

    public func modify(
        _ kind: ResourceKind,
        id: String,
        ifMatch: String?,
        change: @Sendable (ResourceRecord) throws -> JSONObject
    ) async throws -> ResourceRecord {
        try requireUsers(kind)
        return try await locks.withLock(UserLocks.key(id)) {
            let current = try await self.user(id: id)
            try await self.requireOwnership(of: current)
            try current.record.requireVersion(ifMatch)
            let fields = try ChamiloUserFields(attributes: try change(current.record))
            return try await self.update(current, to: fields)
        }
    }

    public func delete(_ kind: ResourceKind, id: String, mode: DeprovisionMode, ifMatch: String?) async throws {
        try requireUsers(kind)
        try await locks.withLock(UserLocks.key(id)) {
            let current = try await self.user(id: id)
            try await self.requireOwnership(of: current)
            try current.record.requireVersion(ifMatch)
            switch mode {
            case .deactivate:
                // The API cannot hide a user: the user stays visible with active = false.
                guard current.active else { return }
                var form = ChamiloForm(action: "update_user_from_username")
                form.append("loginname", current.username)
                form.append("active", "0")
                _ = try await self.callMapped(form)
            case .delete:
                var form = ChamiloForm(action: "delete_user")
                form.append("user_id", current.id)
                let data = try await self.callMapped(form)
                guard data.objectValue?["status"]?.chamiloFlag == true else {
                    throw SCIMError(
                        status: 409,
                        detail: "The Chamilo portal refused to delete user '\(current.username)' (for example, "
                            + "the only teacher of a course); deactivate the user instead."
                    )
                }
            }
        }
    }

    /// Sends the new state of a user through `update_user_from_username`, which accepts neither a
    /// password nor a new login name, then reads the user back.
    private func update(_ current: ChamiloUser, to fields: ChamiloUserFields) async throws -> ResourceRecord {
        if fields.password != nil {
            throw SCIMError.invalidValue(
                "The Chamilo API cannot change passwords; change the password in Chamilo itself."
            )
        }
        if fields.userName != current.username {
            throw SCIMError.invalidValue(
                "userName cannot change on this tenant: the Chamilo API identifies the user to update by login name."
            )
        }
        var form = ChamiloForm(action: "update_user_from_username")
        form.append("loginname", current.username)
        form.append("firstname", fields.firstname)
        form.append("lastname", fields.lastname)
        form.append("email", fields.email)
        form.append("phone", fields.phone)
        form.append("address", fields.address)
        form.append("official_code", fields.officialCode)
        form.append("status", String(status(of: fields)))
        if let language = ChamiloUserMapping.language(forLocale: fields.locale) {
            form.append("language", language)
        }
        form.append("active", fields.active ? "1" : "0")
        form.appendExtraFields(
            [(name: ChamiloUserMapping.externalIDField, value: fields.externalID)] + fields.extraFields
        )
        _ = try await callMapped(form)
        return try await user(id: current.id).record
    }

    private func status(of fields: ChamiloUserFields) -> Int {
        ChamiloUserMapping.status(
            forUserType: fields.userType.isEmpty ? nil : fields.userType,
            defaultStatus: defaultStatus
        )
    }

    func usernameExists(_ userName: String) async throws -> Bool {
        var form = ChamiloForm(action: "username_exist")
        form.append("loginname", userName)
        let data = try await callMapped(form)
        return data.chamiloElements.first?.chamiloFlag ?? false
    }

    /// A password for users created without one: 24 characters with every character class.
    static func makeRandomPassword() -> String {
        let classes: [[Character]] = [
            Array("ABCDEFGHJKLMNPQRSTUVWXYZ"), Array("abcdefghijkmnopqrstuvwxyz"), Array("23456789"),
            Array("!#%+-=?@_~"),
        ]
        let all = classes.flatMap { $0 }
        var generator = SystemRandomNumberGenerator()
        var characters = classes.map { $0.randomElement(using: &generator) ?? "x" }
        while characters.count < 24 {
            characters.append(all.randomElement(using: &generator) ?? "x")
        }
        characters.shuffle(using: &generator)
        return String(characters)
    }
}
