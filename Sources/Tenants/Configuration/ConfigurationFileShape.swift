/// Bounds on the shape of a configuration file's YAML, checked on its text before the YAML decoder sees
/// it. The decoder's work grows exponentially with nesting (it compares nested mapping keys recursively,
/// twice per level: 1.3 kB of `? ? ? …` kept it busy for minutes) and with aliases (each use of an anchor
/// is a copy: nine lines of eight aliases each are 134 million nodes). Neither is needed by a tenant or
/// mapping file (the shipped mappings nest 7 levels and use no alias), so both are refused with a message
/// saying what to change, and so is a file too large to be one.
enum ConfigurationFileShape {
    /// The deepest nesting allowed: mappings, sequences and flow collections within one another.
    static let maximumDepth = 16
    /// The largest file (the shipped mappings are about 10 kB).
    static let maximumBytes = 1 << 20

    /// What is wrong with the shape of `text`, as a message for the operator; nil when it may be decoded.
    static func problem(in text: String) -> String? {
        let bytes = text.utf8.count
        if bytes > maximumBytes {
            return "the file is larger than 1 MiB (\(bytes) bytes); a configuration file is a few kilobytes"
        }
        let scan = Scan(Array(text.utf8))
        if let alias = scan.firstAlias {
            return "line \(alias.line): YAML aliases (*\(alias.name)) are not supported in configuration files; "
                + "write the value out where it is used"
        }
        if scan.depth > maximumDepth {
            return "line \(scan.deepestLine): the file nests \(scan.depth) levels deep; at most \(maximumDepth) "
                + "are allowed (mappings, lists and [ ] { } within one another)"
        }
        return nil
    }

    /// How deeply `text` nests, as counted for ``maximumDepth`` (an estimate from the text that is never
    /// lower than the YAML's own depth: a wrapped plain scalar can count one level more).
    static func depth(of text: String) -> Int { Scan(Array(text.utf8)).depth }

    /// One pass over the text: block levels by indentation, compact nested nodes (`- `, `? `, `: ` at the
    /// start of a node), flow collections; quoted scalars, block scalars and comments are text.
    private struct Scan {
        private(set) var depth = 0
        private(set) var deepestLine = 1
        private(set) var firstAlias: (line: Int, name: String)?

        private enum Quote { case none, single, double }

        private let bytes: [UInt8]
        private var position = 0
        private var line = 1
        /// The indentation of each open block level.
        private var indents: [Int] = []
        private var flow = 0
        private var quote = Quote.none
        /// Inside a block scalar (`|`, `>`): the indentation of the line that opened it.
        private var blockScalarIndent: Int?

        init(_ bytes: [UInt8]) {
            self.bytes = bytes
            while position < bytes.count, firstAlias == nil {
                scanLine()
            }
        }

        private static func isBreak(_ byte: UInt8) -> Bool { byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\r") }
        private static func isBlank(_ byte: UInt8) -> Bool { byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") }

        private func byte(at index: Int) -> UInt8? { index < bytes.count ? bytes[index] : nil }

        /// Whether the byte at `index` ends a token: a blank, a line break or the end.
        private func endsToken(_ index: Int) -> Bool {
            guard let next = byte(at: index) else { return true }
            return Self.isBlank(next) || Self.isBreak(next)
        }

        private mutating func note(_ inline: Int) {
            let level = indents.count + inline + flow
            if level > depth {
                depth = level
                deepestLine = line
            }
        }

        private mutating func endLine() {
            while position < bytes.count, !Self.isBreak(bytes[position]) { position += 1 }
            if position < bytes.count {
                // "\r\n" is one break.
                if bytes[position] == UInt8(ascii: "\r"), byte(at: position + 1) == UInt8(ascii: "\n") { position += 1 }
                position += 1
            }
            line += 1
        }

        private mutating func scanLine() {
            var indent = 0
            while byte(at: position + indent) == UInt8(ascii: " ") { indent += 1 }
            let first = byte(at: position + indent)
            let blankLine = first.map { Self.isBlank($0) || Self.isBreak($0) } ?? true
            if let parent = blockScalarIndent {
                if blankLine || indent > parent { return endLine() }
                blockScalarIndent = nil
            }
            var atNodeStart = flow > 0
            if quote == .none, flow == 0 {
                if blankLine || first == UInt8(ascii: "#") || first == UInt8(ascii: "%") { return endLine() }
                while let last = indents.last, last >= indent { indents.removeLast() }
                indents.append(indent)
                atNodeStart = true
            }
            position += quote == .none && flow == 0 ? indent : 0
            scanContent(indent: indent, atNodeStart: atNodeStart)
            endLine()
        }

        /// The rest of the line from `position`.
        private mutating func scanContent(indent: Int, atNodeStart start: Bool) {
            var atNodeStart = start
            var inline = 0
            var afterBlank = true
            note(inline)
            while position < bytes.count, !Self.isBreak(bytes[position]) {
                let current = bytes[position]
                switch quote {
                case .double:
                    if current == UInt8(ascii: "\\") {
                        position += 1
                    } else if current == UInt8(ascii: "\"") {
                        quote = .none
                    }
                    position += 1
                    continue
                case .single:
                    if current == UInt8(ascii: "'") {
                        if byte(at: position + 1) == UInt8(ascii: "'") { position += 1 } else { quote = .none }
                    }
                    position += 1
                    continue
                case .none:
                    break
                }
                if Self.isBlank(current) {
                    afterBlank = true
                    position += 1
                    continue
                }
                if current == UInt8(ascii: "#"), afterBlank { return }
                afterBlank = false
                if atNodeStart {
                    if Self.isNodeIndicator(current), endsToken(position + 1) {
                        inline += 1
                        note(inline)
                        position += 1
                        continue
                    }
                    if flow == 0, current == UInt8(ascii: "|") || current == UInt8(ascii: ">") {
                        blockScalarIndent = indent
                        return
                    }
                    switch current {
                    case UInt8(ascii: "*"):
                        let start = position + 1
                        var end = start
                        while end < bytes.count, !endsToken(end), !Self.isFlowIndicator(bytes[end]) { end += 1 }
                        firstAlias = (line, String(decoding: bytes[start..<end], as: UTF8.self))
                        return
                    case UInt8(ascii: "&"), UInt8(ascii: "!"):
                        while position < bytes.count, !endsToken(position), !Self.isFlowIndicator(bytes[position]) {
                            position += 1
                        }
                        continue
                    case UInt8(ascii: "\""):
                        quote = .double
                        atNodeStart = false
                        position += 1
                        continue
                    case UInt8(ascii: "'"):
                        quote = .single
                        atNodeStart = false
                        position += 1
                        continue
                    default:
                        break
                    }
                }
                let opens = current == UInt8(ascii: "[") || current == UInt8(ascii: "{")
                let closes = current == UInt8(ascii: "]") || current == UInt8(ascii: "}")
                if opens, flow > 0 || atNodeStart {
                    flow += 1
                    note(inline)
                    atNodeStart = true
                } else if closes, flow > 0 {
                    flow -= 1
                    atNodeStart = false
                } else if current == UInt8(ascii: ","), flow > 0 {
                    atNodeStart = true
                } else if current == UInt8(ascii: ":"),
                    endsToken(position + 1) || (flow > 0 && isFlowIndicator(at: position + 1))
                {
                    atNodeStart = true
                } else {
                    atNodeStart = false
                }
                position += 1
            }
        }

        /// `-`, `?` and `:`: a sequence entry, an explicit key or its value, when a blank follows.
        private static func isNodeIndicator(_ byte: UInt8) -> Bool {
            byte == UInt8(ascii: "-") || byte == UInt8(ascii: "?") || byte == UInt8(ascii: ":")
        }

        private func isFlowIndicator(at index: Int) -> Bool { byte(at: index).map(Self.isFlowIndicator) ?? false }

        private static func isFlowIndicator(_ byte: UInt8) -> Bool {
            byte == UInt8(ascii: ",") || byte == UInt8(ascii: "[") || byte == UInt8(ascii: "]")
                || byte == UInt8(ascii: "{") || byte == UInt8(ascii: "}")
        }
    }
}
