import Testing

@testable import SCIM

@Suite struct BulkTests {
    private let example = #"""
        {"schemas": ["urn:ietf:params:scim:api:messages:2.0:BulkRequest"], "failOnErrors": 1,
         "Operations": [
          {"method": "POST", "path": "/Users", "bulkId": "qwerty",
           "data": {"schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"], "userName": "Alice"}},
          {"method": "put", "path": "/Users/b7c14771", "version": "W/\"3694e05e9dff591\"",
           "data": {"userName": "Bob"}},
          {"method": "Patch", "path": "/Groups/bulkId:ytrewq",
           "data": {"Operations": [{"op": "add", "path": "members", "value": [{"value": "bulkId:qwerty"}]}]}},
          {"method": "DELETE", "path": "/Users/5d8d29d3", "version": "W/\"0ee8add0a938e1a\""}
         ]}
        """#

    @Test func decodesTheRFCExample() throws {
        let request = try BulkRequest.decode(try testJSON(example), maxOperations: 1000)
        #expect(request.failOnErrors == 1)
        #expect(request.operations.map(\.method) == [.post, .put, .patch, .delete])
        #expect(request.operations[0].bulkId == "qwerty")
        #expect(request.operations[0].data?.objectValue?["userName"] == .string("Alice"))
        #expect(request.operations[1].version == "W/\"3694e05e9dff591\"")
        #expect(request.operations[3].data == nil)
        #expect(request.operations[3].path == "/Users/5d8d29d3")
        #expect(request.shouldStop(afterErrors: 1))
        #expect(!request.shouldStop(afterErrors: 0))
    }

    @Test func noFailOnErrorsNeverStops() throws {
        let body = try testJSON(
            #"{"schemas": ["urn:ietf:params:scim:api:messages:2.0:BulkRequest"], "Operations": []}"#
        )
        let request = try BulkRequest.decode(body, maxOperations: 10)
        #expect(request.failOnErrors == nil)
        #expect(request.operations.isEmpty)
        #expect(!request.shouldStop(afterErrors: 100))
    }

    @Test func tooManyOperationsIs413NamingTheLimit() throws {
        let operation = #"{"method": "DELETE", "path": "/Users/1"}"#
        let body = try testJSON(
            #"{"schemas": ["urn:ietf:params:scim:api:messages:2.0:BulkRequest"], "Operations": [\#(operation), \#(operation), \#(operation)]}"#
        )
        #expect(try BulkRequest.decode(body, maxOperations: 3).operations.count == 3)
        let error = thrownSCIMError { _ = try BulkRequest.decode(body, maxOperations: 2) }
        #expect(error?.status == 413)
        #expect(error?.detail.contains("maxOperations (2)") == true)
    }

    @Test(arguments: [
        #"{"Operations": []}"#,
        #"{"schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"], "Operations": []}"#,
        #"{"schemas": ["urn:ietf:params:scim:api:messages:2.0:BulkRequest"]}"#,
        #"{"schemas": ["urn:ietf:params:scim:api:messages:2.0:BulkRequest"], "Operations": {}}"#,
        "[]",
    ])
    func structuralErrors(text: String) throws {
        let error = thrownSCIMError { _ = try BulkRequest.decode(try testJSON(text), maxOperations: 10) }
        #expect(error?.status == 400)
        #expect(error?.scimType == .invalidSyntax)
    }

    @Test(arguments: [
        #"{"method": "GET", "path": "/Users"}"#,
        #"{"path": "/Users/1"}"#,
        #"{"method": "DELETE"}"#,
        #"{"method": "DELETE", "path": "Users/1"}"#,
        #"{"method": "POST", "path": "/Users", "data": {}}"#,
        #"{"method": "POST", "path": "/Users", "bulkId": "", "data": {}}"#,
        #"{"method": "POST", "path": "/Users", "bulkId": 1, "data": {}}"#,
        #"{"method": "POST", "path": "/Users", "bulkId": "a"}"#,
        #"{"method": "PUT", "path": "/Users/1", "data": "x"}"#,
        #"{"method": "DELETE", "path": "/Users/1", "version": 3}"#,
        #""DELETE /Users/1""#,
    ])
    func operationErrors(operation: String) throws {
        let body = try testJSON(
            #"{"schemas": ["urn:ietf:params:scim:api:messages:2.0:BulkRequest"], "Operations": [\#(operation)]}"#
        )
        let error = thrownSCIMError { _ = try BulkRequest.decode(body, maxOperations: 10) }
        #expect(error?.status == 400)
        #expect(error?.scimType == .invalidValue)
        #expect(error?.detail.contains("Operations[0]") == true)
    }

    @Test(arguments: [#""failOnErrors": 0"#, #""failOnErrors": "1""#, #""failOnErrors": 1.5"#])
    func badFailOnErrors(member: String) throws {
        let body = try testJSON(
            #"{"schemas": ["urn:ietf:params:scim:api:messages:2.0:BulkRequest"], \#(member), "Operations": []}"#
        )
        #expect(thrownSCIMError { _ = try BulkRequest.decode(body, maxOperations: 10) }?.scimType == .invalidValue)
    }

    @Test func duplicateBulkIdsAreRejected() throws {
        let post = #"{"method": "POST", "path": "/Users", "bulkId": "a", "data": {"userName": "x"}}"#
        let body = try testJSON(
            #"{"schemas": ["urn:ietf:params:scim:api:messages:2.0:BulkRequest"], "Operations": [\#(post), \#(post)]}"#
        )
        let error = thrownSCIMError { _ = try BulkRequest.decode(body, maxOperations: 10) }
        #expect(error?.scimType == .invalidValue)
        #expect(error?.detail.contains("Operations[1]") == true)
    }

    @Test func responseBody() {
        let response = BulkResponse(operations: [
            .init(method: .post, bulkId: "qwerty", version: "W/\"1\"", location: "http://h/Users/92b7", status: 201),
            .init(method: .delete, location: "http://h/Users/5d8d", status: 204),
            .init(method: .post, bulkId: "x", error: .uniqueness("userName is taken.")),
        ])
        let body = response.body
        #expect(body["schemas"] == .array([.string(SCIMSchemaURI.bulkResponse)]))
        let operations = body["Operations"]?.arrayValue?.compactMap(\.objectValue) ?? []
        #expect(operations.count == 3)
        #expect(operations[0].keys == ["location", "method", "bulkId", "version", "status"])
        #expect(operations[0]["status"] == .string("201"))
        #expect(operations[0]["method"] == .string("POST"))
        #expect(operations[1]["bulkId"] == nil)
        #expect(operations[1]["status"] == .string("204"))
        #expect(operations[2]["status"] == .string("409"))
        #expect(operations[2]["location"] == nil)
        #expect(operations[2]["response"] == .object(SCIMError.uniqueness("userName is taken.").body))
    }

    @Test func resolvesBulkIdsAnywhere() throws {
        let data = try testJSON(
            #"{"members": [{"value": "bulkId:a", "type": "User"}, {"value": "bulkId:b"}], "nested": {"deep": ["bulkId:a"]}, "plain": "a", "prefix": "xbulkId:a"}"#
        )
        let (resolved, unresolved) = resolvingBulkIds(in: data, using: ["a": "101", "b": "102"])
        #expect(unresolved.isEmpty)
        #expect(
            resolved
                == (try testJSON(
                    #"{"members": [{"value": "101", "type": "User"}, {"value": "102"}], "nested": {"deep": ["101"]}, "plain": "a", "prefix": "xbulkId:a"}"#
                ))
        )
        #expect(resolved.objectValue?.keys == ["members", "nested", "plain", "prefix"])
    }

    @Test func reportsUnresolvedBulkIdsOnce() throws {
        let data = try testJSON(#"["bulkId:x", "bulkId:a", {"v": "bulkId:x"}, "bulkId:y"]"#)
        let (resolved, unresolved) = resolvingBulkIds(in: data, using: ["a": "1"])
        #expect(unresolved == ["x", "y"])
        #expect(resolved == (try testJSON(#"["bulkId:x", "1", {"v": "bulkId:x"}, "bulkId:y"]"#)))
        #expect(bulkIdReferences(in: data) == ["x", "a", "y"])
    }

    @Test func operationResolvesPathAndData() throws {
        let request = try BulkRequest.decode(try testJSON(example), maxOperations: 1000)
        let (patch, unresolved) = request.operations[2].resolvingBulkIds(using: ["qwerty": "92b7", "ytrewq": "e9e3"])
        #expect(unresolved.isEmpty)
        #expect(patch.path == "/Groups/e9e3")
        #expect(patch.data?.jsonString.contains(#""value":"92b7""#) == true)
        let (_, missing) = request.operations[2].resolvingBulkIds(using: [:])
        #expect(missing == ["ytrewq", "qwerty"])
    }
}
