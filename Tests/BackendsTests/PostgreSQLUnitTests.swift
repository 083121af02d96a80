import SCIM
import Testing

@testable import Backends
@testable import SQLDrivers

@Suite struct PostgreSQLPlaceholderTests {
    @Test func numbersPlaceholdersInOrder() {
        let rewritten = PostgreSQLPlaceholders.rewrite("SELECT a FROM t WHERE b = ? AND c IN (?, ?)")
        #expect(rewritten.sql == "SELECT a FROM t WHERE b = $1 AND c IN ($2, $3)")
        #expect(rewritten.count == 3)
    }

    @Test(arguments: [
        "SELECT '?' FROM t",
        "SELECT 'it''s ?' FROM t",
        "SELECT E'\\'?' FROM t",
        "SELECT \"odd?name\" FROM t",
        "SELECT 1 -- why?\n",
        "SELECT 1 /* a /* nested? */ comment? */",
        "SELECT $$ ? $$",
        "SELECT $tag$ it's ? $tag$",
    ])
    func leavesQuotedTextAndCommentsAlone(sql: String) {
        let rewritten = PostgreSQLPlaceholders.rewrite(sql)
        #expect(rewritten.sql == sql)
        #expect(rewritten.count == 0)
    }

    @Test func countsPlaceholdersAfterLiteralsAndExistingParameters() {
        let rewritten = PostgreSQLPlaceholders.rewrite("UPDATE t SET a = 'x?', b = ? WHERE id = ? -- ?\nAND c = ?")
        #expect(rewritten.sql == "UPDATE t SET a = 'x?', b = $1 WHERE id = $2 -- ?\nAND c = $3")
        #expect(rewritten.count == 3)
    }

    @Test func keepsUnicodeIntact() {
        let rewritten = PostgreSQLPlaceholders.rewrite("SELECT 'ç?' AS \"naïve\", ? AS é")
        #expect(rewritten.sql == "SELECT 'ç?' AS \"naïve\", $1 AS é")
    }

    @Test func unterminatedLiteralIsCopiedAsIs() {
        let rewritten = PostgreSQLPlaceholders.rewrite("SELECT 'open ?")
        #expect(rewritten.sql == "SELECT 'open ?")
    }
}

@Suite struct PostgreSQLConfigurationTests {
    @Test func acceptsLibpqURLs() throws {
        let configuration = try PostgreSQLConfiguration(
            url: "postgres://scim@db.example:5433/chamilo?sslmode=require&connect_timeout=7",
            password: "secret"
        )
        let parameters = configuration.connectionParameters
        #expect(parameters.first { $0.0 == "password" }?.1 == "secret")
        // The URL comes after the configured timeout so that its own connect_timeout wins.
        let timeoutIndex = try #require(parameters.firstIndex { $0.0 == "connect_timeout" })
        let urlIndex = try #require(parameters.firstIndex { $0.0 == "dbname" })
        #expect(timeoutIndex < urlIndex)
    }

    @Test(arguments: [
        "mysql://scim@host/db",
        "postgres://scim:inline@host/db",
        "postgres://scim@host/db?no_such_option=1",
    ])
    func rejectsBadURLs(url: String) {
        #expect(throws: SQLConfigurationError.self) {
            try PostgreSQLConfiguration(url: url, password: "secret")
        }
    }

    @Test func passwordNeverAppearsInErrors() {
        do {
            _ = try PostgreSQLConfiguration(url: "postgres://scim:hunter2@host/db")
            Issue.record("a password in the URL was accepted")
        } catch {
            #expect(!error.description.contains("hunter2"))
        }
    }
}
