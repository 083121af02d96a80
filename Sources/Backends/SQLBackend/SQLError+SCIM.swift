import SCIM
import SQLDrivers

extension SCIMError {
    /// The one mapping from a database error to what a SCIM client sees: uniqueness 409; a value too
    /// long, missing or not accepted 400 `invalidValue` naming the SCIM attribute of the column; an
    /// unreachable database 503; a timeout, deadlock or serialization failure 503 with a short
    /// Retry-After; anything else 500. The server's message never reaches the client; the 5xx log line
    /// carries it.
    init(_ error: SQLError, attributeForColumn: (String) -> String?) {
        let name = error.column.flatMap(attributeForColumn) ?? error.column
        switch error.kind {
        case .uniqueViolation:
            self = .uniqueness("A resource with the same unique value already exists.")
        case .notNullViolation:
            self = .invalidValue("\(name ?? "a required attribute") is required by the portal's database.")
        case .valueTooLong:
            self = .invalidValue(
                "\(name ?? "a value") is longer than the portal's database accepts"
                    + "\(error.column.map { " (\($0))" } ?? "")."
            )
        case .invalidValue:
            self = .invalidValue("A value is not accepted by the portal's database.")
        case .unavailable:
            self = .unavailable("The portal's database is not reachable; try again later.", cause: error)
        case .timeout, .deadlock:
            self = .unavailable(
                "The portal's database did not complete the request in time; try again.",
                retryAfter: 1,
                cause: error
            )
        case .other:
            self = .internalError(cause: error)
        }
    }
}
