// Bulk: any body decodes or is refused; the execution plan places every operation exactly once, a
// creator before everything that refers to its bulkId, and resolution never crashes.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzBulk(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let bytes = UnsafeBufferPointer(start: data, count: size)
    guard let body = try? JSONValue.parse(bytes), let request = try? BulkRequest.decode(body, maxOperations: 1000)
    else { return 0 }
    let plan = request.executionPlan()
    let placed = plan.order + plan.cyclic.sorted()
    if placed.sorted() != Array(request.operations.indices) { fatalError("the plan loses or repeats operations") }
    var position: [Int: Int] = [:]
    for (index, operation) in plan.order.enumerated() { position[operation] = index }
    var created: [String: String] = [:]
    for index in plan.order {
        let operation = request.operations[index]
        for reference in operation.bulkIdReferences {
            if let creator = request.operations.firstIndex(where: { $0.method == .post && $0.bulkId == reference }),
                let before = position[creator], let after = position[index], before >= after
            {
                fatalError("operation \(index) runs before the creator of bulkId \(reference)")
            }
        }
        _ = operation.resolvingBulkIds(using: created)
        if let bulkId = operation.bulkId { created[bulkId] = "id-\(index)" }
    }
    return 0
}
