import Testing

@testable import SCIM

@Suite struct JSONSerializationTests {
    @Test func compactOutputInObjectOrder() throws {
        let value: JSONValue = .object([
            "z": .integer(1), "a": .array([.bool(true), .null, .decimal(1.5)]), "m": .object(["k": .string("v")]),
        ])
        #expect(value.jsonString == #"{"z":1,"a":[true,null,1.5],"m":{"k":"v"}}"#)
    }

    @Test func integersStayIntegers() {
        #expect(JSONValue.integer(10).jsonString == "10")
        #expect(JSONValue.integer(Int64.min).jsonString == "-9223372036854775808")
        #expect(JSONValue.decimal(10).jsonString == "10.0")
    }

    @Test func stringEscaping() {
        let value = JSONValue.string("q\"b\\s/n\nr\rt\tb\u{8}f\u{C}c\u{1}\u{1F}é😀")
        #expect(value.jsonString == #""q\"b\\s/n\nr\rt\tb\bf\fc\u0001\u001fé😀""#)
    }

    @Test func nonFiniteDecimalsBecomeNull() {
        #expect(JSONValue.decimal(.infinity).jsonString == "null")
        #expect(JSONValue.decimal(.nan).jsonString == "null")
    }

    @Test(arguments: [0.1, 1e-7, 1e21, 123.456, -0.0, .leastNonzeroMagnitude, 1.7976931348623157e308, 2.0 / 3.0])
    func decimalsRoundTrip(decimal: Double) throws {
        let text = JSONValue.decimal(decimal).jsonString
        guard case .decimal(let back) = try JSONValue.parse(text) else {
            Issue.record("\(text) did not parse as a decimal")
            return
        }
        #expect(back.bitPattern == decimal.bitPattern)
    }

    @Test func parseSerializeRoundTrip() throws {
        let text = #"{"schemas":["urn:x"],"n":-12,"d":0.25,"s":"a\"\\\n\u0007","e":[],"o":{},"b":[false,null]}"#
        let value = try JSONValue.parse(text)
        #expect(value.jsonString == text)
    }

    @Test func randomValuesRoundTrip() throws {
        var generator = TestRandomGenerator(seed: 7)
        for _ in 0..<300 {
            let value = randomValue(depth: 0, using: &generator)
            let back = try JSONValue.parse(value.serialized())
            #expect(back == value)
        }
    }

    private func randomValue(depth: Int, using generator: inout TestRandomGenerator) -> JSONValue {
        let choice = depth > 4 ? Int.random(in: 0..<5, using: &generator) : Int.random(in: 0..<7, using: &generator)
        switch choice {
        case 0: return .null
        case 1: return .bool(Bool.random(using: &generator))
        case 2: return .integer(Int64.random(in: Int64.min...Int64.max, using: &generator))
        case 3:
            let decimal = Double(bitPattern: UInt64.random(in: 0...UInt64.max, using: &generator))
            return decimal.isFinite && decimal.rounded() != decimal ? .decimal(decimal) : .decimal(0.5)
        case 4: return .string(randomString(using: &generator))
        case 5:
            return .array(
                (0..<Int.random(in: 0..<5, using: &generator)).map { _ in
                    randomValue(depth: depth + 1, using: &generator)
                }
            )
        default:
            var object = JSONObject()
            for _ in 0..<Int.random(in: 0..<5, using: &generator) {
                object[randomString(using: &generator)] = randomValue(depth: depth + 1, using: &generator)
            }
            return .object(object)
        }
    }

    private func randomString(using generator: inout TestRandomGenerator) -> String {
        let pool: [Unicode.Scalar] = [
            "a", "Z", "\"", "\\", "/", "\n", "\u{0}", "\u{1F}", "é", "€", "😀", "\u{10FFFF}", " ",
        ]
        var text = ""
        for _ in 0..<Int.random(in: 0..<8, using: &generator) {
            text.unicodeScalars.append(pool[Int.random(in: 0..<pool.count, using: &generator)])
        }
        return text
    }
}
