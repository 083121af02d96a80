extension SQLBackend {
    /// The algorithm and bcrypt cost a tenant writes: the tenant's setting (e.g. `passwordEncryption`) or
    /// the mapping's default, refused when the mapping says the portal cannot verify it (`allowed`).
    static func passwordRule(
        _ hashing: PasswordHashing?,
        mapping: String,
        tenant: String,
        settings: [String: String]
    ) throws -> (PasswordAlgorithm, Int) {
        guard let hashing else { return (.bcrypt, 4) }
        var algorithm = hashing.defaultAlgorithm
        if let setting = hashing.setting, let text = settings[setting] {
            guard let chosen = PasswordAlgorithm(rawValue: text.lowercased()) else {
                throw BackendConfigurationError(
                    "tenant \(tenant): settings.\(setting) '\(text)' is not one of "
                        + PasswordAlgorithm.allCases.map(\.rawValue).joined(separator: ", ")
                )
            }
            algorithm = chosen
        }
        if let allowed = hashing.allowed, !allowed.contains(algorithm) {
            let setting = hashing.setting.map { "settings.\($0) " } ?? ""
            throw BackendConfigurationError(
                "tenant \(tenant): \(setting)'\(algorithm.rawValue)' cannot be used with mapping \(mapping), "
                    + "whose portal verifies only \(allowed.map(\.rawValue).joined(separator: ", ")) hashes "
                    + "(users written with another hash could not log in)"
            )
        }
        var cost = hashing.bcryptCost
        if let setting = hashing.costSetting, let text = settings[setting] {
            // Every create and password change pays this cost on the gateway's own threads: above 12
            // only when the mapping says so on purpose (allowExpensiveBcrypt).
            let highest = hashing.allowExpensiveBcrypt ? 31 : PasswordHashing.ordinaryBcryptCostLimit
            guard let chosen = Int(text), (4...highest).contains(chosen) else {
                throw BackendConfigurationError(
                    "tenant \(tenant): settings.\(setting) '\(text.prefix(40))' must be a bcrypt cost between 4 and \(highest)"
                )
            }
            cost = chosen
        }
        return (algorithm, cost)
    }
}
