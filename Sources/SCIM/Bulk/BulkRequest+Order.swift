/// The order in which a bulk request's operations run (RFC 7644 §3.7.2): an operation that refers to
/// `bulkId:X` runs after the operation that creates X, wherever the client put either of them;
/// otherwise operations keep the client's order.
public struct BulkExecutionPlan: Sendable, Hashable {
    /// Indices into ``BulkRequest/operations`` in the order to run them; operations in ``cyclic`` are
    /// not listed.
    public var order: [Int]
    /// Operations whose references form a cycle (or depend on one): none of them can run first.
    public var cyclic: Set<Int>
}

extension BulkRequest {
    /// The dependency order of the operations: a stable topological sort (among the operations whose
    /// dependencies have run, the one the client sent first goes next). A reference to a bulkId that
    /// no operation of the request creates is not a dependency; it stays unresolved and fails that
    /// operation when it runs.
    public func executionPlan() -> BulkExecutionPlan {
        var creator: [String: Int] = [:]
        for (index, operation) in operations.enumerated() {
            if operation.method == .post, let bulkId = operation.bulkId { creator[bulkId] = index }
        }
        var dependents = Array(repeating: [Int](), count: operations.count)
        var waitingOn = Array(repeating: 0, count: operations.count)
        for (index, operation) in operations.enumerated() {
            let references = Set(operation.bulkIdReferences.compactMap { creator[$0] })
            for dependency in references {
                dependents[dependency].append(index)
                waitingOn[index] += 1
            }
        }
        // Ready operations kept sorted by index, so the client's order decides among them.
        var ready = (0..<operations.count).filter { waitingOn[$0] == 0 }
        var order: [Int] = []
        order.reserveCapacity(operations.count)
        while !ready.isEmpty {
            let next = ready.removeFirst()
            order.append(next)
            for dependent in dependents[next] {
                waitingOn[dependent] -= 1
                if waitingOn[dependent] == 0 {
                    let position = ready.firstIndex { $0 > dependent } ?? ready.endIndex
                    ready.insert(dependent, at: position)
                }
            }
        }
        let placed = Set(order)
        let cyclic = Set((0..<operations.count).filter { !placed.contains($0) })
        return BulkExecutionPlan(order: order, cyclic: cyclic)
    }
}

extension BulkOperation {
    /// Every bulkId this operation refers to, in its path or its data.
    public var bulkIdReferences: [String] {
        resolvingBulkIds(using: [:]).unresolved
    }
}
