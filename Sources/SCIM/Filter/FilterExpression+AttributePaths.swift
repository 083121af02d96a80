extension FilterExpression {
    /// Every attribute the filter names, in order of appearance. Paths inside a value filter are
    /// qualified with the outer attribute: `emails[type eq "work"]` lists `emails.type`.
    public func attributePaths() -> [AttributePath] {
        switch self {
        case .comparison(let path, _, _), .present(let path):
            return [path]
        case .and(let left, let right), .or(let left, let right):
            return left.attributePaths() + right.attributePaths()
        case .not(let inner):
            return inner.attributePaths()
        case .valuePath(let outer, let inner):
            return inner.attributePaths().map {
                AttributePath(schema: outer.schema, name: outer.name, subAttribute: $0.name)
            }
        }
    }

    /// Checks the filter against the attributes a tenant stores: every attribute must exist
    /// (sub-attributes included) and every operator must suit its attribute's type (RFC 7644
    /// §3.4.2.2: `gt`, `ge`, `lt`, `le` do not apply to booleans or binary values, nor do `co`,
    /// `sw`, `ew` to booleans, numbers or dateTime values compared as instants).
    /// - Parameter schemas: the schemas the tenant stores; `nil` for the resource type's own.
    /// - Throws: ``SCIMError`` `invalidFilter` naming the attribute.
    public func validate(for resourceType: SCIMResourceType, schemas: [SCIMSchema]? = nil) throws {
        try validate(catalog: SchemaCatalog(resourceType: resourceType, schemas: schemas))
    }

    func validate(catalog: SchemaCatalog) throws(SCIMError) {
        switch self {
        case .comparison(let path, let comparison, let value):
            let attribute = try Self.leafAttribute(path, catalog: catalog)
            try Self.check(comparison, value, on: attribute, path: path)
        case .present(let path):
            _ = try Self.leafAttribute(path, catalog: catalog)
        case .and(let left, let right), .or(let left, let right):
            try left.validate(catalog: catalog)
            try right.validate(catalog: catalog)
        case .not(let inner):
            try inner.validate(catalog: catalog)
        case .valuePath(let outer, let inner):
            guard let resolved = catalog.resolve(outer) else {
                throw SCIMError.invalidFilter("The filter names the unknown attribute '\(outer)'.")
            }
            for case (let path, let comparison, let value) in inner.comparisons() {
                let qualified = AttributePath(schema: outer.schema, name: outer.name, subAttribute: path.name)
                let sub: SCIMAttribute
                if let found = resolved.attribute.subAttribute(named: path.name) {
                    sub = found
                } else if resolved.attribute.subAttributes.isEmpty, path.name.lowercased() == "value" {
                    sub = resolved.attribute
                } else {
                    throw SCIMError.invalidFilter("The filter names the unknown attribute '\(qualified)'.")
                }
                if let comparison, let value { try Self.check(comparison, value, on: sub, path: qualified) }
            }
        }
    }

    /// The comparisons and presence tests of a value filter (operator and value are nil for `pr`).
    private func comparisons() -> [(AttributePath, ComparisonOperator?, FilterValue?)] {
        switch self {
        case .comparison(let path, let comparison, let value): return [(path, comparison, value)]
        case .present(let path): return [(path, nil, nil)]
        case .and(let left, let right), .or(let left, let right): return left.comparisons() + right.comparisons()
        case .not(let inner): return inner.comparisons()
        case .valuePath: return []
        }
    }

    private static func leafAttribute(
        _ path: AttributePath,
        catalog: SchemaCatalog
    ) throws(SCIMError)
        -> SCIMAttribute
    {
        guard let resolved = catalog.resolve(path) else {
            throw SCIMError.invalidFilter("The filter names the unknown attribute '\(path)'.")
        }
        if let sub = resolved.subAttribute { return sub }
        if resolved.attribute.type == .complex {
            return resolved.attribute.subAttribute(named: "value") ?? resolved.attribute
        }
        return resolved.attribute
    }

    private static func check(
        _ comparison: ComparisonOperator,
        _ value: FilterValue,
        on attribute: SCIMAttribute,
        path: AttributePath
    ) throws(SCIMError) {
        let ordering: Set<ComparisonOperator> = [.gt, .ge, .lt, .le]
        let substring: Set<ComparisonOperator> = [.co, .sw, .ew]
        let unsuitable: Bool
        switch attribute.type {
        case .boolean: unsuitable = ordering.contains(comparison) || substring.contains(comparison)
        case .binary: unsuitable = ordering.contains(comparison)
        case .integer, .decimal, .dateTime: unsuitable = substring.contains(comparison)
        case .complex: unsuitable = comparison != .eq && comparison != .ne
        case .string, .reference: unsuitable = false
        }
        if unsuitable {
            throw SCIMError.invalidFilter(
                "The operator '\(comparison.rawValue)' does not apply to '\(path)', a \(attribute.type.rawValue) attribute."
            )
        }
        if case .null = value, comparison != .eq, comparison != .ne {
            throw SCIMError.invalidFilter("The operator '\(comparison.rawValue)' cannot compare '\(path)' with null.")
        }
    }
}
