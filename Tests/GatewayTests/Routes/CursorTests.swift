import Foundation
import SCIM
import Testing

@testable import Gateway

/// The cursor codec: what it issues it reads back; anything altered, foreign or old is refused.
@Suite struct CursorTests {
    let digest = SCIMCursor.queryDigest(kind: .user, filter: nil, ascending: true)

    @Test func roundTripAndBinding() throws {
        let now = Date()
        let cursor = SCIMCursor(tenant: "acme", query: digest, position: "42", issued: Int64(now.timeIntervalSince1970))
        let text = cursor.encoded()
        #expect(try SCIMCursor.decode(text, tenant: "acme", query: digest, now: now).position == "42")
        for (tenant, query) in [
            ("beta", digest), ("acme", SCIMCursor.queryDigest(kind: .group, filter: nil, ascending: true)),
        ] {
            #expect(throws: SCIMError.self) { try SCIMCursor.decode(text, tenant: tenant, query: query, now: now) }
        }
        let expired = thrownError { _ = try SCIMCursor.decode(text, tenant: "acme", query: digest, now: now + 3601) }
        #expect(expired?.scimType == .expiredCursor)
    }

    @Test func everyAlteredCharacterIsRefused() throws {
        let text = SCIMCursor(tenant: "acme", query: digest, position: "7", issued: Int64(Date().timeIntervalSince1970))
            .encoded()
        var characters = Array(text)
        for index in characters.indices where characters[index] != "." {
            let original = characters[index]
            characters[index] = original == "x" ? "y" : "x"
            let error = thrownError { _ = try SCIMCursor.decode(String(characters), tenant: "acme", query: digest) }
            #expect(error?.scimType == .invalidCursor, "position \(index)")
            characters[index] = original
        }
        for junk in ["", ".", "a.b", String(repeating: "A", count: 600), "eyJ9.AAAA", "\u{0}.\u{0}"] {
            #expect(
                thrownError { _ = try SCIMCursor.decode(junk, tenant: "acme", query: digest) }?.scimType
                    == .invalidCursor
            )
        }
    }

    /// The check is a digest, not a key, so a client can write a valid cursor with any issue time: one
    /// too far in the past to subtract from now is expired, not an overflow trap (fuzz/run cursor
    /// checks the same).
    @Test func anIssueTimeTooFarInThePastIsExpired() throws {
        let now = Date()
        for issued in [Int64.min, Int64.min + 1, -Int64.max] {
            let text = SCIMCursor(tenant: "acme", query: digest, position: "1", issued: issued).encoded()
            let error = thrownError { _ = try SCIMCursor.decode(text, tenant: "acme", query: digest, now: now) }
            #expect(error?.scimType == .expiredCursor, "issued \(issued)")
        }
    }

    private func thrownError(_ body: () throws -> Void) -> SCIMError? {
        do {
            try body()
            return nil
        } catch let error as SCIMError {
            return error
        } catch {
            return nil
        }
    }
}
