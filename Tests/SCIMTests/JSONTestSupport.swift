@testable import SCIM

/// A small deterministic generator (SplitMix64) so randomized tests reproduce exactly.
struct TestRandomGenerator: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) {
        self.state = seed
    }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var mixed = state
        mixed = (mixed ^ (mixed >> 30)) &* 0xBF58_476D_1CE4_E5B9
        mixed = (mixed ^ (mixed >> 27)) &* 0x94D0_49BB_1331_11EB
        return mixed ^ (mixed >> 31)
    }
}

/// Parses test JSON that is known to be valid.
func testJSON(_ text: String) throws -> JSONValue {
    try JSONValue.parse(text)
}

/// Parses a test JSON object that is known to be valid.
func testJSONObject(_ text: String) throws -> JSONObject {
    guard case .object(let object) = try JSONValue.parse(text) else {
        throw SCIMError.invalidSyntax("not an object: \(text)")
    }
    return object
}

/// The SCIM error a throwing expression raised, if any.
func thrownSCIMError(_ body: () throws -> Void) -> SCIMError? {
    do {
        try body()
        return nil
    } catch let error as SCIMError {
        return error
    } catch {
        return nil
    }
}
