import SCIM

/// The ownership rules as far as `v2.php` shows them. `get_users` lists the users of one access URL
/// without their other URLs or an administrator flag, so the backend can recognise only the account
/// it signs in with (a platform administrator, as the API requires) and system accounts (`status` 6,
/// which `get_users` can filter on). Users shared with other portals and other administrators are
/// indistinguishable from the portal's own users here; the README's backend table says so.
extension ChamiloRESTBackend {
    /// The `status` of the installer's anonymous user.
    static let anonymousStatus = 6

    /// Throws the 403 for a write on a user the API shows to be read-only.
    func requireOwnership(of user: ChamiloUser) async throws {
        if user.username.lowercased() == client.username.lowercased() {
            throw OwnershipRefusal.administrator.error(id: user.id)
        }
        if try await systemAccountIDs().contains(user.id) {
            throw OwnershipRefusal.systemAccount.error(id: user.id)
        }
    }

    /// The ids of this access URL's system accounts.
    func systemAccountIDs() async throws -> Set<String> {
        var form = ChamiloForm(action: "get_users")
        form.append("status", String(Self.anonymousStatus))
        form.append("id_campus", String(accessURLID))
        let data = try await callMapped(form)
        return Set(data.chamiloElements.compactMap(ChamiloUser.init).map(\.id))
    }

    /// The `check --connect` line: what is read-only, and what the API cannot tell.
    func ownershipNote() async throws -> String {
        let users = try await allUsers()
        let system = try await systemAccountIDs()
        let administrators = users.filter { $0.username.lowercased() == client.username.lowercased() }.count
        let systemCount = users.filter { system.contains($0.id) }.count
        return "\(VerificationNote.notePrefix) tenant '\(tenantID)': \(administrators + systemCount) of "
            + "\(users.count) visible users are read-only to SCIM (\(administrators) platform administrator "
            + "used by the gateway, \(systemCount) system accounts); the Chamilo API does not tell which users "
            + "are shared with other portals or are other administrators"
    }
}
