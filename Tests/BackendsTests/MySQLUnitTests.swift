import SCIM
import Testing

@testable import Backends
@testable import SQLDrivers

@Suite struct MySQLConfigurationTests {
    @Test func parsesAFullURL() throws {
        let configuration = try MySQLConfiguration(
            url: "mysql://chamilo%40acme@127.0.0.1:3307/chamilo_acme?ssl=required&socket=%2Frun%2Fmysqld.sock",
            password: "secret"
        )
        #expect(configuration.username == "chamilo@acme")
        #expect(configuration.host == "127.0.0.1")
        #expect(configuration.port == 3307)
        #expect(configuration.database == "chamilo_acme")
        #expect(configuration.tls == .required)
        #expect(configuration.socket == "/run/mysqld.sock")
        #expect(configuration.password == "secret")
    }

    @Test func defaultsPortAndTakesTheUserFromTheBackendSection() throws {
        let configuration = try MySQLConfiguration(url: "mysql://[::1]/db", username: "scim")
        #expect(configuration.host == "::1")
        #expect(configuration.port == 3306)
        #expect(configuration.username == "scim")
        #expect(configuration.tls == .preferred)
    }

    @Test(arguments: [
        "postgres://scim@host/db",
        "mysql://scim:inline@host/db",
        "mysql://scim@host/db?charset=latin1",
        "mysql://scim@host:99999/db",
        "mysql://host/db",
        "mysql://scim@host/db?ssl=sometimes",
        "mysql://scim@host/d%zzb",
        "not a url",
    ])
    func rejectsBadURLs(url: String) {
        #expect(throws: SQLConfigurationError.self) {
            try MySQLConfiguration(url: url, password: "secret")
        }
    }
}
