import Hummingbird
import NIOCore
import SCIM

/// Responses in `application/scim+json`.
public enum SCIMResponse {
    /// The SCIM media type.
    public static let mediaType = "application/scim+json"

    /// A response with a JSON body.
    public static func json(
        _ body: JSONObject,
        status: HTTPResponse.Status = .ok,
        headers: HTTPFields = [:]
    ) -> Response {
        bytes(JSONValue.object(body).serialized(), status: status, headers: headers)
    }

    /// A response with already serialised JSON.
    public static func bytes(_ bytes: [UInt8], status: HTTPResponse.Status, headers: HTTPFields = [:]) -> Response {
        var fields = headers
        fields[.contentType] = mediaType
        return Response(status: status, headers: fields, body: ResponseBody(byteBuffer: ByteBuffer(bytes: bytes)))
    }

    /// A response without a body (204, 304).
    public static func empty(_ status: HTTPResponse.Status, headers: HTTPFields = [:]) -> Response {
        Response(status: status, headers: headers)
    }

    /// The SCIM error body for `error`, with `WWW-Authenticate` on 401 and `Retry-After` when set.
    public static func error(_ error: SCIMError, headers: HTTPFields = [:]) -> Response {
        var fields = headers
        if error.status == 401, fields[.wwwAuthenticate] == nil {
            fields[.wwwAuthenticate] = "Bearer realm=\"scim-gateway\""
        }
        if let retryAfter = error.retryAfter {
            fields[.retryAfter] = String(max(1, retryAfter))
        }
        return json(error.body, status: HTTPResponse.Status(code: error.status), headers: fields)
    }
}
