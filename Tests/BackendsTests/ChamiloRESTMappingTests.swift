import SCIM
import SQLDrivers
import Testing

@testable import Backends

@Suite struct ChamiloRESTMappingTests {
    @Test func formEncodingEscapesAsHTMLFormsDo() {
        #expect(ChamiloForm.escape("a b&c=d+é") == "a+b%26c%3Dd%2B%C3%A9")
        var form = ChamiloForm(action: "save_user")
        form.appendExtraFields([("scim_locale", "fr")])
        #expect(
            form.encoded == "action=save_user&extra%5B0%5D%5Bfield_name%5D=scim_locale&extra%5B0%5D%5Bfield_value%5D=fr"
        )
    }

    @Test func usersAreReadWhetherPHPSentStringsOrNumbers() throws {
        let fromRow = try #require(
            ChamiloUser(
                .object([
                    "id": .string("12"), "username": .string("ada"), "active": .string("0"),
                    "scim_external_id": .string("x"),
                ])
            )
        )
        #expect(fromRow.id == "12")
        #expect(fromRow.active == false)
        #expect(fromRow.externalID == "x")
        let fromNumbers = try #require(
            ChamiloUser(.object(["id": .integer(12), "username": .string("ada"), "active": .integer(1)]))
        )
        #expect(fromNumbers.id == "12")
        #expect(fromNumbers.active)
        #expect(ChamiloUser(.object(["username": .string("no-id")])) == nil)
        #expect(ChamiloUser(.string("junk")) == nil)
    }

    @Test func userTypeAndLocaleMaps() {
        #expect(ChamiloUserMapping.status(forUserType: "Teacher", defaultStatus: 5) == 1)
        #expect(ChamiloUserMapping.status(forUserType: "student", defaultStatus: 5) == 5)
        #expect(ChamiloUserMapping.status(forUserType: nil, defaultStatus: 20) == 20)
        #expect(ChamiloUserMapping.language(forLocale: "fr-CA") == "french")
        #expect(ChamiloUserMapping.language(forLocale: "pt_BR") == "brazilian")
        #expect(ChamiloUserMapping.language(forLocale: "xx") == nil)
    }

    @Test func keyRejectionIsRecognised() {
        #expect(ChamiloRESTClient.isKeyRejection("Invalid API key"))
        #expect(ChamiloRESTClient.isKeyRejection("InvalidApiKey"))
        #expect(ChamiloRESTClient.isKeyRejection("User not found") == false)
    }

    @Test func versionChangesWithAnyField() throws {
        let user = try #require(
            ChamiloUser(.object(["id": .string("1"), "username": .string("a"), "firstname": .string("A")]))
        )
        var changed = user
        changed.mirrored[ChamiloUserMapping.phoneField] = "1"
        #expect(user.version != changed.version)
        #expect(user.version == user.record.version)
    }
}
