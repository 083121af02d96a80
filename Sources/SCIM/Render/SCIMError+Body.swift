extension SCIMError {
    /// The error response body of RFC 7644 §3.12: `schemas`, `scimType` when set, `detail` and
    /// `status` as a string, as the RFC's examples write it.
    public var body: JSONObject {
        var body: JSONObject = ["schemas": .array([.string(SCIMSchemaURI.error)])]
        if let scimType {
            body["scimType"] = .string(scimType.rawValue)
        }
        body["detail"] = .string(detail)
        body["status"] = .string(String(status))
        return body
    }
}
