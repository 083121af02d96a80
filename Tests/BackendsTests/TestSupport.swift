import Foundation
import SCIM
import SQLDrivers
import TestSupport

@testable import Backends

/// A fresh database with a shipped Chamilo schema applied, and a backend on it: an SQLite file, a
/// PostgreSQL schema or a MariaDB database of its own (see `TestSupport+Engines.swift`).
struct ChamiloFixture {
    let engine: Engine
    let directory: URL
    /// The SQLite file; empty for the database servers.
    let path: String
    let backend: SQLBackend
    /// The backend's configuration, for more backends on the same database (several gateway nodes).
    let configuration: BackendConfiguration
    /// The same database, for reading rows back with SQL.
    let database: SQLDatabase
    let dropDatabase: @Sendable () async -> Void

    static let enterprise = SCIMSchemaURI.enterpriseUser

    /// The DDL file shipped in the repository, found from this source file's location.
    static func schemaURL(_ engine: Engine = .sqlite, schema: String = "chamilo-1.11") -> URL {
        URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent()
            .deletingLastPathComponent()
            .deletingLastPathComponent()
            .appendingPathComponent("schemas/\(engine.schemaFolder)/\(schema).sql")
    }

    static func make(
        _ engine: Engine = .sqlite,
        schema: String = "chamilo-1.11",
        settings: [String: String] = ["accessUrlId": "1"],
        mapping: Mapping = chamiloMapping()
    )
        async throws -> ChamiloFixture
    {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("backends-tests-\(UUID().uuidString)")
        let ddl = try String(contentsOf: schemaURL(engine, schema: schema), encoding: .utf8)
        switch engine {
        case .sqlite:
            let path = directory.appendingPathComponent("portal/chamilo.sqlite").path
            let database = try SQLDatabase.sqlite(
                SQLiteConfiguration(path: path),
                maxConnections: 4,
                creatingFolder: true
            )
            try await database.executeScript(ddl)
            try await database.executeScript(ddl)  // applying twice must be harmless
            let configuration = BackendConfiguration(
                tenantID: "acme",
                kind: "sqlite",
                path: path,
                statementTimeout: TestTiming.scaled(.seconds(10)),
                settings: settings,
                mapping: mapping
            )
            let backend = try SQLBackend.sqlite(configuration)
            return ChamiloFixture(
                engine: engine,
                directory: directory,
                path: path,
                backend: backend,
                configuration: configuration,
                database: database,
                dropDatabase: {}
            )
        case .postgres, .mariadb:
            let server = try await ServerDatabase.make(engine, ddl: ddl)
            let configuration = BackendConfiguration(
                tenantID: "acme",
                kind: engine == .postgres ? "postgres" : "mysql",
                url: server.url,
                password: server.password,
                poolMax: 8,
                statementTimeout: TestTiming.scaled(.seconds(10)),
                settings: settings,
                mapping: mapping
            )
            let backend = try BackendRegistry.standard.makeBackend(configuration)
            guard let sqlBackend = backend as? SQLBackend else { throw ServerDatabase.SetupError("not an SQL backend") }
            return ChamiloFixture(
                engine: engine,
                directory: directory,
                path: "",
                backend: sqlBackend,
                configuration: configuration,
                database: server.database,
                dropDatabase: server.drop
            )
        }
    }

    func close() async {
        await backend.shutdown()
        await database.close()
        await dropDatabase()
        try? FileManager.default.removeItem(at: directory)
    }

    /// Runs test SQL written with `"quoted"` identifiers and `?` placeholders on any engine.
    @discardableResult
    func execute(_ sql: String, _ binds: [SQLValue] = []) async throws -> [[SQLValue]] {
        try await database.execute(engine == .mariadb ? sql.replacingOccurrences(of: "\"", with: "`") : sql, binds)
    }

    /// One row of the user table as a column → value dictionary.
    func userRow(_ id: String) async throws -> [String: SQLValue] {
        let names = try await execute(engine.columnNamesQuery, [.text("user")]).compactMap { $0.first?.textValue }
        let rows = try await execute("SELECT * FROM \"user\" WHERE id = ?", [.integer(Int64(id) ?? -1)])
        guard let row = rows.first else { return [:] }
        return Dictionary(uniqueKeysWithValues: zip(names.map { $0.lowercased() }, row))
    }

    func extraFieldValue(_ variable: String, item: String) async throws -> String? {
        try await execute(
            """
            SELECT v.value FROM extra_field_values v JOIN extra_field f ON f.id = v.field_id
            WHERE f.variable = ? AND f.extra_field_type = 1 AND v.item_id = ?
            """,
            [.text(variable), .integer(Int64(item) ?? -1)]
        ).first?.first?.textValue
    }

    func count(_ sql: String, _ binds: [SQLValue] = []) async throws -> Int64 {
        try await execute(sql, binds).first?.first?.integerValue ?? -1
    }
}

/// A typical Entra ID create body, as the SCIM core hands it to the backend.
func userAttributes(
    _ userName: String,
    given: String = "Ada",
    family: String = "Lovelace",
    email: String? = nil,
    externalId: String? = nil,
    password: String? = "Secret-Pa55"
) -> JSONObject {
    var object: JSONObject = [
        "userName": .string(userName),
        "name": .object(["givenName": .string(given), "familyName": .string(family)]),
        "emails": .array([
            .object([
                "value": .string(email ?? "\(userName)@example.org"), "type": .string("work"), "primary": .bool(true),
            ])
        ]),
        "active": .bool(true),
    ]
    if let externalId { object["externalId"] = .string(externalId) }
    if let password { object["password"] = .string(password) }
    return object
}

/// The shipped chamilo-1.11 mapping, built in code (the YAML file is decoded by the Tenants module).
func chamiloMapping() -> Mapping {
    let locales: [(String, [String])] = [
        ("english", ["en", "en-US", "en_US"]), ("french", ["fr", "fr-FR", "fr_FR"]), ("spanish", ["es", "es-ES"]),
        ("german", ["de", "de-DE"]),
    ]
    let extraFields = ExtraFieldStore(
        onCreateField: [
            "field_type": .constant(.integer(1)), "display_text": .fieldName, "visible_to_self": .constant(.integer(0)),
            "created_at": .now,
        ],
        onCreateValue: ["created_at": .now, "updated_at": .now],
        onUpdateValue: ["updated_at": .now]
    )
    let users = ResourceMapping(
        table: "user",
        key: "id",
        attributes: [
            "userName": AttributeMapping(column: "username", maxLength: 100),
            "name.givenName": AttributeMapping(column: "firstname", maxLength: 60),
            "name.familyName": AttributeMapping(column: "lastname", maxLength: 60),
            "emails": AttributeMapping(
                column: "email",
                maxLength: 100,
                defaultValue: .string(""),
                select: .primaryOrFirst,
                typeExtraField: "scim_email_type",
                defaultType: "work"
            ),
            "phoneNumbers": AttributeMapping(column: "phone", maxLength: 30, select: .primaryOrWork),
            "active": AttributeMapping(
                column: "active",
                values: ValueMap(entries: [
                    .init(stored: .integer(0), scim: [.bool(false)]), .init(stored: .integer(1), scim: [.bool(true)]),
                ]),
                defaultValue: .integer(1)
            ),
            "userType": AttributeMapping(
                column: "status",
                values: ValueMap(entries: [
                    .init(stored: .integer(1), scim: [.string("Teacher")]),
                    .init(stored: .integer(5), scim: [.string("Student")]),
                ]),
                defaultValue: .integer(5)
            ),
            "locale": AttributeMapping(
                column: "language",
                maxLength: 40,
                values: ValueMap(
                    entries: locales.map { .init(stored: .string($0.0), scim: $0.1.map(ScalarValue.string)) }
                ),
                onUnknown: .useDefault,
                defaultValue: .string("english")
            ),
            "externalId": AttributeMapping(extraField: "scim_external_id"),
            "\(SCIMSchemaURI.enterpriseUser):employeeNumber": AttributeMapping(column: "official_code", maxLength: 40),
            "password": AttributeMapping(
                column: "password",
                maxLength: 255,
                hash: PasswordHashing(setting: "passwordEncryption", saltColumn: "salt")
            ),
        ],
        derived: [
            "username_canonical": .lowercased("userName"), "email_canonical": .lowercased("emails"),
            "enabled": .attribute("active"),
        ],
        onCreate: [
            "registration_date": .now, "created_at": .now, "roles": .constant(.string("a:0:{}")), "salt": .random(32),
            "auth_source": .constant(.string("platform")), "locked": .constant(.integer(0)),
            "expired": .constant(.integer(0)), "credentials_expired": .constant(.integer(0)),
            "expiration_date": .constant(.null),
        ],
        onWrite: ["updated_at": .now],
        copyKeyTo: ["user_id"],
        linkedRows: [
            LinkedRow(
                table: "access_url_rel_user",
                keyColumn: "user_id",
                columns: ["access_url_id": .constant(.string("${settings.accessUrlId}"))],
                restrictsVisibility: true
            )
        ],
        deleteAlso: [RowReference(table: "usergroup_rel_user", column: "user_id")],
        softDelete: SoftDelete(
            set: ["active": .constant(.integer(0)), "enabled": .constant(.integer(0))],
            marker: .extraField("scim_deprovisioned")
        ),
        version: VersionStore(extraField: "scim_version"),
        created: "registration_date",
        lastModified: "updated_at",
        extraFieldItemType: 1
    )
    let groups = ResourceMapping(
        table: "usergroup",
        key: "id",
        attributes: ["displayName": AttributeMapping(column: "name", maxLength: 255)],
        onCreate: [
            "description": .constant(.string("")), "group_type": .constant(.integer(0)),
            "visibility": .constant(.string("1")), "allow_members_leave_group": .constant(.integer(1)),
            "created_at": .now,
        ],
        onWrite: ["updated_at": .now],
        linkedRows: [
            LinkedRow(
                table: "access_url_rel_usergroup",
                keyColumn: "usergroup_id",
                columns: ["access_url_id": .constant(.string("${settings.accessUrlId}"))],
                restrictsVisibility: true
            )
        ],
        created: "created_at",
        lastModified: "updated_at",
        members: Membership(
            table: "usergroup_rel_user",
            groupColumn: "usergroup_id",
            memberColumn: "user_id",
            columns: ["relation_type": .constant(.integer(0))]
        )
    )
    return Mapping(name: "chamilo-1.11", extraFields: extraFields, users: users, groups: groups)
}
