import Testing

@testable import SCIM

/// Which PATCHes are member-only, and the difference they make, applied in order.
@Suite struct PatchMemberChangesTests {
    func changes(_ text: String) throws -> MemberChanges? {
        try PatchRequest.decode(try JSONValue.parse(text)).memberChanges()
    }

    let schema = #""schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"]"#

    @Test func okta256AddsAndFilteredRemoves() throws {
        let members = (1...256).map { #"{"value":"\#($0)","display":"u\#($0)"}"# }.joined(separator: ",")
        let add = try #require(
            try changes(#"{\#(schema),"Operations":[{"op":"add","path":"members","value":[\#(members)]}]}"#)
        )
        #expect(add.adding.count == 256 && add.removing.isEmpty)
        let remove = try #require(
            try changes(#"{\#(schema),"Operations":[{"op":"remove","path":"members[value eq \"7\"]"}]}"#)
        )
        #expect(remove.removing == ["7"] && remove.adding.isEmpty)
    }

    @Test func entraValueListRemoveAndOrder() throws {
        let result = try #require(
            try changes(
                #"{\#(schema),"Operations":[{"op":"Add","path":"members","value":[{"$ref":null,"value":"1"},{"value":"2"}]},"#
                    + #"{"op":"Remove","path":"members","value":[{"value":"1"},{"value":"3"}]},"#
                    + #"{"op":"add","path":"members","value":{"value":"3","type":"User"}}]}"#
            )
        )
        #expect(result.adding == ["2", "3"])
        #expect(result.removing == ["1"])
    }

    @Test(arguments: [
        #"{"op":"replace","path":"members","value":[]}"#,
        #"{"op":"remove","path":"members"}"#,
        #"{"op":"replace","path":"displayName","value":"x"}"#,
        #"{"op":"add","path":"members","value":[{"value":"g1","type":"Group"}]}"#,
        #"{"op":"add","path":"members","value":[{"value":"1","extra":"?"}]}"#,
        #"{"op":"add","value":{"members":[{"value":"1"}]}}"#,
        #"{"op":"remove","path":"members[display eq \"x\"]"}"#,
        #"{"op":"add","path":"members.value","value":"1"}"#,
    ])
    func otherShapesGoThroughThePatchEngine(operation: String) throws {
        #expect(try changes(#"{\#(schema),"Operations":[\#(operation)]}"#) == nil)
    }
}
