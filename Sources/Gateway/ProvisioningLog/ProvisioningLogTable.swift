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
            ].map { $0.replacingNewlines() }
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

    fileprivate func replacingNewlines() -> String {
        String(map { $0.isNewline ? " " : $0 })
    }

    fileprivate func trimmingTrailingSpaces() -> String {
        var text = self
        while text.last == " " { text.removeLast() }
        return text
    }
}
