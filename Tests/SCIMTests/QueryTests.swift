import Testing

@testable import SCIM

@Suite struct QueryTests {
    @Test func defaults() throws {
        let parameters = try ListParameters.fromQuery([:], maxResults: 1000)
        #expect(parameters == ListParameters())
        #expect(parameters.startIndex == 1)
        #expect(parameters.count == nil)
        #expect(parameters.sortOrder == .ascending)
        #expect(parameters.pageSize(defaultCount: 100, maxResults: 1000) == 100)
        #expect(parameters.pageSize(defaultCount: 5000, maxResults: 1000) == 1000)
    }

    @Test func namesAreCaseInsensitive() throws {
        let parameters = try ListParameters.fromQuery(
            [
                "FILTER": "userName eq \"a\"", "SortBy": "name.familyName", "sortorder": "Descending",
                "STARTINDEX": "3", "Count": "10", "ATTRIBUTES": "userName, emails", "excludedattributes": "meta",
                "unknown": "x",
            ],
            maxResults: 1000
        )
        #expect(parameters.filter == "userName eq \"a\"")
        #expect(parameters.sortBy == "name.familyName")
        #expect(parameters.sortOrder == .descending)
        #expect(parameters.startIndex == 3)
        #expect(parameters.count == 10)
        #expect(parameters.attributes == ["userName", "emails"])
        #expect(parameters.excludedAttributes == ["meta"])
    }

    @Test(arguments: [("0", 1), ("-5", 1), ("1", 1), (" 7 ", 7)])
    func startIndexClamping(text: String, expected: Int) throws {
        #expect(try ListParameters.fromQuery(["startIndex": text], maxResults: 10).startIndex == expected)
    }

    @Test(arguments: [("-1", 0), ("0", 0), ("5", 5), ("1000", 1000), ("1001", 1000), ("99999", 1000)])
    func countClamping(text: String, expected: Int) throws {
        #expect(try ListParameters.fromQuery(["count": text], maxResults: 1000).count == expected)
    }

    @Test(arguments: ["startIndex", "count"])
    func nonIntegersAreRejected(parameter: String) {
        for bad in ["x", "1.5", "", "99999999999999999999999", "1e3"] {
            let error = thrownSCIMError { _ = try ListParameters.fromQuery([parameter: bad], maxResults: 1000) }
            #expect(error?.status == 400)
            #expect(error?.scimType == .invalidValue)
            #expect(error?.detail.contains(parameter) == true)
        }
    }

    @Test func badSortOrder() {
        let error = thrownSCIMError { _ = try ListParameters.fromQuery(["sortOrder": "up"], maxResults: 10) }
        #expect(error?.scimType == .invalidValue)
        #expect(error?.detail.contains("sortOrder") == true)
    }

    /// DESIGN.md: an empty `filter=` is a malformed filter (400 invalidFilter), not "list everything";
    /// a blank `sortBy` still means no sorting.
    @Test func blankFilterIsInvalid() throws {
        for blank in ["", "  "] {
            let error = thrownSCIMError { _ = try ListParameters.fromQuery(["filter": blank], maxResults: 10) }
            #expect(error?.status == 400 && error?.scimType == .invalidFilter, "'\(blank)'")
        }
        #expect(try ListParameters.fromQuery(["sortBy": ""], maxResults: 10).sortBy == nil)
    }

    /// WHATWG form decoding: `+` is a space, then percent-escapes; a broken escape stays literal.
    @Test func formDecoding() {
        let pairs = FormURLEncoding.pairs(
            "filter=userName+eq+%22a%2Bb%40x.org%22&count=5&&flag&x=%zz%4&%C3%A9=%E2%82%AC"
        )
        #expect(pairs.map(\.name) == ["filter", "count", "flag", "x", "é"])
        #expect(pairs.map(\.value) == [#"userName eq "a+b@x.org""#, "5", "", "%zz%4", "€"])
        #expect(FormURLEncoding.decode(Array("%FF%FE".utf8)) == "\u{FFFD}\u{FFFD}")
        #expect(FormURLEncoding.pairs("a=b=c").first?.value == "b=c")
    }

    @Test func searchRequest() throws {
        let body = try testJSON(
            """
            {"schemas": ["urn:ietf:params:scim:api:messages:2.0:SearchRequest"],
             "attributes": ["displayName", "userName"], "excludedAttributes": ["meta"],
             "filter": "displayName sw \\"smith\\"", "sortBy": "userName", "sortOrder": "descending",
             "startIndex": 0, "count": 5000}
            """
        )
        let parameters = try ListParameters.fromSearchRequest(body, maxResults: 1000)
        #expect(parameters.attributes == ["displayName", "userName"])
        #expect(parameters.excludedAttributes == ["meta"])
        #expect(parameters.filter == "displayName sw \"smith\"")
        #expect(parameters.sortBy == "userName")
        #expect(parameters.sortOrder == .descending)
        #expect(parameters.startIndex == 1)
        #expect(parameters.count == 1000)
    }

    @Test func searchRequestRequiresItsSchema() throws {
        for text in [#"{"filter": "x"}"#, #"{"schemas": ["urn:other"]}"#, "[]", #""x""#] {
            let error = thrownSCIMError { _ = try ListParameters.fromSearchRequest(try testJSON(text), maxResults: 10) }
            #expect(error?.status == 400)
            #expect(error?.scimType == .invalidSyntax)
        }
    }

    @Test(arguments: [
        #""startIndex": "1""#, #""count": 1.5"#, #""count": true"#, #""attributes": [1]"#,
        #""excludedAttributes": {}"#, #""filter": 3"#, #""sortOrder": "sideways""#, #""sortBy": []"#,
    ])
    func searchRequestWrongTypes(member: String) throws {
        let body = try testJSON(#"{"schemas": ["urn:ietf:params:scim:api:messages:2.0:SearchRequest"], \#(member)}"#)
        let error = thrownSCIMError { _ = try ListParameters.fromSearchRequest(body, maxResults: 10) }
        #expect(error?.status == 400)
        #expect(error?.scimType == .invalidValue)
    }

    @Test func searchRequestLenientForms() throws {
        let body = try testJSON(
            #"{"SCHEMAS": ["URN:IETF:PARAMS:SCIM:API:MESSAGES:2.0:SEARCHREQUEST"], "Count": 2.0, "attributes": "a,b", "filter": null}"#
        )
        let parameters = try ListParameters.fromSearchRequest(body, maxResults: 10)
        #expect(parameters.count == 2)
        #expect(parameters.attributes == ["a", "b"])
        #expect(parameters.filter == nil)
    }

    @Test func listResponse() {
        let body = ListResponse.make(
            totalResults: 12,
            startIndex: 11,
            resources: [["id": .string("a")], ["id": .string("b")]]
        )
        #expect(body.keys == ["schemas", "totalResults", "itemsPerPage", "startIndex", "Resources"])
        #expect(body["totalResults"] == .integer(12))
        #expect(body["itemsPerPage"] == .integer(2))
        #expect(body["startIndex"] == .integer(11))
        #expect(body["Resources"]?.arrayValue?.count == 2)
        #expect(body["schemas"] == .array([.string(SCIMSchemaURI.listResponse)]))
    }

    @Test func emptyListResponseKeepsResources() {
        let body = ListResponse.make(totalResults: 0, startIndex: 1, resources: [])
        #expect(body["Resources"] == .array([]))
        #expect(body.jsonString.contains(#""Resources":[]"#))
        #expect(body["itemsPerPage"] == .integer(0))
    }
}
