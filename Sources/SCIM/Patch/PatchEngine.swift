/// Applies PATCH requests (RFC 7644 §3.5.2) to canonical resource JSON, accepting the dialects
/// of real clients without switches: Entra's capitalised ops, `"True"`/`"False"` strings,
/// path-less values with dotted, URN-qualified or filtered keys, member removal by value list, plain-string
/// `manager`, JSON-encoded `roles`, filtered replaces that create the missing element; Okta's
/// group renames carrying `id`, members without `type`, `replace members []`.
///
/// The engine is pure: the caller loads the current state, applies, and stores the result in one
/// transaction. Either every operation applies or the request fails with the first error.
/// To have changes of `id` and `meta` rejected, include them in the resource passed in.
public struct PatchEngine: Sendable {
    /// The resource type patched.
    public let resourceType: SCIMResourceType
    let catalog: SchemaCatalog
    let normalizer: ResourceNormalizer

    /// - Parameter schemas: the schemas the tenant stores (core and extensions); `nil` for the
    ///   resource type's own.
    public init(resourceType: SCIMResourceType, schemas: [SCIMSchema]? = nil) {
        self.resourceType = resourceType
        self.catalog = SchemaCatalog(resourceType: resourceType, schemas: schemas)
        self.normalizer = ResourceNormalizer(resourceType: resourceType, schemas: schemas)
    }

    /// The resource after every operation.
    /// - Throws: ``SCIMError`` (`invalidPath`, `invalidValue`, `mutability`, `noTarget`) whose
    ///   detail names the operation.
    public func apply(_ request: PatchRequest, to resource: JSONObject) throws -> JSONObject {
        try applyReportingDropped(request, to: resource).resource
    }

    /// The resource after every operation and the attributes that path-less values carried but the
    /// schemas do not define (dropped, as for POST).
    public func applyReportingDropped(
        _ request: PatchRequest,
        to resource: JSONObject
    ) throws
        -> (resource: JSONObject, dropped: [String])
    {
        var state = resource
        var dropped: [String] = []
        for (index, operation) in request.operations.enumerated() {
            do {
                try apply(operation, to: &state, dropped: &dropped)
            } catch {
                var labelled = error
                let target = operation.path.map { " \($0)" } ?? ""
                labelled.detail = "Operation \(index + 1) (\(operation.op.rawValue)\(target)): \(error.detail)"
                throw labelled
            }
        }
        return (state, dropped)
    }

    /// What a path designates once resolved against the schemas.
    enum Target {
        /// A whole extension object, by its schema.
        case extensionObject(SCIMSchema)
        /// An attribute or one sub-attribute of it.
        case attribute(SchemaCatalog.Resolved)
        /// Elements of a multi-valued attribute chosen by a filter, optionally one sub-attribute of each.
        case filtered(SchemaCatalog.Resolved, FilterExpression, SCIMAttribute?)
    }

    func apply(_ operation: PatchOperation, to state: inout JSONObject, dropped: inout [String]) throws(SCIMError) {
        guard let path = operation.path else {
            guard operation.op != .remove else { throw SCIMError.noTarget("'remove' needs a 'path'.") }
            guard let value = operation.value?.objectValue else {
                throw SCIMError.invalidValue("A path-less operation needs a JSON object of attributes as its value.")
            }
            // Entra's path-less values may carry filtered keys (`"emails[type eq \"work\"].value": "…"`):
            // each is applied as an operation with that path.
            var object = JSONObject()
            for (key, member) in value.members {
                guard key.contains("[") else {
                    object[key] = member
                    continue
                }
                let keyed = PatchOperation(op: operation.op, path: try PatchPath.parseTyped(key), value: member)
                try apply(keyed, to: &state, dropped: &dropped)
            }
            try normalizer.forEachAttribute(in: object, dropped: &dropped) {
                resolved,
                value,
                dropped throws(SCIMError) in
                try apply(operation.op, to: resolved, value: value, in: &state, dropped: &dropped)
            }
            return
        }
        switch try resolve(path) {
        case .extensionObject(let schema):
            try applyToExtension(operation, schema: schema, in: &state, dropped: &dropped)
        case .attribute(let resolved):
            try apply(operation.op, to: resolved, value: operation.value, in: &state, dropped: &dropped)
        case .filtered(let resolved, let filter, let sub):
            try applyFiltered(operation.op, to: resolved, filter: filter, sub: sub, value: operation.value, in: &state)
        }
    }

    /// A path-ful operation on a whole extension: its value holds the extension's attributes.
    private func applyToExtension(
        _ operation: PatchOperation,
        schema: SCIMSchema,
        in state: inout JSONObject,
        dropped: inout [String]
    ) throws(SCIMError) {
        if operation.op == .remove {
            for attribute in schema.attributes {
                let resolved = SchemaCatalog.Resolved(extensionURI: schema.id, attribute: attribute, subAttribute: nil)
                if state.container(for: schema.id)?[caseInsensitive: attribute.name] != nil {
                    try apply(.remove, to: resolved, value: nil, in: &state, dropped: &dropped)
                }
            }
            state.setCanonical(schema.id, nil)
            return
        }
        guard let object = operation.value?.objectValue else {
            throw SCIMError.invalidValue("The value for '\(schema.id)' must be a JSON object of its attributes.")
        }
        try normalizer.forEachAttribute(in: [schema.id: .object(object)], dropped: &dropped) {
            resolved,
            value,
            dropped throws(SCIMError) in
            try apply(operation.op, to: resolved, value: value, in: &state, dropped: &dropped)
        }
    }

    /// Resolves a path against the schemas; an unknown attribute is `invalidPath` naming it.
    func resolve(_ path: PatchPath) throws(SCIMError) -> Target {
        let attributePath = path.attribute
        if path.valueFilter == nil, attributePath.subAttribute == nil, let schema = attributePath.schema,
            let extensionSchema = catalog.extensionSchema("\(schema):\(attributePath.name)")
        {
            return .extensionObject(extensionSchema)
        }
        let top = AttributePath(schema: attributePath.schema, name: attributePath.name)
        guard let resolved = catalog.resolve(top) else {
            throw SCIMError.invalidPath("The path names the unknown attribute '\(top)'.")
        }
        guard let filter = path.valueFilter else {
            guard let subName = attributePath.subAttribute else { return .attribute(resolved) }
            guard let sub = resolved.attribute.subAttribute(named: subName) else {
                throw SCIMError.invalidPath("The path names the unknown attribute '\(attributePath)'.")
            }
            return .attribute(
                SchemaCatalog.Resolved(
                    extensionURI: resolved.extensionURI,
                    attribute: resolved.attribute,
                    subAttribute: sub
                )
            )
        }
        guard resolved.attribute.multiValued else {
            throw SCIMError.invalidPath("A value filter needs a multi-valued attribute; '\(top)' is single-valued.")
        }
        do {
            try FilterExpression.valuePath(top, filter).validate(catalog: catalog)
        } catch {
            throw SCIMError.invalidPath(error.detail)
        }
        guard let subName = path.subAttribute else { return .filtered(resolved, filter, nil) }
        guard let sub = resolved.attribute.subAttribute(named: subName) else {
            throw SCIMError.invalidPath("The path names the unknown attribute '\(top).\(subName)'.")
        }
        return .filtered(resolved, filter, sub)
    }
}
