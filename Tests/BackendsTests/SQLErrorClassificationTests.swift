import SCIM
import SQLDrivers
import Testing

@testable import Backends

/// The one classification table of SQLDrivers and the one mapping to SCIM errors of Backends.
@Suite struct SQLErrorClassificationTests {
    @Test(arguments: [
        ("23505", SQLError.Kind.uniqueViolation),
        ("23502", .notNullViolation),
        ("22001", .valueTooLong),
        ("22P02", .invalidValue),
        ("57014", .timeout),
        ("55P03", .timeout),
        ("40P01", .deadlock),
        ("40001", .deadlock),
        ("08006", .unavailable),
        ("57P01", .unavailable),
        ("53300", .unavailable),
        ("42P01", .other),
    ])
    func postgresSQLStates(sqlState: String, kind: SQLError.Kind) {
        #expect(SQLError.postgres(sqlState: sqlState, message: "m").kind == kind)
    }

    @Test(arguments: [
        (1062, SQLError.Kind.uniqueViolation),
        (1586, .uniqueViolation),
        (1406, .valueTooLong),
        (1048, .notNullViolation),
        (1364, .notNullViolation),
        (1264, .invalidValue),
        (1366, .invalidValue),
        (1969, .timeout),
        (1205, .timeout),
        (1213, .deadlock),
        (2002, .unavailable),
        (2003, .unavailable),
        (2006, .unavailable),
        (2013, .unavailable),
        (1927, .unavailable),
        (1146, .other),
    ])
    func mysqlErrorNumbers(number: Int, kind: SQLError.Kind) {
        #expect(SQLError.mysql(number: number, sqlState: nil, message: "m").kind == kind)
    }

    @Test(arguments: [
        (Int32(2067), SQLError.Kind.uniqueViolation),
        (1555, .uniqueViolation),
        (1299, .notNullViolation),
        (18, .valueTooLong),
        (5, .unavailable),
        (517, .unavailable),  // SQLITE_BUSY_SNAPSHOT
        (13, .unavailable),
        (1, .other),
    ])
    func sqliteResultCodes(code: Int32, kind: SQLError.Kind) {
        #expect(SQLError.sqlite(code: code, message: "m").kind == kind)
    }

    @Test func theServersMessageNamesTheColumn() {
        #expect(
            SQLError.mysql(number: 1406, sqlState: "22001", message: "Data too long for column 'firstname' at row 1")
                .column == "firstname"
        )
        #expect(
            SQLError.mysql(number: 1048, sqlState: "23000", message: "Column 'email' cannot be null").column == "email"
        )
        #expect(
            SQLError.mysql(number: 1364, sqlState: "HY000", message: "Field 'lastname' doesn't have a default value")
                .column == "lastname"
        )
        #expect(
            SQLError.postgres(
                sqlState: "23502",
                message: "null value in column \"email\" of relation \"user\" violates not-null constraint"
            ).column == "email"
        )
        #expect(SQLError.sqlite(code: 1299, message: "NOT NULL constraint failed: user.email").column == "email")
        #expect(
            SQLError.postgres(sqlState: "22001", message: "value too long for type character varying(5)").column == nil
        )
    }

    @Test func descriptionsStayGenericAndTheLogGetsTheDetail() {
        let error = SQLError.postgres(sqlState: "42601", message: "syntax error at or near \"SELEC\"")
        #expect(error.description == "SQL error (other)")
        #expect(String(reflecting: error).contains("SQLSTATE 42601"))
        #expect(String(reflecting: error).contains("syntax error"))
    }

    @Test func scimErrorsNameTheAttribute() {
        let attribute: (String) -> String? = { $0 == "firstname" ? "name.givenName" : nil }
        let unique = SCIMError(SQLError(.uniqueViolation, message: "dup"), attributeForColumn: attribute)
        #expect(unique.status == 409)
        #expect(unique.scimType == .uniqueness)
        let long = SCIMError(SQLError(.valueTooLong, column: "firstname", message: "m"), attributeForColumn: attribute)
        #expect(long.status == 400)
        #expect(long.scimType == .invalidValue)
        #expect(long.detail.contains("name.givenName"))
        let missing = SCIMError(
            SQLError(.notNullViolation, column: "email", message: "m"),
            attributeForColumn: attribute
        )
        #expect(missing.detail.contains("email"))
        #expect(SCIMError(SQLError(.invalidValue, message: "m"), attributeForColumn: attribute).status == 400)
        let down = SCIMError(SQLError(.unavailable, message: "m"), attributeForColumn: attribute)
        #expect(down.status == 503)
        let deadlock = SCIMError(SQLError(.deadlock, message: "m"), attributeForColumn: attribute)
        #expect(deadlock.status == 503)
        #expect(deadlock.retryAfter == 1)
        let other = SCIMError(SQLError(.other, message: "syntax near 'x'"), attributeForColumn: attribute)
        #expect(other.status == 500)
        #expect(!other.detail.contains("syntax"))
    }
}
