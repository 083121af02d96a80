import Testing

@testable import SCIM

/// Hostile input never crashes the parser: it either yields a value or a 400 `invalidSyntax`.
@Suite struct JSONRobustnessTests {
    private let sample = Array(
        #"""
        {"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"zoë@example.org",
         "name":{"givenName":"Zo\u00eb","familyName":"L\"x\\"},"emails":[{"value":"z@example.org",
         "primary":true}],"n":-12.5e-3,"i":9223372036854775807,"s":"\uD83D\uDE00","x":null,"f":false}
        """#.utf8
    )

    private func parseNeverCrashes(_ bytes: [UInt8]) {
        do {
            _ = try JSONValue.parse(bytes)
        } catch let error as SCIMError {
            #expect(error.status == 400)
            #expect(error.scimType == .invalidSyntax)
        } catch {
            Issue.record("unexpected error type \(error)")
        }
    }

    @Test func sampleParses() throws {
        let object = try JSONValue.parse(sample).objectValue
        #expect(object?["userName"] == .string("zoë@example.org"))
    }

    @Test func everyTruncationIsHandled() {
        for length in 0..<sample.count {
            let prefix = Array(sample[0..<length])
            let error = thrownSCIMError { _ = try JSONValue.parse(prefix) }
            #expect(error?.scimType == .invalidSyntax, "prefix of \(length) bytes")
        }
    }

    @Test func randomBytes() {
        var generator = TestRandomGenerator(seed: 1)
        for _ in 0..<3000 {
            let length = Int.random(in: 0..<64, using: &generator)
            let bytes = (0..<length).map { _ in UInt8.random(in: 0...255, using: &generator) }
            parseNeverCrashes(bytes)
        }
    }

    @Test func randomStructuralBytes() {
        let alphabet =
            Array(#"{}[]",:\/"0123456789-+.eEtrufalsn u "#.utf8) + [0x00, 0x1F, 0x80, 0xC3, 0xA9, 0xED, 0xF0]
        var generator = TestRandomGenerator(seed: 2)
        for _ in 0..<5000 {
            let length = Int.random(in: 0..<48, using: &generator)
            let bytes = (0..<length).map { _ in alphabet[Int.random(in: 0..<alphabet.count, using: &generator)] }
            parseNeverCrashes(bytes)
        }
    }

    @Test func mutationsOfValidInput() {
        var generator = TestRandomGenerator(seed: 3)
        for _ in 0..<3000 {
            var bytes = sample
            for _ in 0..<Int.random(in: 1...4, using: &generator) {
                let position = Int.random(in: 0..<bytes.count, using: &generator)
                switch Int.random(in: 0..<3, using: &generator) {
                case 0: bytes[position] = UInt8.random(in: 0...255, using: &generator)
                case 1: bytes.remove(at: position)
                default: bytes.insert(UInt8.random(in: 0...255, using: &generator), at: position)
                }
                if bytes.isEmpty { break }
            }
            parseNeverCrashes(bytes)
        }
    }
}
