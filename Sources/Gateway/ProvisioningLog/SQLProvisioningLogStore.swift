import Foundation
import SCIM
import SQLDrivers

/// The provisioning log in an SQL database (SQLite or PostgreSQL) through ``SQLDatabase``.
public struct SQLProvisioningLogStore: ProvisioningLogStore {
    /// The database holding the table.
    public let database: SQLDatabase
    /// The table name (`provisioning_log` unless a test or a shared database needs another).
    public let table: String

    /// Makes a store over an open database; call ``prepare()`` before use. `table` must be a plain
    /// identifier (`[A-Za-z_][A-Za-z0-9_]{0,62}`); anything else falls back to `provisioning_log`.
    public init(database: SQLDatabase, table: String = "provisioning_log") {
        self.database = database
        self.table = Self.isIdentifier(table) ? table : "provisioning_log"
    }

    static func isIdentifier(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, name.unicodeScalars.count <= 63 else { return false }
        let letters = CharacterSet(charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_")
        let rest = letters.union(CharacterSet(charactersIn: "0123456789"))
        return letters.contains(first) && name.unicodeScalars.allSatisfy(rest.contains)
    }

    static let columns = [
        "time_ms", "request_id", "tenant", "token_id", "client", "method", "path", "operation",
        "resource_type", "resource_id", "user_name", "external_id", "status", "scim_type", "detail",
        "duration_ms", "attributes", "dropped",
    ]

    public func prepare() async throws {
        let dialect = database.dialect
        let key = dialect.generatedKeyColumn("id")
        let bigint = dialect.bigIntegerType
        let real = dialect.doubleType
        let statements = [
            """
            CREATE TABLE IF NOT EXISTS \(table) (
                \(key),
                time_ms \(bigint) NOT NULL,
                request_id TEXT NOT NULL,
                tenant TEXT NOT NULL,
                token_id TEXT,
                client TEXT,
                method TEXT NOT NULL,
                path TEXT NOT NULL,
                operation TEXT NOT NULL,
                resource_type TEXT,
                resource_id TEXT,
                user_name TEXT,
                external_id TEXT,
                status INTEGER NOT NULL,
                scim_type TEXT,
                detail TEXT,
                duration_ms \(real) NOT NULL,
                attributes TEXT NOT NULL,
                dropped TEXT NOT NULL DEFAULT '[]'
            )
            """,
            "CREATE INDEX IF NOT EXISTS \(table)_time ON \(table) (time_ms)",
            "CREATE INDEX IF NOT EXISTS \(table)_tenant_time ON \(table) (tenant, time_ms)",
            "CREATE INDEX IF NOT EXISTS \(table)_user_name ON \(table) (user_name)",
            "CREATE TABLE IF NOT EXISTS \(table)_replay (spool_id TEXT PRIMARY KEY, entries \(bigint) NOT NULL)",
        ]
        try await database.transaction { execute in
            for statement in statements {
                _ = try execute(statement, [])
            }
        }
        // Stores made before `dropped` existed gain the column (probed outside a transaction, which
        // PostgreSQL would abort on the failed probe).
        do {
            _ = try await database.execute("SELECT dropped FROM \(table) WHERE 1 = 0", [])
        } catch {
            _ = try await database.execute("ALTER TABLE \(table) ADD COLUMN dropped TEXT NOT NULL DEFAULT '[]'", [])
        }
    }

    public func insert(_ entries: [ProvisioningLogEntry]) async throws {
        guard !entries.isEmpty else { return }
        let placeholders = Array(repeating: "?", count: Self.columns.count).joined(separator: ", ")
        let sql =
            "INSERT INTO \(table) (\(Self.columns.joined(separator: ", "))) VALUES (\(placeholders))"
        let rows = entries.map(Self.binds(for:))
        try await database.transaction { execute in
            for binds in rows {
                _ = try execute(sql, binds)
            }
        }
    }

    public func replayedCount(spoolID: String) async throws -> Int {
        let rows = try await database.execute(
            "SELECT entries FROM \(table)_replay WHERE spool_id = ?",
            [.text(spoolID)]
        )
        guard case .integer(let count)? = rows.first?.first else { return 0 }
        return Int(clamping: count)
    }

    public func insert(_ entries: [ProvisioningLogEntry], replaying spoolID: String, through: Int) async throws {
        let placeholders = Array(repeating: "?", count: Self.columns.count).joined(separator: ", ")
        let sql =
            "INSERT INTO \(table) (\(Self.columns.joined(separator: ", "))) VALUES (\(placeholders))"
        let rows = entries.map(Self.binds(for:))
        let marker =
            "INSERT INTO \(table)_replay (spool_id, entries) VALUES (?, ?) "
            + "ON CONFLICT (spool_id) DO UPDATE SET entries = excluded.entries"
        let markerBinds: [SQLValue] = [.text(spoolID), .integer(Int64(clamping: through))]
        try await database.transaction { execute in
            for binds in rows {
                _ = try execute(sql, binds)
            }
            if !spoolID.isEmpty {
                _ = try execute(marker, markerBinds)
            }
        }
    }

    public func entries(matching query: ProvisioningLogQuery) async throws -> [ProvisioningLogEntry] {
        var conditions: [String] = []
        var binds: [SQLValue] = []
        if let tenant = query.tenant {
            conditions.append("tenant = ?")
            binds.append(.text(tenant))
        }
        if let since = query.since {
            conditions.append("time_ms >= ?")
            binds.append(.integer(ProvisioningLogTime.milliseconds(since)))
        }
        if query.failedOnly {
            conditions.append("status >= 400")
        }
        if let user = query.user {
            conditions.append("(LOWER(user_name) = ? OR external_id = ?)")
            binds.append(.text(user.lowercased()))
            binds.append(.text(user))
        }
        var sql = "SELECT \(Self.columns.joined(separator: ", ")) FROM \(table)"
        if !conditions.isEmpty {
            sql += " WHERE " + conditions.joined(separator: " AND ")
        }
        sql += " ORDER BY time_ms DESC, id DESC LIMIT ?"
        binds.append(.integer(Int64(max(0, query.limit))))
        let rows = try await database.execute(sql, binds)
        return rows.compactMap(Self.entry(from:)).reversed()
    }

    @discardableResult
    public func deleteEntries(olderThan cutoff: Date) async throws -> Int {
        let binds: [SQLValue] = [.integer(ProvisioningLogTime.milliseconds(cutoff))]
        return try await database.transaction { execute in
            let counted = try execute("SELECT COUNT(*) FROM \(table) WHERE time_ms < ?", binds)
            _ = try execute("DELETE FROM \(table) WHERE time_ms < ?", binds)
            if case .integer(let count)? = counted.first?.first { return Int(count) }
            return 0
        }
    }

    public func close() async {
        await database.close()
    }

    static func binds(for entry: ProvisioningLogEntry) -> [SQLValue] {
        func text(_ value: String?) -> SQLValue { value.map(SQLValue.text) ?? .null }
        return [
            .integer(ProvisioningLogTime.milliseconds(entry.time)),
            .text(entry.requestId),
            .text(entry.tenant),
            text(entry.tokenId),
            text(entry.client),
            .text(entry.method),
            .text(entry.path),
            .text(entry.operation),
            text(entry.resourceType),
            text(entry.resourceId),
            text(entry.userName),
            text(entry.externalId),
            .integer(Int64(entry.status)),
            text(entry.scimType),
            text(entry.detail),
            .double(entry.durationMs),
            .text(ProvisioningLogJSON.list(entry.attributes)),
            .text(ProvisioningLogJSON.list(entry.dropped)),
        ]
    }

    static func entry(from row: [SQLValue]) -> ProvisioningLogEntry? {
        guard row.count == columns.count else { return nil }
        func text(_ index: Int) -> String? {
            switch row[index] {
            case .text(let value): return value
            case .integer(let value): return String(value)
            case .double(let value): return String(value)
            case .blob(let bytes): return String(decoding: bytes, as: UTF8.self)
            case .null: return nil
            }
        }
        func integer(_ index: Int) -> Int64? {
            switch row[index] {
            case .integer(let value): return value
            case .double(let value): return Int64(exactly: value.rounded())
            case .text(let value): return Int64(value)
            default: return nil
            }
        }
        func double(_ index: Int) -> Double {
            switch row[index] {
            case .double(let value): return value
            case .integer(let value): return Double(value)
            case .text(let value): return Double(value) ?? 0
            default: return 0
            }
        }
        guard let millis = integer(0), let status = integer(12) else { return nil }
        func names(_ index: Int) -> [String] {
            guard let text = text(index), case .array(let values)? = try? JSONValue.parse(text) else { return [] }
            return values.compactMap(\.stringValue)
        }
        return ProvisioningLogEntry(
            time: ProvisioningLogTime.date(milliseconds: millis),
            requestId: text(1) ?? "",
            tenant: text(2) ?? "",
            tokenId: text(3),
            client: text(4),
            method: text(5) ?? "",
            path: text(6) ?? "",
            operation: text(7) ?? "",
            resourceType: text(8),
            resourceId: text(9),
            userName: text(10),
            externalId: text(11),
            status: Int(status),
            scimType: text(13),
            detail: text(14),
            durationMs: double(15),
            attributes: names(16),
            dropped: names(17)
        )
    }
}
