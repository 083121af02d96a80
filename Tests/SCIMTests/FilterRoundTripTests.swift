import PropertyBased
import Testing

@testable import SCIM

/// Builds filter trees from a stream of integers, so that the property library's shrinking of
/// the integer array shrinks the tree.
private struct TreeBuilder {
    let seeds: [Int]
    var index = 0

    mutating func next(_ bound: Int) -> Int {
        defer { index += 1 }
        guard seeds.isEmpty == false else { return 0 }
        let seed = seeds[index % seeds.count] &+ index / seeds.count
        return abs(seed % bound)
    }

    static let names = ["userName", "name", "emails", "title", "x-1", "a_b", "$ref", "Active", "meta", "z9"]
    static let schemas = [
        SCIMSchemaURI.user, SCIMSchemaURI.enterpriseUser, "urn:example:ext:1.0", "http://example.com/schemas/2.0/Group",
    ]
    static let palette: [Unicode.Scalar] = [
        "a", "Z", "0", " ", "\"", "\\", "/", "\u{0}", "\u{1}", "\n", "\t", "\u{7F}", "\u{85}", "é", "€", "😀", "[", "]",
        "(",
        ")", ":", "\u{FEFF}", "\u{10FFFF}",
    ]

    mutating func name() -> String { Self.names[next(Self.names.count)] }

    mutating func path(plain: Bool) -> AttributePath {
        if plain { return AttributePath(name: name()) }
        let schema = next(3) == 0 ? Self.schemas[next(Self.schemas.count)] : nil
        let sub = next(3) == 0 ? name() : nil
        return AttributePath(schema: schema, name: name(), subAttribute: sub)
    }

    mutating func value() -> FilterValue {
        switch next(8) {
        case 0: return .null
        case 1: return .bool(next(2) == 0)
        case 2: return .integer(Int64(next(1_000_000)) - 500_000)
        case 3: return .integer(next(2) == 0 ? .max : .min)
        case 4:
            let candidates = [
                Double(next(100_000)) / 7, 1e-7 * Double(next(1000)), 1e300, -0.0, Double.leastNonzeroMagnitude, 0.1,
                12.0,
            ]
            return .decimal(candidates[next(candidates.count)])
        default:
            var text = String.UnicodeScalarView()
            for _ in 0..<next(8) { text.append(Self.palette[next(Self.palette.count)]) }
            return .string(String(text))
        }
    }

    mutating func tree(depth: Int, inValueFilter: Bool) -> FilterExpression {
        let choice = depth >= 5 ? next(2) : next(inValueFilter ? 6 : 7)
        switch choice {
        case 0:
            return .comparison(path(plain: inValueFilter), ComparisonOperator.allCases[next(9)], value())
        case 1:
            return .present(path(plain: inValueFilter))
        case 2:
            return .and(
                tree(depth: depth + 1, inValueFilter: inValueFilter),
                tree(depth: depth + 1, inValueFilter: inValueFilter)
            )
        case 3:
            return .or(
                tree(depth: depth + 1, inValueFilter: inValueFilter),
                tree(depth: depth + 1, inValueFilter: inValueFilter)
            )
        case 4, 5:
            return .not(tree(depth: depth + 1, inValueFilter: inValueFilter))
        default:
            let outer = AttributePath(schema: next(3) == 0 ? Self.schemas[next(Self.schemas.count)] : nil, name: name())
            return .valuePath(outer, tree(depth: depth + 1, inValueFilter: true))
        }
    }
}

@Suite struct FilterRoundTripTests {
    static let generous = FilterLimits(maxLength: 1_000_000, maxDepth: 64)

    @Test func printedTreesParseBackToTheSameTree() async {
        await propertyCheck(count: 500, input: Gen.int(in: 0...Int(Int32.max)).array(of: 1...60)) { seeds in
            var builder = TreeBuilder(seeds: seeds)
            let tree = builder.tree(depth: 0, inValueFilter: false)
            let text = tree.description
            #expect((try? FilterParser.parse(text, limits: Self.generous)) == tree, "\(text)")
        }
    }

    @Test func arbitraryTextNeverCrashesAndReprintsStably() async {
        let alphabet = Array("ab eq pr and or not ( ) [ ] \" \\ 1 . - : u e$".unicodeScalars)
        await propertyCheck(count: 500, input: Gen.int(in: 0...(alphabet.count - 1)).array(of: 0...40)) { indices in
            var text = String.UnicodeScalarView()
            for index in indices { text.append(alphabet[index]) }
            let source = String(text)
            do {
                let parsed = try FilterParser.parse(source)
                #expect(try FilterParser.parse(parsed.description) == parsed, "\(source)")
            } catch let error as SCIMError {
                #expect(error.scimType == .invalidFilter)
                #expect(error.detail.contains("offset"))
            } catch {
                Issue.record("unexpected error \(error)")
            }
        }
    }
}
