import Foundation
import Testing

@testable import Tenants

/// The shapes of YAML a configuration file may not have, because the YAML library's work on them grows
/// exponentially with a few bytes (found by the mapping fuzzer): nesting deeper than
/// ``ConfigurationFileShape/maximumDepth`` levels, aliases, and files over a megabyte. Each is refused,
/// at once, with a message naming the file and what to change; the shapes real files have still load.
@Suite struct ConfigurationFileShapeTests {
    private static let repositoryRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// Loads `text` as `tenants.d/mappings/m.yaml`, as the gateway does.
    private func loadMapping(_ text: String) throws(ConfigurationError) -> LoadedMapping {
        let folder: ConfigurationFolder
        do {
            folder = try ConfigurationFolder()
            try folder.write("mappings/m.yaml", text)
        } catch {
            throw ConfigurationError(file: "test", message: "cannot write the test folder: \(error)")
        }
        return try TenantFiles(configDirectory: folder.path, environment: [:]).loadMapping("m", for: "tenants.d/t.yaml")
    }

    private func refusal(_ text: String) -> ConfigurationError? {
        do {
            _ = try loadMapping(text)
            return nil
        } catch {
            return error
        }
    }

    @Test func theFuzzFoundNestedComplexKeysAreRefusedAtOnce() throws {
        // 1.3 kB of `? ` and `- ` indicators: the YAML library spent minutes comparing its nested keys.
        let input = try Data(
            contentsOf: Self.repositoryRoot.appendingPathComponent("fuzz/corpus/mapping/nested-complex-keys-timeout")
        )
        let error = try #require(refusal(String(decoding: input, as: UTF8.self)))
        #expect(error.file.hasSuffix("mappings/m.yaml"))
        #expect(error.message.contains("levels deep"), "\(error)")
    }

    @Test func nestingIsBoundedInEveryStyle() throws {
        let depth = ConfigurationFileShape.maximumDepth + 1
        let explicitKeys = "name: m\n" + String(repeating: "? ", count: depth) + "a\n"
        let sequences = "name: m\nx:\n" + String(repeating: "- ", count: depth) + "a\n"
        let flow = "name: m\nx: " + String(repeating: "[", count: depth) + String(repeating: "]", count: depth) + "\n"
        var block = "name: m\n"
        for level in 0..<depth { block += String(repeating: "  ", count: level) + "k\(level):\n" }
        for text in [explicitKeys, sequences, flow, block] {
            let error = try #require(refusal(text), "accepted:\n\(text)")
            #expect(error.message.contains("levels deep"), "\(error)")
            #expect(error.message.contains("at most \(ConfigurationFileShape.maximumDepth)"), "\(error)")
        }
    }

    @Test func aliasesAreRefused() throws {
        var bomb = "name: m\na0: &a0 [x, x, x, x, x, x, x, x]\n"
        for level in 1...9 {
            bomb +=
                "a\(level): &a\(level) [" + Array(repeating: "*a\(level - 1)", count: 8).joined(separator: ", ") + "]\n"
        }
        bomb += "? *a9\n: 1\n? *a9\n: 2\n"
        for text in [bomb, "name: m\nshared: &s {a: 1}\nother: *s\n", "name: m\nlist: [&x 1, *x]\n"] {
            let error = try #require(refusal(text), "accepted:\n\(text)")
            #expect(error.message.contains("alias"), "\(error)")
        }
    }

    @Test func aFileOverAMegabyteIsRefused() throws {
        let text = "name: m\n" + String(repeating: "# padding\n", count: 110_000)
        let error = try #require(refusal(text))
        #expect(error.message.contains("larger than"), "\(error)")
    }

    @Test func indicatorsInsideTextAreNotStructure() {
        let texts = [
            "a: \"[[[[[[[[[[[[[[[[[[[[ *not an alias ? - \"\n",
            "a: '{{{{{{{{{{{{{{{{{{{{ it''s *text'\n",
            "a: what? * yes - no [ { & *\n",
            "a: |\n  [[[[[[[[[[[[[[[[[[[[\n  *star\n  - - - - - - - - - - - - - - - - - - - -\nb: 1\n",
            "a: \"multi\n  [[[[[[[[[[[[[[[[[[[[ line\"\nb: 1\n",
            "a: x # [[[[[[[[[[[[[[[[[[[[ *comment\n",
            "a: 2*3\n",
            "a: [x, y] # &anchor-like text\n",
        ]
        for text in texts {
            #expect(ConfigurationFileShape.problem(in: text) == nil, "refused:\n\(text)")
        }
    }

    @Test func theShippedFilesHaveRoomToSpare() throws {
        for name in [
            "tenants.d/mappings/chamilo-1.11.yaml", "tenants.d/mappings/chamilo-2.yaml", "tenants.d/demo.yaml",
        ] {
            let text = try String(contentsOf: Self.repositoryRoot.appendingPathComponent(name), encoding: .utf8)
            #expect(ConfigurationFileShape.problem(in: text) == nil, "\(name)")
            #expect(ConfigurationFileShape.depth(of: text) <= ConfigurationFileShape.maximumDepth / 2, "\(name)")
        }
        let sixteen =
            "name: m\nx: " + String(repeating: "[", count: ConfigurationFileShape.maximumDepth - 1)
            + String(repeating: "]", count: ConfigurationFileShape.maximumDepth - 1) + "\n"
        #expect(ConfigurationFileShape.problem(in: sixteen) == nil)
    }
}
