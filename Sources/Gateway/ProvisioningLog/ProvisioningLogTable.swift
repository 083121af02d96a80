/// The human form of `scim-gateway logs`: one aligned row per entry.
public enum ProvisioningLogTable {
    static let headers = [
        "TIME", "TENANT", "METHOD", "STATUS", "SCIMTYPE", "OPERATION", "TYPE", "ID", "USER", "MS", "DETAIL",
    ]

    /// The table, with a header line; an empty list says so.
    public static func render(_ entries: [ProvisioningLogEntry]) -> String {
        guard !entries.isEmpty else { return "no provisioning-log entries match\n" }
        let rows = entries.map { entry -> [String] in
            [
                ProvisioningLogTime.format(entry.time),
                entry.tenant,
                entry.method,
                String(entry.status),
                entry.scimType ?? "-",
                entry.operation,
                entry.resourceType ?? "-",
                entry.resourceId ?? "-",
                entry.userName ?? entry.externalId ?? "-",
                ProvisioningLogJSON.number(entry.durationMs),
                entry.detail.map { String($0.prefix(120)) } ?? "",
            ].map { $0.printable() }
        }
        let all = [headers] + rows
        let widths = headers.indices.map { column in all.map { $0[column].count }.max() ?? 0 }
        return all.map { row in
            row.indices.map { column in
                column == row.count - 1 ? row[column] : row[column].padded(to: widths[column])
            }.joined(separator: "  ").trimmingTrailingSpaces()
        }.joined(separator: "\n") + "\n"
    }
}

extension String {
    fileprivate func padded(to width: Int) -> String {
        count >= width ? self : self + String(repeating: " ", count: width - count)
    }

    /// The text safe for a terminal: line breaks and tabs become spaces, every other control code
    /// point (ESC of an ANSI sequence, C1 controls, DEL, bidirectional overrides) is dropped, so a
    /// userName cannot recolour, move the cursor or rewrite the operator's screen.
    func printable() -> String {
        var scalars = String.UnicodeScalarView()
        for scalar in unicodeScalars {
            switch scalar.value {
            case 0x09, 0x0A, 0x0B, 0x0C, 0x0D, 0x85, 0x2028, 0x2029: scalars.append(" ")
            case 0x00...0x1F, 0x7F...0x9F, 0x202A...0x202E, 0x2066...0x2069: continue
            default: scalars.append(scalar)
            }
        }
        return String(scalars)
    }

    fileprivate func trimmingTrailingSpaces() -> String {
        var text = self
        while text.last == " " { text.removeLast() }
        return text
    }
}
