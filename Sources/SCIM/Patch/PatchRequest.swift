/// One operation of a PATCH request (RFC 7644 §3.5.2).
public struct PatchOperation: Sendable, Hashable {
    /// The operation; clients' spelling (`Add`, `Replace`, `Remove`) is accepted in any case.
    public enum Op: String, Sendable, Hashable, CaseIterable {
        case add, replace, remove
    }

    public var op: Op
    /// The target; `nil` means the resource itself (not allowed for `remove`).
    public var path: PatchPath?
    /// The value; `nil` when the request had none.
    public var value: JSONValue?

    public init(op: Op, path: PatchPath? = nil, value: JSONValue? = nil) {
        self.op = op
        self.path = path
        self.value = value
    }
}

/// A decoded PATCH request body.
public struct PatchRequest: Sendable, Hashable {
    /// The operations, applied in order.
    public var operations: [PatchOperation]

    public init(operations: [PatchOperation]) {
        self.operations = operations
    }

    /// Decodes a PATCH body: `schemas` must list the PatchOp message schema; `Operations`, `op`,
    /// `path` and `value` are found without regard to letter case, and `op` is compared the same way.
    /// - Throws: ``SCIMError`` `invalidSyntax` for a malformed body, `invalidValue` for an unknown
    ///   operation or a missing value, `invalidPath` for a bad path, `noTarget` for a `remove`
    ///   without a path.
    public static func decode(_ body: JSONValue) throws -> PatchRequest {
        guard let object = body.objectValue else {
            throw SCIMError.invalidSyntax("The PATCH body must be a JSON object.")
        }
        let patchSchema = SCIMSchemaURI.patchOp.lowercased()
        guard let schemas = object[caseInsensitive: "schemas"]?.arrayValue,
            schemas.contains(where: { $0.stringValue?.lowercased() == patchSchema })
        else {
            throw SCIMError.invalidSyntax("The PATCH body's 'schemas' must list '\(SCIMSchemaURI.patchOp)'.")
        }
        guard let operationValues = object[caseInsensitive: "Operations"] else {
            throw SCIMError.invalidSyntax("The PATCH body has no 'Operations'.")
        }
        guard let elements = operationValues.arrayValue else {
            throw SCIMError.invalidSyntax("The PATCH body's 'Operations' must be an array.")
        }
        guard elements.isEmpty == false else {
            throw SCIMError.invalidValue("The PATCH body's 'Operations' is empty.")
        }
        var operations: [PatchOperation] = []
        for (index, element) in elements.enumerated() {
            operations.append(try decodeOperation(element, number: index + 1))
        }
        return PatchRequest(operations: operations)
    }

    private static func decodeOperation(_ element: JSONValue, number: Int) throws(SCIMError) -> PatchOperation {
        let label = "Operation \(number)"
        guard let object = element.objectValue else {
            throw SCIMError.invalidSyntax("\(label) must be a JSON object.")
        }
        guard let opValue = object[caseInsensitive: "op"] else {
            throw SCIMError.invalidSyntax("\(label) has no 'op'.")
        }
        guard let opText = opValue.stringValue else {
            throw SCIMError.invalidSyntax("\(label): 'op' must be a string.")
        }
        guard let op = PatchOperation.Op(rawValue: opText.lowercased()) else {
            throw SCIMError.invalidValue(
                "\(label): 'op' is '\(opText.truncatedForDetail)'; expected 'add', 'replace' or 'remove'."
            )
        }
        var path: PatchPath?
        switch object[caseInsensitive: "path"] {
        case nil, .null?:
            path = nil
        case .string(let text)? where text.isEmpty:
            path = nil
        case .string(let text)?:
            do {
                path = try PatchPath.parseTyped(text)
            } catch {
                throw SCIMError.invalidPath("\(label): \(error.detail)")
            }
        default:
            throw SCIMError.invalidSyntax("\(label): 'path' must be a string.")
        }
        let value = object[caseInsensitive: "value"]
        switch op {
        case .remove where path == nil:
            throw SCIMError.noTarget("\(label): 'remove' needs a 'path'.")
        case .add where value == nil, .replace where value == nil:
            throw SCIMError.invalidValue("\(label): '\(op.rawValue)' needs a 'value'.")
        case .add where path == nil, .replace where path == nil:
            guard value?.objectValue != nil else {
                throw SCIMError.invalidValue(
                    "\(label): '\(op.rawValue)' without a 'path' needs a JSON object of attributes as its 'value'."
                )
            }
        default:
            break
        }
        return PatchOperation(op: op, path: path, value: value)
    }
}
