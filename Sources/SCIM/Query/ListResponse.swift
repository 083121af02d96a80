/// The ListResponse message of RFC 7644 §3.4.2.
public enum ListResponse {
    /// A ListResponse body. `totalResults`, `itemsPerPage` and `startIndex` are JSON integers
    /// (clients such as Okta reject strings), `itemsPerPage` is the number of resources on this
    /// page, and `Resources` is present even when the page is empty.
    public static func make(totalResults: Int, startIndex: Int, resources: [JSONObject]) -> JSONObject {
        [
            "schemas": .array([.string(SCIMSchemaURI.listResponse)]),
            "totalResults": .integer(Int64(totalResults)),
            "itemsPerPage": .integer(Int64(resources.count)),
            "startIndex": .integer(Int64(startIndex)),
            "Resources": .array(resources.map(JSONValue.object)),
        ]
    }

    /// A ListResponse of a cursor page (RFC 9865): `nextCursor` while more pages follow, no `startIndex`.
    public static func make(totalResults: Int, resources: [JSONObject], nextCursor: String?) -> JSONObject {
        var body: JSONObject = [
            "schemas": .array([.string(SCIMSchemaURI.listResponse)]),
            "totalResults": .integer(Int64(totalResults)),
            "itemsPerPage": .integer(Int64(resources.count)),
        ]
        if let nextCursor { body["nextCursor"] = .string(nextCursor) }
        body["Resources"] = .array(resources.map(JSONValue.object))
        return body
    }
}
