/// The query parameters of a list or search request (RFC 7644 §3.4.2 and §3.4.3), validated and
/// clamped but not yet interpreted: the filter and sort attribute stay text for the filter parser.
public struct ListParameters: Sendable, Hashable {
    /// The direction of `sortOrder`.
    public enum SortOrder: String, Sendable, Hashable {
        case ascending
        case descending
    }

    /// The `filter` text, when given and not blank.
    public var filter: String?
    /// The `sortBy` attribute path, when given and not blank.
    public var sortBy: String?
    /// The `sortOrder`; ascending unless asked otherwise (RFC 7644 §3.4.2.3).
    public var sortOrder: SortOrder
    /// The 1-based index of the first result; values below 1 are read as 1.
    public var startIndex: Int
    /// The page size asked for, at least 0 and at most the server's `maxResults`; `nil` when the
    /// client left it to the server.
    public var count: Int?
    /// Attribute names of the `attributes` parameter.
    public var attributes: [String]
    /// Attribute names of the `excludedAttributes` parameter.
    public var excludedAttributes: [String]
    /// RFC 9865's `cursor`: empty for the first page, the previous page's `nextCursor` after that;
    /// nil when the client pages by index.
    public var cursor: String?

    /// Parameters with these values.
    public init(
        filter: String? = nil,
        sortBy: String? = nil,
        sortOrder: SortOrder = .ascending,
        startIndex: Int = 1,
        count: Int? = nil,
        attributes: [String] = [],
        excludedAttributes: [String] = []
    ) {
        self.filter = filter
        self.sortBy = sortBy
        self.sortOrder = sortOrder
        self.startIndex = startIndex
        self.count = count
        self.attributes = attributes
        self.excludedAttributes = excludedAttributes
    }

    /// The page size to use: the client's `count`, or `defaultCount` (itself capped) when absent.
    public func pageSize(defaultCount: Int, maxResults: Int) -> Int {
        count ?? max(0, min(defaultCount, maxResults))
    }

    /// Reads the URL query of `GET /Users`, `GET /Groups` and the like. Parameter names are
    /// compared without regard to letter case; unknown parameters are ignored.
    ///
    /// - Throws: 400 `invalidValue` naming the parameter when `startIndex` or `count` is not an
    ///   integer, or when `sortOrder` is neither `ascending` nor `descending`.
    public static func fromQuery(_ items: [String: String], maxResults: Int) throws -> ListParameters {
        var parameters = ListParameters()
        for (name, value) in items {
            switch name.lowercased() {
            case "filter":
                parameters.filter = try filterText(value)
            case "sortby":
                parameters.sortBy = nonBlank(value)
            case "sortorder":
                parameters.sortOrder = try sortOrder(value)
            case "startindex":
                parameters.startIndex = max(1, try integer(value, parameter: "startIndex"))
            case "count":
                parameters.count = clampCount(try integer(value, parameter: "count"), maxResults: maxResults)
            case "attributes":
                parameters.attributes = AttributeProjection.parseList(value)
            case "excludedattributes":
                parameters.excludedAttributes = AttributeProjection.parseList(value)
            case "cursor":
                parameters.cursor = value
            default:
                continue
            }
        }
        return parameters
    }

    /// Reads the body of `POST /.search` (RFC 7644 §3.4.3). Member names are compared without
    /// regard to letter case; `attributes` and `excludedAttributes` are arrays of strings (a
    /// comma-separated string is accepted too).
    ///
    /// - Throws: 400 `invalidSyntax` when the body is not an object carrying the SearchRequest
    ///   schema; 400 `invalidValue` naming the member when one has the wrong type or value.
    public static func fromSearchRequest(_ body: JSONValue, maxResults: Int) throws -> ListParameters {
        guard case .object(let object) = body else {
            throw SCIMError.invalidSyntax("A search request must be a JSON object.")
        }
        let schemas = object[caseInsensitive: "schemas"]?.arrayValue?.compactMap(\.stringValue) ?? []
        guard schemas.contains(where: { $0.lowercased() == SCIMSchemaURI.searchRequest.lowercased() }) else {
            throw SCIMError.invalidSyntax("A search request must list the schema \(SCIMSchemaURI.searchRequest).")
        }
        var parameters = ListParameters()
        for (name, value) in object where value != .null {
            switch name.lowercased() {
            case "filter":
                parameters.filter = try filterText(try string(value, member: "filter"))
            case "sortby":
                parameters.sortBy = nonBlank(try string(value, member: "sortBy"))
            case "sortorder":
                parameters.sortOrder = try sortOrder(try string(value, member: "sortOrder"))
            case "startindex":
                parameters.startIndex = max(1, try integer(value, member: "startIndex"))
            case "count":
                parameters.count = clampCount(try integer(value, member: "count"), maxResults: maxResults)
            case "attributes":
                parameters.attributes = try names(value, member: "attributes")
            case "excludedattributes":
                parameters.excludedAttributes = try names(value, member: "excludedAttributes")
            case "cursor":
                parameters.cursor = try string(value, member: "cursor")
            default:
                continue
            }
        }
        return parameters
    }

    /// A filter that is present must say something: `filter=` is a malformed filter, not "everything".
    private static func filterText(_ text: String) throws -> String {
        guard let text = nonBlank(text) else {
            throw SCIMError.invalidFilter("The filter is empty; leave the filter parameter out to list every resource.")
        }
        return text
    }

    private static func nonBlank(_ text: String) -> String? {
        text.allSatisfy(\.isWhitespace) ? nil : text
    }

    private static func clampCount(_ count: Int, maxResults: Int) -> Int {
        max(0, min(count, max(0, maxResults)))
    }

    private static func sortOrder(_ text: String) throws -> SortOrder {
        guard let order = SortOrder(rawValue: trimmingWhitespace(text).lowercased()) else {
            throw SCIMError.invalidValue("sortOrder must be \"ascending\" or \"descending\".")
        }
        return order
    }

    private static func integer(_ text: String, parameter: String) throws -> Int {
        guard let value = Int(trimmingWhitespace(text)) else {
            throw SCIMError.invalidValue("\(parameter) must be an integer.")
        }
        return value
    }

    private static func string(_ value: JSONValue, member: String) throws -> String {
        guard case .string(let text) = value else {
            throw SCIMError.invalidValue("\(member) must be a string.")
        }
        return text
    }

    private static func integer(_ value: JSONValue, member: String) throws -> Int {
        switch value {
        case .integer(let integer):
            return Int(clamping: integer)
        case .decimal(let decimal) where decimal.rounded() == decimal && abs(decimal) < 1e15:
            return Int(decimal)
        default:
            throw SCIMError.invalidValue("\(member) must be an integer.")
        }
    }

    private static func names(_ value: JSONValue, member: String) throws -> [String] {
        switch value {
        case .string(let text):
            return AttributeProjection.parseList(text)
        case .array(let elements):
            var names: [String] = []
            for element in elements {
                guard case .string(let text) = element else {
                    throw SCIMError.invalidValue("\(member) must be an array of strings.")
                }
                names += AttributeProjection.parseList(text)
            }
            return names
        default:
            throw SCIMError.invalidValue("\(member) must be an array of strings.")
        }
    }
}

/// The text without leading and trailing white space.
private func trimmingWhitespace(_ text: String) -> String {
    guard let first = text.firstIndex(where: { !$0.isWhitespace }),
        let last = text.lastIndex(where: { !$0.isWhitespace })
    else { return "" }
    return String(text[first...last])
}
