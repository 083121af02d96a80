import SCIM
import SQLDrivers
import Testing

@testable import Backends

/// Wildcards are escaped code point by code point, and REST lock keys name the user, not the spelling.
@Suite struct PatternAndLockKeyTests {
    @Test func likeEscapingSeesAWildcardUnderACombiningMark() {
        // "%\u{301}" is one Character that is not "%"; escaping by Character left the % a wildcard.
        #expect(LikePattern.make(.contains, "%\u{301}") == "%!%\u{301}%")
        #expect(LikePattern.make(.startsWith, "a_b!") == "a!_b!!%")
        let sqlite = SQLiteDialect()
        let like = sqlite.substringMatch("x", .contains, value: "_\u{301}%", caseInsensitive: true)
        #expect(like.binds == [.text("%\\_\u{301}\\%%")])
        let glob = sqlite.substringMatch("x", .endsWith, value: "*\u{301}?[", caseInsensitive: false)
        #expect(glob.binds == [.text("*[*]\u{301}[?][[]")])
    }

    @Test func lockKeysAreCanonicalUserIDs() {
        #expect(UserLocks.key("5") == "5")
        #expect(UserLocks.key("05") == "5")
        #expect(UserLocks.key(" 5") == "5")
        #expect(UserLocks.key("+5") == "5")
        #expect(UserLocks.key("abc") == "abc")
    }

    @Test(arguments: [(12, false, true), (13, false, false), (31, true, true), (32, true, false), (3, true, false)])
    func bcryptCostAboveTwelveNeedsTheMappingToSaySo(cost: Int, allowed: Bool, valid: Bool) throws {
        var mapping = chamiloMapping()
        var password = try #require(mapping.users.attributes["password"])
        password.hash?.bcryptCost = cost
        password.hash?.allowExpensiveBcrypt = allowed
        mapping.users.attributes["password"] = password
        if valid {
            try mapping.validate()
        } else {
            #expect {
                try mapping.validate()
            } throws: { error in
                (error as? BackendConfigurationError)?.message.contains("bcryptCost must be between 4 and") == true
            }
        }
    }
}
