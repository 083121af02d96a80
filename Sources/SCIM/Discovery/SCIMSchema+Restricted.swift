extension SCIMSchema {
    /// The schema with only the attributes a tenant's mapping stores, so /Schemas publishes
    /// exactly what the tenant can hold.
    ///
    /// `stored` holds attribute paths, compared without regard to letter case, plain (`name`,
    /// `name.givenName`) or qualified by this schema's URI. A top-level path keeps the attribute
    /// whole (`emails` keeps every sub-attribute); a sub-attribute path keeps its parent with the
    /// named sub-attributes only.
    public func restricted(to stored: Set<String>) -> SCIMSchema {
        let prefix = id.lowercased() + ":"
        var whole: Set<String> = []
        var parts: [String: Set<String>] = [:]
        for path in stored {
            var lowered = path.lowercased()
            if lowered.hasPrefix(prefix) { lowered.removeFirst(prefix.count) }
            if let dot = lowered.firstIndex(of: ".") {
                parts[String(lowered[..<dot]), default: []].insert(String(lowered[lowered.index(after: dot)...]))
            } else {
                whole.insert(lowered)
            }
        }
        var copy = self
        copy.attributes = attributes.compactMap { attribute in
            let name = attribute.name.lowercased()
            if whole.contains(name) { return attribute }
            guard let names = parts[name] else { return nil }
            var kept = attribute
            kept.subAttributes = attribute.subAttributes.filter { names.contains($0.name.lowercased()) }
            return kept.subAttributes.isEmpty ? nil : kept
        }
        return copy
    }
}
