import Testing

@testable import SCIM

@Suite struct JSONParsingTests {
    @Test func scalars() throws {
        #expect(try testJSON("null") == .null)
        #expect(try testJSON("true") == .bool(true))
        #expect(try testJSON(" false ") == .bool(false))
        #expect(try testJSON("\"x\"") == .string("x"))
        #expect(try testJSON("0") == .integer(0))
        #expect(try testJSON("-0") == .integer(0))
        #expect(try testJSON("42") == .integer(42))
        #expect(try testJSON("-17") == .integer(-17))
        #expect(try testJSON("1.5") == .decimal(1.5))
        #expect(try testJSON("-2.5e3") == .decimal(-2500))
        #expect(try testJSON("1E2") == .decimal(100))
        #expect(try testJSON("1e-2") == .decimal(0.01))
        #expect(try testJSON("1.0") == .decimal(1.0))
    }

    @Test func integerLimits() throws {
        #expect(try testJSON("9223372036854775807") == .integer(Int64.max))
        #expect(try testJSON("-9223372036854775808") == .integer(Int64.min))
        #expect(try testJSON("9223372036854775808") == .decimal(9_223_372_036_854_775_808))
        #expect(try testJSON("-9223372036854775809") == .decimal(-9.223_372_036_854_775_808e18))
        #expect(try testJSON("123456789012345678901234567890") == .decimal(1.2345678901234568e29))
    }

    @Test func numbersOutOfRangeAreRejected() {
        #expect(thrownSCIMError { _ = try testJSON("1e999") }?.scimType == .invalidSyntax)
        #expect(thrownSCIMError { _ = try testJSON("-1e400") }?.scimType == .invalidSyntax)
    }

    @Test(arguments: [
        "01", "-", "+1", "1.", ".5", "1e", "1e+", "--1", "0x10", "1.e3", "NaN", "Infinity", "-01",
    ])
    func malformedNumbers(text: String) {
        let error = thrownSCIMError { _ = try testJSON(text) }
        #expect(error?.status == 400)
        #expect(error?.scimType == .invalidSyntax)
    }

    @Test func containers() throws {
        #expect(try testJSON("[]") == .array([]))
        #expect(try testJSON("{}") == .object(JSONObject()))
        #expect(
            try testJSON(" [ 1 , \"a\" , [ ] , { } ] ")
                == .array([.integer(1), .string("a"), .array([]), .object([:])])
        )
        let object = try testJSONObject(#"{"b": 1, "a": {"c": [true, null]}}"#)
        #expect(object.keys == ["b", "a"])
        #expect(object["a"] == .object(["c": .array([.bool(true), .null])]))
    }

    @Test func duplicateKeysLastValueWinsAtFirstPosition() throws {
        let object = try testJSONObject(#"{"a": 1, "b": 2, "a": 3}"#)
        #expect(object.keys == ["a", "b"])
        #expect(object["a"] == .integer(3))
    }

    @Test func manyDuplicateKeysInALargeObject() throws {
        var text = "{"
        for index in 0..<2000 {
            text += "\"k\(index % 100)\": \(index),"
        }
        text += "\"last\": 0}"
        let object = try testJSONObject(text)
        #expect(object.count == 101)
        #expect(object["k0"] == .integer(1900))
        #expect(object["k99"] == .integer(1999))
        #expect(object.keys.first == "k0")
    }

    @Test func stringEscapes() throws {
        #expect(try testJSON(#""a\"b\\c\/d""#) == .string("a\"b\\c/d"))
        #expect(try testJSON(#""\b\f\n\r\t""#) == .string("\u{8}\u{C}\n\r\t"))
        #expect(try testJSON(#""\u0041\u00e9\u20AC""#) == .string("Aé€"))
        #expect(try testJSON(#""\u0000""#) == .string("\u{0}"))
        #expect(try testJSON(#""\uD83D\uDE00 ok""#) == .string("😀 ok"))
        #expect(try testJSON(#""prefix \ud834\udd1e""#) == .string("prefix 𝄞"))
        #expect(try testJSON("\"Zoë 😀 日本\"") == .string("Zoë 😀 日本"))
    }

    @Test(arguments: [
        #""\uD83D""#, #""\uDE00""#, #""\uD83Dx""#, #""\uD83D\u0041""#, #""\u12""#, #""\u12G4""#,
        #""\x""#, #""\"#, #""abc"#, "\"a\u{1}b\"", "\"tab\there\"",
    ])
    func malformedStrings(text: String) {
        #expect(thrownSCIMError { _ = try testJSON(text) }?.scimType == .invalidSyntax)
    }

    @Test(
        arguments: [
            [0x22, 0xC0, 0x80, 0x22],  // overlong NUL
            [0x22, 0xC3, 0x22],  // truncated two-byte sequence
            [0x22, 0xED, 0xA0, 0x80, 0x22],  // encoded surrogate
            [0x22, 0xF4, 0x90, 0x80, 0x80, 0x22],  // above U+10FFFF
            [0x22, 0xE0, 0x80, 0xAF, 0x22],  // overlong three-byte form
            [0x22, 0xFF, 0x22],
            [0x22, 0x80, 0x22],  // lone continuation byte
            [0x22, 0x5C, 0x6E, 0xF0, 0x9F, 0x98, 0x22],  // truncated four-byte sequence after an escape
        ] as [[UInt8]]
    )
    func invalidUTF8IsRejected(bytes: [UInt8]) {
        #expect(thrownSCIMError { _ = try JSONValue.parse(bytes) }?.scimType == .invalidSyntax)
    }

    @Test func validMultiByteUTF8() throws {
        let bytes: [UInt8] = [0x22, 0xC3, 0xA9, 0xE2, 0x82, 0xAC, 0xF0, 0x9F, 0x98, 0x80, 0xF4, 0x8F, 0xBF, 0xBF, 0x22]
        #expect(try JSONValue.parse(bytes) == .string("é€😀\u{10FFFF}"))
    }

    @Test func byteOrderMarkIsIgnored() throws {
        #expect(try JSONValue.parse([0xEF, 0xBB, 0xBF] + Array("[1]".utf8)) == .array([.integer(1)]))
    }

    @Test(arguments: [
        "", " ", "[", "]", "{", "}", "[1,]", "[,1]", "[1 2]", "{\"a\"}", "{\"a\":}", "{\"a\":1,}", "{a:1}",
        "{\"a\" 1}", "{1:1}", "tru", "nul", "falsey", "[1]]", "1 2", "{\"a\":1}}", "'a'", "[1,,2]",
        "{\"a\":1 \"b\":2}", "\u{0}",
    ])
    func malformedStructure(text: String) {
        let error = thrownSCIMError { _ = try testJSON(text) }
        #expect(error?.status == 400)
        #expect(error?.scimType == .invalidSyntax)
    }

    @Test func errorsNameTheByteOffset() {
        #expect(thrownSCIMError { _ = try testJSON("[1, 2,, 3]") }?.detail.contains("byte 6") == true)
        #expect(thrownSCIMError { _ = try testJSON(#"{"a": tru}"#) }?.detail.contains("byte 6") == true)
        #expect(thrownSCIMError { _ = try testJSON("[1] x") }?.detail.contains("byte 4") == true)
    }

    @Test func depthLimitAcceptsSixtyFourLevels() throws {
        let arrays = String(repeating: "[", count: 64) + String(repeating: "]", count: 64)
        #expect(throws: Never.self) { try testJSON(arrays) }
        let objects = String(repeating: "{\"a\":", count: 63) + "[]" + String(repeating: "}", count: 63)
        #expect(throws: Never.self) { try testJSON(objects) }
    }

    @Test func depthLimitRejectsSixtyFiveLevels() {
        let arrays = String(repeating: "[", count: 65) + String(repeating: "]", count: 65)
        let error = thrownSCIMError { _ = try testJSON(arrays) }
        #expect(error?.status == 400)
        #expect(error?.scimType == .invalidSyntax)
        #expect(error?.detail.contains("64") == true)
        let objects = String(repeating: "{\"a\":", count: 64) + "{}" + String(repeating: "}", count: 64)
        #expect(thrownSCIMError { _ = try testJSON(objects) }?.scimType == .invalidSyntax)
    }

    @Test func customDepthLimit() throws {
        #expect(throws: Never.self) { try JSONValue.parse("[[1]]", maxDepth: 2) }
        #expect(thrownSCIMError { _ = try JSONValue.parse("[[[1]]]", maxDepth: 2) }?.detail.contains("2") == true)
        #expect(try JSONValue.parse("7", maxDepth: 0) == .integer(7))
        #expect(thrownSCIMError { _ = try JSONValue.parse("[]", maxDepth: 0) } != nil)
    }

    @Test func veryDeepInputDoesNotExhaustTheStack() {
        let deep = String(repeating: "[", count: 200_000)
        #expect(thrownSCIMError { _ = try JSONValue.parse(deep, maxDepth: Int.max) }?.scimType == .invalidSyntax)
    }

    @Test func nonContiguousCollectionsParse() throws {
        let bytes = Array("{\"a\": [1, 2]}".utf8)
        let value = try JSONValue.parse(bytes.lazy.map { $0 })
        #expect(value == .object(["a": .array([.integer(1), .integer(2)])]))
    }
}
