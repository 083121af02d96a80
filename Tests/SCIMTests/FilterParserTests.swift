import Testing

@testable import SCIM

private func path(_ name: String, _ sub: String? = nil, schema: String? = nil) -> AttributePath {
    AttributePath(schema: schema, name: name, subAttribute: sub)
}

private func parse(_ text: String) throws -> FilterExpression {
    try FilterParser.parse(text)
}

@Suite struct AttributePathParsingTests {
    @Test func simpleSubAttributeAndReference() throws {
        #expect(try AttributePath.parse("userName") == path("userName"))
        #expect(try AttributePath.parse("name.givenName") == path("name", "givenName"))
        #expect(try AttributePath.parse("meta.lastModified") == path("meta", "lastModified"))
        #expect(try AttributePath.parse("$ref") == path("$ref"))
        #expect(try AttributePath.parse("members.$ref") == path("members", "$ref"))
    }

    @Test func schemaQualified() throws {
        #expect(
            try AttributePath.parse("urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber")
                == path("employeeNumber", schema: SCIMSchemaURI.enterpriseUser)
        )
        #expect(
            try AttributePath.parse("urn:ietf:params:scim:schemas:core:2.0:User:userName")
                == path("userName", schema: SCIMSchemaURI.user)
        )
        #expect(
            try AttributePath.parse("urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value")
                == path("manager", "value", schema: SCIMSchemaURI.enterpriseUser)
        )
    }

    @Test(arguments: [
        ("", "offset 0"), ("1abc", "offset 0"), ("a.b.c", "offset 3"), ("name.", "offset 5"),
        ("user name", "offset 4"), ("foo:bar", "schema URI"), ("na%me", "offset 2"), ("urn:x:", "offset 6"),
    ])
    func invalidPaths(text: String, fragment: String) {
        let error = capturedSCIMError { _ = try AttributePath.parse(text) }
        #expect(error?.scimType == .invalidPath)
        #expect(error?.detail.contains(fragment) == true, "\(error?.detail ?? "no error")")
    }
}

@Suite struct FilterParserTests {
    @Test(arguments: ComparisonOperator.allCases)
    func everyComparisonOperatorInAnyCase(comparison: ComparisonOperator) throws {
        for spelling in [
            comparison.rawValue, comparison.rawValue.uppercased(),
            comparison.rawValue.prefix(1).uppercased() + comparison.rawValue.dropFirst(),
        ] {
            #expect(try parse("userName \(spelling) \"x\"") == .comparison(path("userName"), comparison, .string("x")))
        }
    }

    @Test func present() throws {
        #expect(try parse("title pr") == .present(path("title")))
        #expect(try parse("title PR") == .present(path("title")))
    }

    @Test func literals() throws {
        #expect(try parse("active eq true") == .comparison(path("active"), .eq, .bool(true)))
        #expect(try parse("active eq False") == .comparison(path("active"), .eq, .bool(false)))
        #expect(try parse("title eq null") == .comparison(path("title"), .eq, .null))
        #expect(try parse("age gt 42") == .comparison(path("age"), .gt, .integer(42)))
        #expect(try parse("age gt -7") == .comparison(path("age"), .gt, .integer(-7)))
        #expect(try parse("score ge 1.5") == .comparison(path("score"), .ge, .decimal(1.5)))
        #expect(try parse("score le 2e3") == .comparison(path("score"), .le, .decimal(2000)))
        #expect(try parse("n eq 99999999999999999999") == .comparison(path("n"), .eq, .decimal(1e20)))
        #expect(
            try parse("meta.lastModified gt \"2011-05-13T04:42:34Z\"")
                == .comparison(path("meta", "lastModified"), .gt, .string("2011-05-13T04:42:34Z"))
        )
    }

    @Test func stringEscapes() throws {
        #expect(
            try parse(#"displayName eq "a\"b\\c\/d\n\t\u00e9\ud83d\ude00""#)
                == .comparison(path("displayName"), .eq, .string("a\"b\\c/d\n\té😀"))
        )
    }

    @Test func precedenceNotOverAndOverOr() throws {
        let a = FilterExpression.present(path("a"))
        let b = FilterExpression.present(path("b"))
        let c = FilterExpression.present(path("c"))
        #expect(try parse("a pr or b pr and c pr") == .or(a, .and(b, c)))
        #expect(try parse("a pr and b pr or c pr") == .or(.and(a, b), c))
        #expect(try parse("(a pr or b pr) and c pr") == .and(.or(a, b), c))
        #expect(try parse("not (a pr) and b pr") == .and(.not(a), b))
        #expect(try parse("a pr and b pr and c pr") == .and(.and(a, b), c))
        #expect(try parse("a pr or b pr or c pr") == .or(.or(a, b), c))
        #expect(try parse("a pr AND b pr Or c pr") == .or(.and(a, b), c))
        #expect(try parse("NOT(a pr)") == .not(a))
        #expect(try parse("((a pr))") == a)
    }

    @Test func valuePaths() throws {
        #expect(
            try parse(#"emails[type eq "work" and value co "@x"]"#)
                == .valuePath(
                    path("emails"),
                    .and(
                        .comparison(path("type"), .eq, .string("work")),
                        .comparison(path("value"), .co, .string("@x"))
                    )
                )
        )
        #expect(
            try parse(#"userType eq "Employee" and emails[type eq "work" and value co "@example.com"]"#)
                == .and(
                    .comparison(path("userType"), .eq, .string("Employee")),
                    .valuePath(
                        path("emails"),
                        .and(
                            .comparison(path("type"), .eq, .string("work")),
                            .comparison(path("value"), .co, .string("@example.com"))
                        )
                    )
                )
        )
        #expect(
            try parse(#"emails[not (type eq "home")]"#)
                == .valuePath(path("emails"), .not(.comparison(path("type"), .eq, .string("home"))))
        )
    }

    @Test func rfcExamples() throws {
        let examples = [
            #"userName Eq "john""#,
            #"name.familyName co "O'Malley""#,
            #"userName sw "J""#,
            #"urn:ietf:params:scim:schemas:core:2.0:User:userName sw "J""#,
            "title pr",
            #"meta.lastModified gt "2011-05-13T04:42:34Z""#,
            #"meta.lastModified ge "2011-05-13T04:42:34Z""#,
            #"title pr and userType eq "Employee""#,
            #"title pr or userType eq "Intern""#,
            #"schemas eq "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User""#,
            #"userType eq "Employee" and (emails co "example.com" or emails.value co "example.org")"#,
            #"userType ne "Employee" and not (emails co "example.com" or emails.value co "example.org")"#,
            #"userType eq "Employee" and emails[type eq "work" and value co "@example.com"]"#,
            #"emails[type eq "work" and value co "@example.com"] or ims[type eq "xmpp" and value co "@foo.com"]"#,
        ]
        for example in examples {
            let parsed = try parse(example)
            #expect(try parse(parsed.description) == parsed, "\(example)")
        }
    }

    @Test(arguments: [
        ("", "offset 0: the filter is empty"),
        ("userName", "offset 8: expected an operator"),
        ("userName foo \"x\"", "offset 9: expected an operator"),
        ("userName eq", "offset 11: expected a value"),
        ("userName eq \"bob", "offset 12: unterminated string"),
        ("userName eq \"bob\" xor a pr", "offset 18: expected 'and', 'or' or the end of the filter"),
        ("(userName pr", "offset 12: expected ')' to close the '(' at offset 0"),
        ("userName pr)", "offset 11: expected 'and', 'or'"),
        ("emails[type eq \"work\"", "offset 21: expected ']' to close the '[' at offset 6"),
        ("emails[type[value pr]]", "offset 11: value filters cannot be nested"),
        ("emails[urn:a:b:type pr]", "offset 7: inside a value filter"),
        ("name.givenName[value pr]", "offset 14: a value filter applies to an attribute"),
        ("not userName pr", "offset 4: expected '(' after 'not'"),
        ("and pr and", "offset 10: expected an attribute path"),
        ("a pr and", "offset 8: expected an attribute path"),
        ("a eq \"\\x\"", "offset 6: invalid escape sequence"),
        ("a eq \"\\u12\"", "offset 6: \\u escape needs four hexadecimal digits"),
        ("a eq \"\\ud800\"", "offset 6: unpaired UTF-16 surrogate"),
        ("a eq \"x\u{01}\"", "offset 7: control character U+0001"),
        ("a\u{0}b eq 1", "offset 1: unexpected character U+0000"),
        ("1a eq 1", "offset 0: an attribute name starts with a letter"),
        ("a.b.c pr", "offset 3: an attribute path has at most one sub-attribute"),
        ("[a pr]", "offset 0: expected an attribute path"),
    ])
    func errorsNameTheirOffset(text: String, fragment: String) {
        let error = capturedSCIMError { _ = try FilterParser.parse(text) }
        #expect(error?.status == 400)
        #expect(error?.scimType == .invalidFilter)
        #expect(error?.detail.contains(fragment) == true, "\(text): \(error?.detail ?? "no error")")
    }

    /// DESIGN.md: a bare word that is not `true`, `false`, `null` or a number is a string value
    /// (Microsoft documents `externalId eq jyoung`); numbers and keywords keep their JSON meaning.
    @Test(arguments: [
        ("externalId eq jyoung", FilterValue.string("jyoung")),
        ("id eq 5a9a0e1c-7b6f-4f3e-9a4e-2b1d6c3f8e70", .string("5a9a0e1c-7b6f-4f3e-9a4e-2b1d6c3f8e70")),
        ("userName eq ada@example.org", .string("ada@example.org")),
        ("a eq 01", .string("01")),
        ("a eq 1.", .string("1.")),
        ("a eq 12", .integer(12)),
        ("a eq -1.5", .decimal(-1.5)),
        ("active eq TRUE", .bool(true)),
        ("a eq null", .null),
    ])
    func bareWordsAreStrings(text: String, value: FilterValue) throws {
        guard case .comparison(_, .eq, let parsed) = try parse(text) else {
            Issue.record("\(text) is not a comparison")
            return
        }
        #expect(parsed == value, "\(text)")
    }

    /// Found by fuzz/run filter: bare words print quoted, so a filter near the length limit prints longer
    /// than the limit; with the limit lifted it reads back as the same tree.
    @Test func printedBareWordsMayExceedTheLengthLimit() throws {
        let text = Array(repeating: "userName co abcdefgh", count: 160).joined(separator: " and ")
        #expect(text.count < 4096)
        let parsed = try parse(text)
        #expect(parsed.description.count > 4096)
        #expect(try FilterParser.parse(parsed.description, limits: FilterLimits(maxLength: Int.max)) == parsed)
    }

    @Test func lengthLimit() throws {
        let long = "userName eq \"" + String(repeating: "x", count: 4096) + "\""
        let error = capturedSCIMError { _ = try FilterParser.parse(long) }
        #expect(error?.scimType == .invalidFilter)
        #expect(error?.detail.contains("limit is 4096") == true)
        #expect(try FilterParser.parse(long, limits: FilterLimits(maxLength: 10_000)) != .present(path("x")))
    }

    @Test func depthLimit() throws {
        let nested32 = String(repeating: "(", count: 32) + "a pr" + String(repeating: ")", count: 32)
        #expect(try FilterParser.parse(nested32) == .present(path("a")))
        let nested33 = "(" + nested32 + ")"
        let error = capturedSCIMError { _ = try FilterParser.parse(nested33) }
        #expect(error?.scimType == .invalidFilter)
        #expect(error?.detail.contains("offset 32: the filter nests deeper than 32 levels") == true)
        let notNested = String(repeating: "not (", count: 33) + "a pr" + String(repeating: ")", count: 33)
        #expect(capturedSCIMError { _ = try FilterParser.parse(notNested) }?.scimType == .invalidFilter)
        let shallow = FilterLimits(maxLength: 4096, maxDepth: 1)
        #expect(capturedSCIMError { _ = try FilterParser.parse("emails[type pr]", limits: shallow) } == nil)
        #expect(
            capturedSCIMError { _ = try FilterParser.parse("(emails[type pr])", limits: shallow) }?.scimType
                == .invalidFilter
        )
    }

    @Test func hostileInputsAreRejectedWithoutCrashing() {
        let limits = FilterLimits(maxLength: 1_000_000, maxDepth: 1_000_000)
        let hostile = [
            String(repeating: "(", count: 10_000) + "a pr" + String(repeating: ")", count: 10_000),
            String(repeating: "(", count: 10_000),
            String(repeating: "not (", count: 10_000),
            "emails[" + String(repeating: "(", count: 10_000),
            "a eq \"" + String(repeating: "\\", count: 9_999),
            String(repeating: "\u{0}", count: 100),
            "a eq \"\u{0}\"",
            String(repeating: "\"", count: 10_001),
            String(repeating: "a pr and ", count: 2_000),
            "\u{FEFF}a pr",
        ]
        for text in hostile {
            #expect(capturedSCIMError { _ = try FilterParser.parse(text, limits: limits) }?.scimType == .invalidFilter)
            #expect(capturedSCIMError { _ = try FilterParser.parse(text) }?.scimType == .invalidFilter)
        }
    }

    @Test func longChainsAreBounded() throws {
        let limits = FilterLimits(maxLength: 1_000_000)
        let chain = (0..<1002).map { _ in "a pr" }.joined(separator: " and ")
        let error = capturedSCIMError { _ = try FilterParser.parse(chain, limits: limits) }
        #expect(error?.detail.contains("more than 1000 'and' and 'or' operators") == true)
        let shortestRejected = (0..<1002).map { _ in "a pr" }.joined(separator: " or ").count
        #expect(shortestRejected > FilterLimits().maxLength)
        let short = (0..<400).map { _ in "a pr" }.joined(separator: " or ")
        #expect(try FilterParser.parse(short).attributePaths().count == 400)
    }

    @Test func canonicalText() throws {
        #expect(try parse(#"userName EQ "x""#).description == #"userName eq "x""#)
        #expect(try parse("(a pr or b pr) and c pr").description == "(a pr or b pr) and c pr")
        #expect(try parse("a pr or (b pr or c pr)").description == "a pr or (b pr or c pr)")
        #expect(try parse("a pr or b pr or c pr").description == "a pr or b pr or c pr")
        #expect(try parse("a pr and (b pr and c pr)").description == "a pr and (b pr and c pr)")
        #expect(try parse("not(a pr)").description == "not (a pr)")
        #expect(try parse(#"emails[type eq "work"]"#).description == #"emails[type eq "work"]"#)
        #expect(try parse("a eq 1.0").description == "a eq 1.0")
        #expect(try parse("a eq 1E2").description == "a eq 100.0")
        #expect(try parse(#"a eq "q\"\u0001""#).description == #"a eq "q\"\u0001""#)
    }
}
