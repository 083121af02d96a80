/// A bulk response body (RFC 7644 §3.7): one result per operation processed.
public struct BulkResponse: Sendable, Hashable {
    /// The outcome of one operation.
    public struct Result: Sendable, Hashable {
        public var method: BulkOperation.Method
        public var bulkId: String?
        public var version: String?
        /// The URL of the resource created or changed.
        public var location: String?
        /// The HTTP status the operation would have had on its own.
        public var status: Int
        /// The error body of a failed operation (RFC 7644 §3.7.3).
        public var response: JSONObject?

        /// A result with these values.
        public init(
            method: BulkOperation.Method,
            bulkId: String? = nil,
            version: String? = nil,
            location: String? = nil,
            status: Int,
            response: JSONObject? = nil
        ) {
            self.method = method
            self.bulkId = bulkId
            self.version = version
            self.location = location
            self.status = status
            self.response = response
        }

        /// The result of an operation that failed with this error.
        public init(method: BulkOperation.Method, bulkId: String? = nil, location: String? = nil, error: SCIMError) {
            self.init(method: method, bulkId: bulkId, location: location, status: error.status, response: error.body)
        }

        /// The operation's entry in `Operations`, with `status` as a string as RFC 7644 writes it.
        public var body: JSONObject {
            var body = JSONObject()
            if let location { body["location"] = .string(location) }
            body["method"] = .string(method.rawValue)
            if let bulkId { body["bulkId"] = .string(bulkId) }
            if let version { body["version"] = .string(version) }
            body["status"] = .string(String(status))
            if let response { body["response"] = .object(response) }
            return body
        }
    }

    /// The results in the order the operations were processed.
    public var operations: [Result]

    /// A response with these results.
    public init(operations: [Result]) {
        self.operations = operations
    }

    /// The response body.
    public var body: JSONObject {
        [
            "schemas": .array([.string(SCIMSchemaURI.bulkResponse)]),
            "Operations": .array(operations.map { .object($0.body) }),
        ]
    }
}
