import SCIM

/// Why a tenant may not change a user it sees (DESIGN.md "Ownership on a shared database").
enum OwnershipRefusal: String, Sendable, CaseIterable {
    case administrator
    case systemAccount
    case shared

    /// The 403 a write on the user answers, naming the reason.
    func error(id: String) -> SCIMError {
        let detail: String
        switch self {
        case .administrator:
            detail =
                "User \(id) is a platform administrator of the Chamilo installation; a portal's identity "
                + "provider cannot change it (change it in Chamilo's administration)."
        case .systemAccount:
            detail =
                "User \(id) is a system account of the Chamilo installation (such as the anonymous user); "
                + "it cannot be changed through SCIM."
        case .shared:
            detail =
                "User \(id) is shared with other portals of this Chamilo installation; only a platform "
                + "administrator can change it, in Chamilo."
        }
        return SCIMError(status: 403, detail: detail)
    }
}
