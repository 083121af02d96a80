import Testing

@testable import SCIM

private let user = fixtureObject(
    """
    {"id": "2819c223-7f76-453a-919d-413861904646", "userName": "Bjensen", "externalId": "BJ-1",
     "name": {"givenName": "Barbara", "familyName": "Jensen", "formatted": ""},
     "title": "", "userType": "Employee", "active": true,
     "emails": [{"value": "bjensen@example.com", "type": "work", "primary": true},
                {"value": "babs@jensen.org", "type": "home"}],
     "meta": {"created": "2011-08-01T18:29:49.793Z", "lastModified": "2011-08-01T20:29:49+02:00"},
     "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User": {
        "employeeNumber": "701984", "manager": {"value": "26118915-6090-4610-87e4-49d8ca9f808d"}}}
    """
)

private func matches(_ filter: String, _ resource: JSONObject = user, type: SCIMResourceType = .user) throws -> Bool {
    try FilterParser.parse(filter).evaluate(on: resource, resourceType: type)
}

@Suite struct FilterEvaluationTests {
    @Test func equalityIsCaseInsensitiveUnlessCaseExact() throws {
        #expect(try matches(#"userName eq "bjensen""#))
        #expect(try matches(#"USERNAME eq "BJENSEN""#))
        #expect(try matches(#"externalId eq "BJ-1""#))
        #expect(try matches(#"externalId eq "bj-1""#) == false)
        #expect(try matches(#"id eq "2819C223-7F76-453A-919D-413861904646""#) == false)
        #expect(try matches(#"urn:ietf:params:scim:schemas:core:2.0:User:userName eq "bjensen""#))
    }

    @Test func everyOperatorOnStrings() throws {
        #expect(try matches(#"userName ne "other""#))
        #expect(try matches(#"userName ne "bjensen""#) == false)
        #expect(try matches(#"userName co "JEN""#))
        #expect(try matches(#"userName co "xyz""#) == false)
        #expect(try matches(#"userName sw "bj""#))
        #expect(try matches(#"userName sw "je""#) == false)
        #expect(try matches(#"userName ew "SEN""#))
        #expect(try matches(#"userName ew "bj""#) == false)
        #expect(try matches(#"userName gt "a""#))
        #expect(try matches(#"userName ge "bjensen""#))
        #expect(try matches(#"userName lt "c""#))
        #expect(try matches(#"userName le "BJENSEN""#))
        #expect(try matches(#"userName lt "b""#) == false)
    }

    @Test func presence() throws {
        #expect(try matches("userName pr"))
        #expect(try matches("title pr") == false)
        #expect(try matches("nickName pr") == false)
        #expect(try matches("name pr"))
        #expect(try matches("name.formatted pr") == false)
        #expect(try matches("emails pr"))
        #expect(try matches("phoneNumbers pr") == false)
        #expect(try matches("meta.created pr"))
        #expect(try matches("urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber pr"))
        #expect(try matches("urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value pr"))
        #expect(try matches("urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:costCenter pr") == false)
    }

    @Test func booleansAndNull() throws {
        #expect(try matches("active eq true"))
        #expect(try matches("active eq false") == false)
        #expect(try matches("active ne false"))
        #expect(try matches("active gt false") == false)
        #expect(try matches("nickName eq null"))
        #expect(try matches("userName eq null") == false)
        #expect(try matches("userName ne null"))
    }

    @Test func dateTimesCompareAsInstants() throws {
        #expect(try matches(#"meta.created gt "2011-05-13T04:42:34Z""#))
        #expect(try matches(#"meta.created lt "2011-08-01T18:29:50Z""#))
        #expect(try matches(#"meta.lastModified eq "2011-08-01T18:29:49Z""#))
        #expect(try matches(#"meta.lastModified ge "2011-08-01T20:29:49+02:00""#))
        #expect(try matches(#"meta.lastModified gt "2011-08-01T19:00:00Z""#) == false)
    }

    @Test func multiValuedMatchesAnyValue() throws {
        #expect(try matches(#"emails co "jensen.org""#))
        #expect(try matches(#"emails.value co "example.com""#))
        #expect(try matches(#"emails.type eq "home""#))
        #expect(try matches(#"emails.type eq "other""#) == false)
        #expect(try matches(#"emails ne "babs@jensen.org""#) == false)
    }

    @Test func valuePaths() throws {
        #expect(try matches(#"emails[type eq "work" and value co "@example.com"]"#))
        #expect(try matches(#"emails[type eq "home" and value co "@example.com"]"#) == false)
        #expect(try matches(#"emails[primary eq true]"#))
        #expect(try matches(#"emails[not (type eq "work")]"#))
        #expect(try matches(#"emails[type eq "work"] and userName sw "b""#))
        #expect(try matches(#"phoneNumbers[type eq "work"]"#) == false)
    }

    @Test func combinators() throws {
        #expect(try matches(#"userName eq "x" or active eq true"#))
        #expect(try matches(#"userName eq "x" and active eq true"#) == false)
        #expect(try matches(#"not (userName eq "x")"#))
        #expect(try matches(#"userType eq "Employee" and (emails co "example.com" or emails.value co "example.org")"#))
        #expect(try matches(#"userType ne "Employee" and not (emails co "example.com")"#) == false)
    }

    @Test func extensionAttributes() throws {
        #expect(try matches(#"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber eq "701984""#))
        #expect(try matches(#"employeeNumber eq "701984""#))
        #expect(
            try matches(
                #"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager eq "26118915-6090-4610-87e4-49d8ca9f808d""#
            )
        )
    }

    @Test func numbers() throws {
        let resource = fixtureObject(#"{"userName": "n", "score": 5, "ratio": 2.5}"#)
        #expect(try matches("score eq 5", resource))
        #expect(try matches("score eq 5.0", resource))
        #expect(try matches("score gt 4", resource))
        #expect(try matches("score lt 4.5", resource) == false)
        #expect(try matches("ratio ge 2.5", resource))
        #expect(try matches("ratio le 2", resource) == false)
        #expect(try matches("score co 5", resource) == false)
        #expect(try matches(#"score eq "5""#, resource) == false)
    }

    @Test func groups() throws {
        let group = fixtureObject(
            #"{"displayName": "Tour Guides", "members": [{"value": "a1", "type": "User"}, {"value": "b2"}]}"#
        )
        #expect(try matches(#"displayName eq "tour guides""#, group, type: .group))
        #expect(try matches(#"members[value eq "b2"]"#, group, type: .group))
        #expect(try matches(#"members eq "a1""#, group, type: .group))
        #expect(try matches(#"members[value eq "c3"]"#, group, type: .group) == false)
    }

    @Test func attributePathsAreListedWithValuePathsQualified() throws {
        let filter = try FilterParser.parse(
            #"userName eq "a" and (emails[type eq "work" and value pr] or not (urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value pr))"#
        )
        #expect(
            filter.attributePaths() == [
                AttributePath(name: "userName"), AttributePath(name: "emails", subAttribute: "type"),
                AttributePath(name: "emails", subAttribute: "value"),
                AttributePath(schema: SCIMSchemaURI.enterpriseUser, name: "manager", subAttribute: "value"),
            ]
        )
    }

    @Test func validation() throws {
        try FilterParser.parse(
            #"userName eq "a" and emails[type eq "work"] and meta.lastModified gt "2020-01-01T00:00:00Z""#
        )
        .validate(for: .user)
        let cases: [(String, String)] = [
            ("nickname2 pr", "unknown attribute 'nickname2'"),
            ("name.nope pr", "unknown attribute 'name.nope'"),
            ("emails[kind eq 1]", "unknown attribute 'emails.kind'"),
            ("active gt true", "'gt' does not apply to 'active'"),
            ("active co \"t\"", "'co' does not apply"),
            (#"meta.created co "2011""#, "'co' does not apply"),
            ("userName gt null", "cannot compare"),
            ("urn:example:x:1.0:foo pr", "unknown attribute"),
        ]
        for (text, fragment) in cases {
            let error = capturedSCIMError { try FilterParser.parse(text).validate(for: .user) }
            #expect(error?.scimType == .invalidFilter, "\(text)")
            #expect(error?.detail.contains(fragment) == true, "\(text): \(error?.detail ?? "no error")")
        }
        let stored = [
            SCIMSchema(
                id: SCIMSchemaURI.user,
                name: "User",
                description: "",
                attributes: [SCIMSchema.user.attributes[0]]
            )
        ]
        #expect(
            capturedSCIMError { try FilterParser.parse("title pr").validate(for: .user, schemas: stored) }?.scimType
                == .invalidFilter
        )
        #expect(
            capturedSCIMError { try FilterParser.parse("userName pr and id pr").validate(for: .user, schemas: stored) }
                == nil
        )
    }

    @Test func dateTimeReader() {
        #expect(SCIMDateTime.instant("1970-01-01T00:00:00Z") == 0)
        #expect(SCIMDateTime.instant("1970-01-01T01:00:00+01:00") == 0)
        #expect(SCIMDateTime.instant("2000-03-01T00:00:00Z") == 951_868_800)
        #expect(SCIMDateTime.instant("2011-08-01T18:29:49.5Z") == 1_312_223_389.5)
        #expect(SCIMDateTime.instant("2011-02-29T00:00:00Z") == nil)
        #expect(SCIMDateTime.instant("2011-13-01T00:00:00Z") == nil)
        #expect(SCIMDateTime.instant("yesterday") == nil)
        #expect(SCIMDateTime.instant("2011-08-01T18:29:49Zjunk") == nil)
    }
}
