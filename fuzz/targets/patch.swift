// PATCH engine: any body either decodes to operations or is refused; applying them to a user either
// gives a resource or a SCIM error. Where the RFC makes the inverse well defined (an `add` of a
// single-valued attribute the resource lacks), removing it again restores the resource.
private let base: JSONObject = [
    "userName": .string("ada@example.org"),
    "name": .object(["givenName": .string("Ada"), "familyName": .string("Lovelace")]),
    "emails": .array([.object(["value": .string("ada@example.org"), "type": .string("work"), "primary": .bool(true)])]),
    "active": .bool(true),
]

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzPatch(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let bytes = UnsafeBufferPointer(start: data, count: size)
    guard let body = try? JSONValue.parse(bytes), let request = try? PatchRequest.decode(body) else { return 0 }
    let engine = PatchEngine(resourceType: .user)
    guard let patched = try? engine.apply(request, to: base) else { return 0 }
    _ = JSONValue.object(patched).serialized()
    if request.operations.count == 1, let operation = request.operations.first, operation.op == .add,
        let path = operation.path, path.valueFilter == nil, path.subAttribute == nil,
        path.attribute.schema == nil, path.attribute.subAttribute == nil,
        base[caseInsensitive: path.attribute.name] == nil, patched[caseInsensitive: path.attribute.name] != nil,
        let undo = try? engine.apply(PatchRequest(operations: [PatchOperation(op: .remove, path: path)]), to: patched),
        undo != base
    {
        fatalError("add then remove of \(path) did not restore the resource")
    }
    return 0
}
