import Backends
import Testing

@testable import Tenants

@Suite struct TenantConfigurationTests {
    private func parse(_ yaml: String, expectedID: String? = "acme") throws(ConfigurationError) -> TenantConfiguration {
        try TenantConfiguration.parse(yaml, file: "tenants.d/acme.yaml", expectedID: expectedID)
    }

    private func failure(_ yaml: String, expectedID: String? = "acme") -> ConfigurationError? {
        do {
            _ = try parse(yaml, expectedID: expectedID)
            return nil
        } catch {
            return error
        }
    }

    @Test func decodesTheDesignExample() throws {
        let configuration = try parse(
            """
            id: acme
            name: ACME University
            backend:
              kind: mysql                  # sqlite | postgres | mysql | chamilo-rest
              url: mysql://chamilo@127.0.0.1:3306/chamilo_acme
              passwordEnv: ACME_DB_PASSWORD
              pool: { max: 8 }
              connectTimeout: 2.5
            mapping: chamilo-1.11
            settings:
              accessUrlId: 1
              passwordEncryption: bcrypt
            deprovision: delete
            rateLimit: { perSecond: 50, burst: 100 }
            """
        )
        #expect(configuration.id == "acme")
        #expect(configuration.name == "ACME University")
        #expect(configuration.backend.kind == "mysql")
        #expect(configuration.backend.url == "mysql://chamilo@127.0.0.1:3306/chamilo_acme")
        #expect(configuration.backend.passwordEnv == "ACME_DB_PASSWORD")
        #expect(configuration.backend.poolMax == 8)
        #expect(configuration.backend.connectTimeout == 2.5)
        #expect(configuration.backend.statementTimeout == nil)
        #expect(configuration.mapping == "chamilo-1.11")
        #expect(configuration.settings == ["accessUrlId": "1", "passwordEncryption": "bcrypt"])
        #expect(configuration.deprovision == .delete)
        #expect(configuration.rateLimit == RateLimit(perSecond: 50, burst: 100))
    }

    @Test func appliesDefaults() throws {
        let configuration = try parse(
            """
            id: acme
            name: ACME
            backend: { kind: sqlite, path: data/acme.sqlite }
            mapping: chamilo-1.11
            """
        )
        #expect(configuration.deprovision == .deactivate)
        #expect(configuration.rateLimit == .default)
        #expect(RateLimit.default == RateLimit(perSecond: 100, burst: 200))
        #expect(configuration.settings.isEmpty)
    }

    @Test func aRateWithoutBurstGetsTwiceTheRate() throws {
        let configuration = try parse(
            """
            id: acme
            name: ACME
            backend: { kind: sqlite, path: a.sqlite }
            mapping: m
            rateLimit: { perSecond: 7.5 }
            """
        )
        #expect(configuration.rateLimit == RateLimit(perSecond: 7.5, burst: 15))
    }

    @Test(arguments: [
        ("id: acme\nname: A\nbackend: {kind: sqlite, path: a}\nmapping: m\nmapingg: x", "mapingg", "unknown key"),
        (
            "id: acme\nname: A\nbackend: {kind: sqlite, path: a, pasword: x}\nmapping: m", "backend.pasword",
            "unknown key"
        ),
        (
            "id: acme\nname: A\nbackend: {kind: sqlite, path: a}\nmapping: m\nrateLimit: {burst: 0}", "rateLimit.burst",
            "whole number"
        ),
        (
            "id: acme\nname: A\nbackend: {kind: sqlite, path: a}\nmapping: m\nrateLimit: {perSecond: -1}",
            "rateLimit.perSecond", "expected a number from 0.01 to 1000000"
        ),
        (
            "id: acme\nname: A\nbackend: {kind: sqlite, path: a}\nmapping: m\nrateLimit: {perSecond: 1e-300}",
            "rateLimit.perSecond", "expected a number from 0.01 to 1000000, got '1e-300'"
        ),
        (
            "id: acme\nname: A\nbackend: {kind: sqlite, path: a}\nmapping: m\nrateLimit: {perSecond: .nan}",
            "rateLimit.perSecond", "expected a number from 0.01"
        ),
        (
            "id: acme\nname: A\nbackend: {kind: sqlite, path: a}\nmapping: m\nrateLimit: {perSecond: 1e400}",
            "rateLimit.perSecond", "expected a number from 0.01"
        ),
        (
            "id: acme\nname: A\nbackend: {kind: sqlite, path: a, connectTimeout: 1e-300}\nmapping: m",
            "backend.connectTimeout", "expected a number from 0.1 to 3600"
        ),
        (
            "id: acme\nname: A\nbackend: {kind: sqlite, path: a, pool: {max: lots}}\nmapping: m", "backend.pool.max",
            "whole number"
        ),
        (
            "id: acme\nname: A\nbackend: {kind: sqlite, path: a, pool: {min: 1}}\nmapping: m", "backend.pool.min",
            "unknown key"
        ),
        (
            "id: acme\nname: A\nbackend: {kind: sqlite, path: a, statementTimeout: 0}\nmapping: m",
            "backend.statementTimeout", "expected a number from 0.1 to 3600"
        ),
        (
            "id: acme\nname: A\nbackend: {kind: sqlite, path: a}\nmapping: m\ndeprovision: purge", "deprovision",
            "unknown value 'purge'"
        ),
        (
            "id: acme\nname: A\nbackend: {kind: sqlite, path: a}\nmapping: ../etc/passwd", "mapping",
            "not a valid mapping name"
        ),
        (
            "id: acme\nname: A\nbackend: {kind: sqlite, path: a}\nmapping: m\nsettings: {accessUrlId: [1, 2]}",
            "settings.accessUrlId", "single value"
        ),
        ("id: acme\nname: A\nbackend: {kind: sqlite}\nmapping: m", "backend", "one of url or path"),
        ("id: acme\nname: A\nbackend: {path: a}\nmapping: m", "backend.kind", "required key is missing"),
        ("id: acme\nname: A\nmapping: m", "backend", "required key is missing"),
        ("id: acme\nbackend: {kind: sqlite, path: a}\nmapping: m", "name", "required key is missing"),
        ("id: acme\nname: ''\nbackend: {kind: sqlite, path: a}\nmapping: m", "name", "must not be empty"),
        ("id: acme\nname: A\nbackend: sqlite\nmapping: m", "backend", "expected a mapping"),
        (
            "id: acme\nname: A\nbackend: {kind: mysql, url: u, passwordEnv: P, passwordFile: f}\nmapping: m",
            "backend.passwordFile", "only one of"
        ),
        ("id: Acme\nname: A\nbackend: {kind: sqlite, path: a}\nmapping: m", "id", "not a valid tenant id"),
    ])
    func refusesWithFileAndKey(yaml: String, key: String, fragment: String) throws {
        let error = try #require(failure(yaml))
        #expect(error.file == "tenants.d/acme.yaml")
        #expect(error.key == key)
        #expect(error.message.contains(fragment), "\(error)")
        #expect(error.description.hasPrefix("tenants.d/acme.yaml: \(key): "))
        #expect(!error.description.contains("\n"))
    }

    @Test func refusesAnInlinePassword() throws {
        let error = try #require(
            failure("id: acme\nname: A\nbackend: {kind: mysql, url: u, password: hunter2}\nmapping: m")
        )
        #expect(error.key == "backend.password")
        #expect(error.message.contains("passwordEnv or passwordFile"))
        #expect(!error.description.contains("hunter2"))
    }

    @Test func theIDMustEqualTheFileName() throws {
        let error = try #require(
            failure("id: other\nname: A\nbackend: {kind: sqlite, path: a}\nmapping: m", expectedID: "acme")
        )
        #expect(error.description == "tenants.d/acme.yaml: id: 'other' does not match the file name; expected 'acme'")
    }

    @Test func adminIsReserved() throws {
        let error = try #require(
            failure("id: admin\nname: A\nbackend: {kind: sqlite, path: a}\nmapping: m", expectedID: "admin")
        )
        #expect(error.key == "id")
        #expect(error.message.contains("reserved"))
    }

    @Test func reportsBrokenYAMLAndEmptyFilesOnOneLine() throws {
        let broken = try #require(failure("id: acme\nname: [unclosed\n"))
        #expect(broken.key == nil)
        #expect(broken.description.hasPrefix("tenants.d/acme.yaml: "))
        #expect(!broken.description.contains("\n"))
        let empty = try #require(failure("# nothing here\n"))
        #expect(empty.description == "tenants.d/acme.yaml: the file is empty")
        let list = try #require(failure("- a\n- b\n"))
        #expect(list.message.contains("expected a mapping"))
    }

    @Test(arguments: [
        ("acme", true), ("a", true), ("0-portal", true), ("a-b-c9", true), (String(repeating: "a", count: 63), true),
        ("", false), ("-acme", false), ("Acme", false), ("ac_me", false), ("ac.me", false),
        (String(repeating: "a", count: 64), false), ("acmé", false),
    ])
    func tenantIDPattern(id: String, valid: Bool) {
        #expect(TenantConfiguration.isValidID(id) == valid)
    }
}
