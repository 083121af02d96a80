extension AttributePath {
    /// Parses an attribute path as filters, `sortBy`, `attributes` and PATCH paths write it
    /// (RFC 7644 §3.10): `userName`, `name.givenName`, `meta.lastModified`, `$ref`,
    /// `urn:ietf:params:scim:schemas:core:2.0:User:userName` or
    /// `urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber`.
    ///
    /// Names keep the letter case they were written in.
    /// - Throws: ``SCIMError`` `invalidPath` naming what is wrong.
    public static func parse(_ text: String) throws -> AttributePath {
        switch scan(text) {
        case .success(let path):
            return path
        case .failure(let failure):
            throw SCIMError.invalidPath(
                "Invalid attribute path '\(text.truncatedForDetail)' at offset \(failure.offset): \(failure.reason)."
            )
        }
    }

    /// A reason a text is not an attribute path, with the offset (in Unicode scalars) where it was found.
    struct ScanFailure: Error {
        var offset: Int
        var reason: String
    }

    /// The parser behind ``parse(_:)``, also used by the filter parser to report absolute offsets.
    static func scan(_ text: String) -> Result<AttributePath, ScanFailure> {
        let scalars = Array(text.unicodeScalars)
        guard scalars.isEmpty == false else {
            return .failure(ScanFailure(offset: 0, reason: "expected an attribute name"))
        }
        if let bad = scalars.firstIndex(where: { $0.properties.isWhitespace || $0.value < 0x20 || $0.value == 0x7F }) {
            return .failure(
                ScanFailure(offset: bad, reason: "unexpected character \(scalars[bad].detailName) in an attribute path")
            )
        }
        var schema: String?
        var nameStart = 0
        if let lastColon = scalars.lastIndex(of: ":") {
            let prefix = String(String.UnicodeScalarView(scalars[..<lastColon]))
            guard prefix.unicodeScalars.contains(":"), let first = prefix.unicodeScalars.first,
                first.isFilterLetter
            else {
                return .failure(ScanFailure(offset: 0, reason: "'\(prefix.truncatedForDetail)' is not a schema URI"))
            }
            schema = prefix
            nameStart = lastColon + 1
        }
        let rest = Array(scalars[nameStart...])
        var parts: [[Unicode.Scalar]] = [[]]
        for scalar in rest {
            if scalar == "." {
                parts.append([])
            } else {
                parts[parts.count - 1].append(scalar)
            }
        }
        guard parts.count <= 2 else {
            let secondDot = nameStart + parts[0].count + 1 + parts[1].count
            return .failure(
                ScanFailure(offset: secondDot, reason: "an attribute path has at most one sub-attribute")
            )
        }
        var offset = nameStart
        var names: [String] = []
        for part in parts {
            if let problem = attributeNameProblem(part) {
                return .failure(ScanFailure(offset: offset + problem.offset, reason: problem.reason))
            }
            names.append(String(String.UnicodeScalarView(part)))
            offset += part.count + 1
        }
        return .success(AttributePath(schema: schema, name: names[0], subAttribute: names.count > 1 ? names[1] : nil))
    }

    /// RFC 7643 §2.1 ATTRNAME: `ALPHA *(ALPHA / DIGIT / "-" / "_")`, plus `$ref`.
    private static func attributeNameProblem(_ name: [Unicode.Scalar]) -> (offset: Int, reason: String)? {
        guard let first = name.first else { return (0, "expected an attribute name") }
        if String(String.UnicodeScalarView(name)).lowercased() == "$ref" { return nil }
        guard first.isFilterLetter else {
            return (0, "an attribute name starts with a letter, found \(first.detailName)")
        }
        for (index, scalar) in name.enumerated().dropFirst()
        where !(scalar.isFilterLetter || scalar.isFilterDigit || scalar == "-" || scalar == "_") {
            return (index, "unexpected character \(scalar.detailName) in an attribute name")
        }
        return nil
    }
}

extension Unicode.Scalar {
    var isFilterLetter: Bool { ("a"..."z").contains(self) || ("A"..."Z").contains(self) }
    var isFilterDigit: Bool { ("0"..."9").contains(self) }

    /// How an error detail names this character: printable ones quoted, others as `U+XXXX`.
    var detailName: String {
        if value < 0x20 || value == 0x7F || properties.isWhitespace {
            let hex = String(value, radix: 16, uppercase: true)
            return "U+" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
        }
        return "'\(Character(self))'"
    }
}

extension String {
    /// The text shortened for an error detail, control characters replaced, so details stay small and printable.
    var truncatedForDetail: String {
        let limit = 60
        var result = ""
        for (index, scalar) in unicodeScalars.enumerated() {
            if index == limit {
                result += "…"
                break
            }
            result.unicodeScalars.append(scalar.value < 0x20 || scalar.value == 0x7F ? "?" : scalar)
        }
        return result
    }
}
