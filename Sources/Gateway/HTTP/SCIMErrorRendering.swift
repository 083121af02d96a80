import Hummingbird
import Logging
import NIOCore
import SCIM

/// Turns anything a handler throws into the SCIM error a client may see. Internal errors become a 500
/// with a generic detail; their cause goes to the server log only.
public enum SCIMErrorRendering {
    /// An error that carries extra response headers (`Allow` on a 405).
    public struct WithHeaders: Error, Sendable {
        public var error: SCIMError
        public var headers: HTTPFields

        public init(_ error: SCIMError, headers: HTTPFields) {
            self.error = error
            self.headers = headers
        }
    }

    /// 401 with a detail.
    public static func unauthorized(_ detail: String) -> SCIMError {
        SCIMError(status: 401, detail: detail)
    }

    /// 405 naming the methods allowed, with an `Allow` header.
    public static func methodNotAllowed(allowed: [HTTPRequest.Method]) -> WithHeaders {
        let list = allowed.map(\.rawValue).joined(separator: ", ")
        var headers = HTTPFields()
        headers[.allow] = list
        return WithHeaders(
            SCIMError(status: 405, detail: "This endpoint accepts only \(list)."),
            headers: headers
        )
    }

    /// The SCIM error for `error`, and headers to add. An error that is not a client's fault becomes a
    /// generic 500; ``logServerError(_:answered:logger:)`` records its cause.
    public static func scimError(for error: any Error) -> (SCIMError, HTTPFields) {
        switch error {
        case let error as SCIMError:
            return (error, [:])
        case let error as WithHeaders:
            return (error.error, error.headers)
        case let error as HTTPError:
            return (fromStatus(error.status), error.headers)
        case is NIOTooManyBytesError:
            return (tooLarge(limit: BodyLimits.standard), [:])
        case is CancellationError:
            return (SCIMError.unavailable("The request was cancelled while the server shuts down."), [:])
        case let error as any HTTPResponseError where error.status.code < 500:
            return (fromStatus(error.status), [:])
        default:
            return (SCIMError.internalError(), [:])
        }
    }

    /// Logs a failure answered with a 5xx, with its cause (`String(reflecting:)`: a ``SCIMError``'s
    /// ``SCIMError/cause``, or the unknown error itself), which the response never carries. Called
    /// once per answered failure, by the boundary that answers it: ``SCIMErrorMiddleware`` for a
    /// request, the Bulk route for each failed operation.
    public static func logServerError(_ error: any Error, answered scimError: SCIMError, logger: Logger) {
        guard scimError.status >= 500 else { return }
        logger.error(
            "request failed",
            metadata: ["status": "\(scimError.status)", "error": "\(String(reflecting: error))"]
        )
    }

    /// 413 naming the limit.
    public static func tooLarge(limit: Int) -> SCIMError {
        let size = limit >= 1 << 20 ? "\(limit >> 20) MiB" : "\(limit) bytes"
        return SCIMError(status: 413, detail: "The request body is larger than the limit of \(size) (\(limit) bytes).")
    }

    static func fromStatus(_ status: HTTPResponse.Status) -> SCIMError {
        switch status.code {
        case 404: return SCIMError.notFound("The requested endpoint or resource does not exist.")
        case 405: return SCIMError(status: 405, detail: "The method is not allowed on this endpoint.")
        case 413: return tooLarge(limit: BodyLimits.standard)
        case 500...: return SCIMError.internalError()
        default: return SCIMError(status: status.code, detail: status.reasonPhrase)
        }
    }
}
