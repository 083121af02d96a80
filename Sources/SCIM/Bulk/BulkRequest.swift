/// One operation of a bulk request (RFC 7644 §3.7).
public struct BulkOperation: Sendable, Hashable {
    /// The HTTP methods a bulk operation may use.
    public enum Method: String, Sendable, Hashable, CaseIterable {
        case post = "POST"
        case put = "PUT"
        case patch = "PATCH"
        case delete = "DELETE"
    }

    /// The method, read without regard to letter case.
    public var method: Method
    /// The client's transient id of a resource this operation creates; required for POST.
    public var bulkId: String?
    /// The version the client expects (an ETag, as for `If-Match`).
    public var version: String?
    /// The resource path relative to the SCIM base, e.g. `/Users` or `/Groups/17`; it may hold
    /// `bulkId:` references.
    public var path: String
    /// The request body of POST, PUT and PATCH.
    public var data: JSONValue?

    /// An operation with these values.
    public init(method: Method, bulkId: String? = nil, version: String? = nil, path: String, data: JSONValue? = nil) {
        self.method = method
        self.bulkId = bulkId
        self.version = version
        self.path = path
        self.data = data
    }
}

/// A bulk request body (RFC 7644 §3.7), structurally validated.
public struct BulkRequest: Sendable, Hashable {
    /// The number of errors after which the server stops processing; `nil` processes everything.
    public var failOnErrors: Int?
    /// The operations in the order the client sent them.
    public var operations: [BulkOperation]

    /// A request with these values.
    public init(failOnErrors: Int? = nil, operations: [BulkOperation]) {
        self.failOnErrors = failOnErrors
        self.operations = operations
    }

    /// Whether processing stops once this many operations have failed.
    public func shouldStop(afterErrors errorCount: Int) -> Bool {
        guard let failOnErrors else { return false }
        return errorCount >= failOnErrors
    }

    /// Reads a bulk request body. Member names and methods are compared without regard to
    /// letter case.
    ///
    /// - Throws: 413 naming `maxOperations` when there are more operations than that
    ///   (RFC 7644 §3.7.4); 400 `invalidSyntax` when the body is not an object with the
    ///   BulkRequest schema and an `Operations` array; 400 `invalidValue` naming the operation
    ///   when one has a wrong or missing member (a method other than POST, PUT, PATCH or DELETE,
    ///   a path not starting with `/`, a POST without `bulkId`, a repeated `bulkId`, or data
    ///   that is not an object).
    public static func decode(_ body: JSONValue, maxOperations: Int) throws -> BulkRequest {
        guard case .object(let object) = body else {
            throw SCIMError.invalidSyntax("A bulk request must be a JSON object.")
        }
        let schemas = object[caseInsensitive: "schemas"]?.arrayValue?.compactMap(\.stringValue) ?? []
        guard schemas.contains(where: { $0.lowercased() == SCIMSchemaURI.bulkRequest.lowercased() }) else {
            throw SCIMError.invalidSyntax("A bulk request must list the schema \(SCIMSchemaURI.bulkRequest).")
        }
        var failOnErrors: Int?
        switch object[caseInsensitive: "failOnErrors"] {
        case nil, .null?:
            failOnErrors = nil
        case .integer(let value)? where value >= 1:
            failOnErrors = Int(clamping: value)
        default:
            throw SCIMError.invalidValue("failOnErrors must be a positive integer.")
        }
        guard case .array(let elements)? = object[caseInsensitive: "Operations"] else {
            throw SCIMError.invalidSyntax("A bulk request must have an Operations array.")
        }
        guard elements.count <= maxOperations else {
            throw SCIMError(
                status: 413,
                detail:
                    "The bulk request has \(elements.count) operations, more than maxOperations (\(maxOperations))."
            )
        }
        var operations: [BulkOperation] = []
        operations.reserveCapacity(elements.count)
        var bulkIds: Set<String> = []
        for (index, element) in elements.enumerated() {
            let operation = try decodeOperation(element, index: index)
            if let bulkId = operation.bulkId {
                guard bulkIds.insert(bulkId).inserted else {
                    throw SCIMError.invalidValue("Operations[\(index)]: bulkId \"\(bulkId)\" is used more than once.")
                }
            }
            operations.append(operation)
        }
        return BulkRequest(failOnErrors: failOnErrors, operations: operations)
    }

    private static func decodeOperation(_ element: JSONValue, index: Int) throws -> BulkOperation {
        func invalid(_ reason: String) -> SCIMError {
            SCIMError.invalidValue("Operations[\(index)]: \(reason)")
        }
        guard case .object(let object) = element else { throw invalid("an operation must be an object.") }
        guard case .string(let methodText)? = object[caseInsensitive: "method"],
            let method = BulkOperation.Method(rawValue: methodText.uppercased())
        else {
            throw invalid("method must be POST, PUT, PATCH or DELETE.")
        }
        guard case .string(let path)? = object[caseInsensitive: "path"], path.hasPrefix("/") else {
            throw invalid("path must be a string starting with '/'.")
        }
        let bulkId = try optionalString(object[caseInsensitive: "bulkId"]) { invalid("bulkId must be a string.") }
        if method == .post, bulkId?.isEmpty ?? true {
            throw invalid("a POST operation requires a bulkId.")
        }
        let version = try optionalString(object[caseInsensitive: "version"]) { invalid("version must be a string.") }
        var data: JSONValue?
        if method != .delete {
            guard case .object? = object[caseInsensitive: "data"] else {
                throw invalid("\(method.rawValue) requires data as a JSON object.")
            }
            data = object[caseInsensitive: "data"]
        }
        return BulkOperation(method: method, bulkId: bulkId, version: version, path: path, data: data)
    }

    private static func optionalString(_ value: JSONValue?, error: () -> SCIMError) throws -> String? {
        switch value {
        case nil, .null?: return nil
        case .string(let text)?: return text
        default: throw error()
        }
    }
}
