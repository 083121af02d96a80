/// Turns a POST or PUT body into canonical resource JSON (the shape of
/// ``ResourceRecord/attributes``): attribute names in their schema's spelling (RFC 7643 §2.1
/// makes them case-insensitive), extension data under the canonical schema URI, values of the
/// declared types. `schemas`, `id`, `meta` and other read-only attributes are ignored
/// (RFC 7643 §2.2); attributes the schemas do not define are dropped and reported.
public struct ResourceNormalizer: Sendable {
    /// The resource type bodies are normalised for.
    public let resourceType: SCIMResourceType
    let catalog: SchemaCatalog

    /// - Parameter schemas: the schemas the tenant stores (core and extensions); `nil` for the
    ///   resource type's own.
    public init(resourceType: SCIMResourceType, schemas: [SCIMSchema]? = nil) {
        self.resourceType = resourceType
        self.catalog = SchemaCatalog(resourceType: resourceType, schemas: schemas)
    }

    /// The canonical attributes of a body.
    /// - Throws: ``SCIMError`` `invalidSyntax` when the body is not an object, `invalidValue` for
    ///   a value of the wrong type or a missing required attribute.
    public func normalize(_ body: JSONValue) throws -> JSONObject {
        try normalizeReportingDropped(body).attributes
    }

    /// The canonical attributes of a body and the paths of the attributes it dropped because the
    /// schemas do not define them (e.g. `nickName`, `emails.label`,
    /// `urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:badge`).
    public func normalizeReportingDropped(_ body: JSONValue) throws -> (attributes: JSONObject, dropped: [String]) {
        guard let object = body.objectValue else {
            throw SCIMError.invalidSyntax("The request body must be a JSON object.")
        }
        var result = JSONObject()
        var dropped: [String] = []
        try forEachAttribute(in: object, dropped: &dropped) { resolved, value, dropped throws(SCIMError) in
            if resolved.attribute.mutability == .readOnly || resolved.subAttribute?.mutability == .readOnly {
                return
            }
            try assign(value, to: resolved, in: &result, dropped: &dropped)
        }
        try checkRequired(result)
        return (result, dropped)
    }

    /// Calls `body` for each attribute a request object sets: plain and dotted names
    /// (`name.givenName`), URN-qualified names (`urn:…:User:employeeNumber`) and extension
    /// objects under their schema URI. `schemas`, `id` and `meta` at the top level are skipped;
    /// names the schemas do not define go to `dropped`.
    func forEachAttribute(
        in object: JSONObject,
        dropped: inout [String],
        _ body: (SchemaCatalog.Resolved, JSONValue, inout [String]) throws(SCIMError) -> Void
    ) throws(SCIMError) {
        for (key, value) in object {
            let lowered = key.lowercased()
            if lowered == "schemas" { continue }
            if let schema = catalog.extensionSchema(key) ?? (catalog.isCore(key) ? catalog.core : nil) {
                guard let inner = value.objectValue else {
                    if value == .null { continue }
                    throw SCIMError.invalidValue("'\(schema.id)' must be a JSON object of its attributes.")
                }
                for (innerKey, innerValue) in inner {
                    guard case .success(let path) = AttributePath.scan(innerKey), path.schema == nil,
                        let resolved = catalog.resolve(
                            AttributePath(schema: schema.id, name: path.name, subAttribute: path.subAttribute)
                        )
                    else {
                        dropped.append("\(schema.id):\(innerKey)")
                        continue
                    }
                    try body(resolved, innerValue, &dropped)
                }
                continue
            }
            guard case .success(let path) = AttributePath.scan(key), let resolved = catalog.resolve(path) else {
                dropped.append(key)
                continue
            }
            try body(resolved, value, &dropped)
        }
    }

    /// Writes a coerced value into the result, merging with what an earlier key set (a body may
    /// carry both `name` and `name.givenName`).
    private func assign(
        _ value: JSONValue,
        to resolved: SchemaCatalog.Resolved,
        in result: inout JSONObject,
        dropped: inout [String]
    ) throws(SCIMError) {
        var container = result.container(for: resolved.extensionURI) ?? JSONObject()
        let attribute = resolved.attribute
        if let sub = resolved.subAttribute {
            let coerced = try coerce(value, for: sub, path: resolved.canonicalPath, dropped: &dropped)
            guard coerced.isUnassigned == false else { return }
            if attribute.multiValued {
                var elements = container[caseInsensitive: attribute.name]?.arrayValue ?? []
                if elements.isEmpty { elements = [.object(JSONObject())] }
                elements = elements.map { element in
                    var object = element.objectValue ?? JSONObject()
                    object.setCanonical(sub.name, coerced)
                    return .object(object)
                }
                container.setCanonical(attribute.name, .array(elements))
            } else {
                var object = container[caseInsensitive: attribute.name]?.objectValue ?? JSONObject()
                object.setCanonical(sub.name, coerced)
                container.setCanonical(attribute.name, .object(object))
            }
        } else {
            let coerced = try coerce(value, for: attribute, path: resolved.canonicalPath, dropped: &dropped)
            guard coerced.isUnassigned == false else { return }
            if attribute.type == .complex, attribute.multiValued == false,
                var merged = container[caseInsensitive: attribute.name]?.objectValue,
                let incoming = coerced.objectValue
            {
                for (key, value) in incoming { merged.setCanonical(key, value) }
                container.setCanonical(attribute.name, .object(merged))
            } else {
                container.setCanonical(attribute.name, coerced)
            }
        }
        result.setContainer(container, for: resolved.extensionURI)
    }

    private func checkRequired(_ result: JSONObject) throws(SCIMError) {
        for attribute in catalog.core.attributes
        where attribute.required && attribute.mutability != .readOnly && result[attribute.name] == nil {
            throw SCIMError.invalidValue("The required attribute '\(attribute.name)' is missing.")
        }
        for schema in catalog.extensions {
            guard let container = result[schema.id]?.objectValue else { continue }
            for attribute in schema.attributes
            where attribute.required && attribute.mutability != .readOnly && container[attribute.name] == nil {
                throw SCIMError.invalidValue("The required attribute '\(schema.id):\(attribute.name)' is missing.")
            }
        }
    }
}

extension JSONObject {
    /// Sets a member under its canonical name, replacing a member whose key differs only in
    /// letter case; `nil` or an unassigned value removes it.
    mutating func setCanonical(_ name: String, _ value: JSONValue?) {
        if let stored = storedKey(caseInsensitive: name), stored != name {
            self[stored] = nil
        }
        if let value, value.isUnassigned == false {
            self[name] = value
        } else {
            self[name] = nil
        }
    }

    /// Stores the object holding an attribute: the resource itself or its extension object,
    /// which is removed when it becomes empty.
    mutating func setContainer(_ container: JSONObject, for extensionURI: String?) {
        guard let extensionURI else {
            self = container
            return
        }
        setCanonical(extensionURI, .object(container))
    }
}
