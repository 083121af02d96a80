import Foundation

/// A user row of the fake portal.
public struct FakeChamiloUser: Sendable, Hashable {
    public var id: Int
    public var username: String
    public var firstname: String
    public var lastname: String
    public var email: String
    public var status: Int
    public var language: String
    public var phone: String
    public var active: Int
    public var password: String
    public var extra: [String: String]
}

/// One request as received: its action and form fields in order.
public struct FakeChamiloRequest: Sendable, Hashable {
    public var action: String
    public var fields: [FakeFormField]

    /// The value of the last field with this name.
    public func value(_ name: String) -> String? {
        fields.last { $0.name == name }?.value
    }

    public var names: [String] { fields.map(\.name) }
}

public struct FakeFormField: Sendable, Hashable {
    public var name: String
    public var value: String
}

/// The state behind ``FakeChamiloServer`` and the API's behaviour, action by action, as
/// `v2.php` and `Rest.php` of Chamilo 1.11 implement it. Error messages are the English texts of
/// the language variables the API sends (`get_lang(…)`).
public actor FakeChamiloState {
    enum Message {
        static let invalidAPIKey = "Invalid API key"
        static let invalidUser = "Invalid user detected"
        static let usernameNotAvailable = "This login is not available"
        static let userNotFound = "User not found"
        static let unsupportedUpdate = "Unsupported update"
        static let languageUnavailable = "Language unavailable"
        static let couldNotUpdateExtraField = "Could not update extra field value"
        static let invalidAction = "Invalid action"
        static let noData = "No data"
    }

    /// The fields `update_user_from_username` applies or ignores; anything else is refused.
    static let updatableFields: Set<String> = [
        "email", "enabled", "lastname", "firstname", "phone", "address", "roles", "profile_completed",
        "auth_source", "status", "official_code", "picture_uri", "creator_id", "competences", "diplomas",
        "openarea", "teach", "productions", "language", "registration_date", "expiration_date", "active",
        "openid", "theme", "hr_dept_id", "extra", "username", "api_key", "action", "loginname",
    ]

    public let adminUsername: String
    public var adminPassword: String
    public private(set) var apiKey = FakeChamiloState.makeKey()
    public private(set) var users: [Int: FakeChamiloUser] = [:]
    public private(set) var extraFieldVariables: Set<String> = []
    public private(set) var requests: [FakeChamiloRequest] = []
    /// Everything received that the real API would reject or that breaks its contract.
    public private(set) var violations: [String] = []
    /// How long each answer waits.
    public var delay: Duration = .zero
    /// How the connection misbehaves (``setFault(_:)``).
    public internal(set) var fault = FakeChamiloFault.none
    public let languages: Set<String> = ["english", "french", "spanish", "german", "italian", "dutch", "portuguese"]
    private var nextID = 2

    public init(adminUsername: String = "admin", adminPassword: String = "admin-secret") {
        self.adminUsername = adminUsername
        self.adminPassword = adminPassword
        users[1] = FakeChamiloUser(
            id: 1,
            username: adminUsername,
            firstname: "Portal",
            lastname: "Admin",
            email: "admin@example.org",
            status: 1,
            language: "english",
            phone: "",
            active: 1,
            password: adminPassword,
            extra: [:]
        )
    }

    /// Issues a new API key for the admin; the old one is refused from now on.
    public func rotateKey() {
        apiKey = Self.makeKey()
    }

    public func setDelay(_ delay: Duration) {
        self.delay = delay
    }

    public func recordViolation(_ text: String) {
        violations.append(text)
    }

    /// The requests with this action.
    public func requests(_ action: String) -> [FakeChamiloRequest] {
        requests.filter { $0.action == action }
    }

    /// Changes a user's `status` as Chamilo's own screens would (e.g. 6, the anonymous user).
    public func setStatus(_ status: Int, of username: String) {
        guard let user = user(named: username) else { return }
        users[user.id]?.status = status
    }

    public func user(named username: String) -> FakeChamiloUser? {
        users.values.first { $0.username.lowercased() == username.lowercased() }
    }

    /// Records one POST as it arrives (so that a request the client gave up on still counts) and
    /// returns how long to wait before answering it.
    public func receive(contentType: String, body: String) -> (FakeChamiloRequest, Duration) {
        if contentType.lowercased().hasPrefix("application/x-www-form-urlencoded") == false {
            violations.append("content type '\(contentType)' instead of a form-encoded body")
        }
        let fields = Self.parseForm(body)
        let request = FakeChamiloRequest(action: fields.last { $0.name == "action" }?.value ?? "", fields: fields)
        requests.append(request)
        return (request, delay)
    }

    /// Runs a received request and returns the JSON envelope.
    public func answer(_ request: FakeChamiloRequest) -> String {
        do {
            return Self.envelope(data: try dispatch(request))
        } catch let error as FakeRefusal {
            if error.isViolation { violations.append("\(request.action): \(error.message)") }
            return Self.envelope(error: error.message)
        } catch {
            return Self.envelope(error: "\(error)")
        }
    }

    private func dispatch(_ request: FakeChamiloRequest) throws -> Any {
        if request.action == "authenticate" {
            guard request.value("username") == adminUsername, request.value("password") == adminPassword else {
                throw FakeRefusal(Message.invalidUser)
            }
            return ["url": "http://127.0.0.1/", "apiKey": apiKey, "gcmSenderId": ""]
        }
        guard let key = request.value("api_key") else {
            throw FakeRefusal("no api_key", isViolation: true)
        }
        guard key == apiKey, request.value("username") == adminUsername else {
            throw FakeRefusal(Message.invalidAPIKey)
        }
        switch request.action {
        case "save_user": return try saveUser(request)
        case "update_user_from_username": return try updateUser(request)
        case "username_exist":
            let name = try required("loginname", in: request)
            return [user(named: name) != nil]
        case "get_users": return try getUsers(request)
        case "users_profiles_by_extra_field": return try profiles(request)
        case "delete_user":
            guard let id = Int(try required("user_id", in: request)), users[id] != nil else {
                return ["status": false]
            }
            users[id] = nil
            return ["status": true]
        default:
            throw FakeRefusal(Message.invalidAction, isViolation: true)
        }
    }

    private func required(_ name: String, in request: FakeChamiloRequest) throws -> String {
        guard let value = request.value(name) else {
            throw FakeRefusal("\(name) missing (PHP reads it unguarded)", isViolation: true)
        }
        return value
    }

    private func saveUser(_ request: FakeChamiloRequest) throws -> Any {
        for name in [
            "firstname", "lastname", "status", "email", "loginname", "password", "original_user_id_name",
            "original_user_id_value",
        ] {
            _ = try required(name, in: request)
        }
        let username = try required("loginname", in: request)
        guard user(named: username) == nil else {
            throw FakeRefusal(Message.usernameNotAvailable)
        }
        guard let status = Int(try required("status", in: request)) else {
            throw FakeRefusal("status is not a number", isViolation: true)
        }
        let id = nextID
        nextID += 1
        var user = FakeChamiloUser(
            id: id,
            username: username,
            firstname: request.value("firstname") ?? "",
            lastname: request.value("lastname") ?? "",
            email: request.value("email") ?? "",
            status: status,
            language: request.value("language") ?? "english",
            phone: request.value("phone") ?? "",
            active: 1,
            password: request.value("password") ?? "",
            extra: [:]
        )
        let originalName = try required("original_user_id_name", in: request)
        extraFieldVariables.insert(originalName)
        user.extra[originalName] = request.value("original_user_id_value")
        for (name, value) in try Self.extraFields(of: request) {
            extraFieldVariables.insert(name)
            user.extra[name] = value
        }
        users[id] = user
        return [id]
    }

    private func updateUser(_ request: FakeChamiloRequest) throws -> Any {
        let loginName = request.fields.last { $0.name.lowercased() == "loginname" }?.value
        guard let loginName else { throw FakeRefusal(Message.noData) }
        guard var user = user(named: loginName) else { throw FakeRefusal(Message.userNotFound) }
        for field in request.fields {
            let name = field.name.hasPrefix("extra[") ? "extra" : field.name
            guard Self.updatableFields.contains(name.lowercased()) else {
                throw FakeRefusal("\(Message.unsupportedUpdate) '\(field.name)'", isViolation: true)
            }
        }
        let extra = try Self.extraFields(of: request)
        for (name, _) in extra where extraFieldVariables.contains(name) == false {
            throw FakeRefusal("\(Message.couldNotUpdateExtraField): \(name)", isViolation: true)
        }
        for field in request.fields {
            switch field.name.lowercased() {
            case "email": user.email = field.value
            case "firstname": user.firstname = field.value
            case "lastname": user.lastname = field.value
            case "phone": user.phone = field.value
            case "status": user.status = Int(field.value) ?? user.status
            case "active": user.active = Int(field.value) ?? user.active
            case "language":
                guard languages.contains(field.value) else { throw FakeRefusal(Message.languageUnavailable) }
                user.language = field.value
            default: break
            }
        }
        for (name, value) in extra {
            user.extra[name] = value
        }
        users[user.id] = user
        return [true]
    }

    private func getUsers(_ request: FakeChamiloRequest) throws -> Any {
        let status = try required("status", in: request)
        let fields = (request.value("extra_fields") ?? "").split(separator: ",").map {
            $0.trimmingCharacters(in: .whitespaces)
        }
        let selected = users.values.filter { status == "*" || String($0.status) == status }
        return selected.sorted { ($0.firstname, $0.id) < ($1.firstname, $1.id) }.map { user -> [String: Any] in
            // Database rows come back as strings.
            var row: [String: Any] = [
                "id": String(user.id), "firstname": user.firstname, "lastname": user.lastname, "email": user.email,
                "username": user.username, "active": String(user.active),
            ]
            for field in fields {
                if let value = user.extra[field], value.isEmpty == false { row[field] = value }
            }
            return row
        }
    }

    private func profiles(_ request: FakeChamiloRequest) throws -> Any {
        let name = try required("field_name", in: request)
        let value = try required("field_value", in: request)
        let onlyActive = request.value("active") == "1"
        var result: [String: Any] = [:]
        for user in users.values where user.extra[name]?.lowercased() == value.lowercased() {
            if onlyActive && user.active == 0 { continue }
            result[String(user.id)] =
                [
                    "pictureUri": "", "id": user.id, "status": user.status,
                    "fullName": "\(user.firstname) \(user.lastname)",
                    "username": user.username, "officialCode": "", "phone": user.phone,
                ] as [String: Any]
        }
        // PHP encodes an empty array as a JSON list.
        return result.isEmpty ? [Any]() : result
    }

    /// `extra[i][field_name]` / `extra[i][field_value]` pairs, in index order.
    private static func extraFields(of request: FakeChamiloRequest) throws -> [(String, String)] {
        var names: [Int: String] = [:]
        var values: [Int: String] = [:]
        for field in request.fields where field.name.hasPrefix("extra[") {
            let parts = field.name.dropFirst("extra[".count).split(separator: "]").map {
                $0.hasPrefix("[") ? String($0.dropFirst()) : String($0)
            }
            guard parts.count == 2, let index = Int(parts[0]) else {
                throw FakeRefusal("malformed extra field '\(field.name)'", isViolation: true)
            }
            switch parts[1] {
            case "field_name": names[index] = field.value
            case "field_value": values[index] = field.value
            default: throw FakeRefusal("malformed extra field '\(field.name)'", isViolation: true)
            }
        }
        return try names.keys.sorted().map { index in
            guard let name = names[index], let value = values[index] else {
                throw FakeRefusal("extra[\(index)] lacks field_name or field_value", isViolation: true)
            }
            return (name, value)
        }
    }

    public static func parseForm(_ body: String) -> [FakeFormField] {
        body.split(separator: "&", omittingEmptySubsequences: true).map { pair in
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            func decode(_ text: Substring) -> String {
                let spaced = text.replacingOccurrences(of: "+", with: " ")
                return spaced.removingPercentEncoding ?? spaced
            }
            return FakeFormField(name: decode(parts[0]), value: parts.count > 1 ? decode(parts[1]) : "")
        }
    }

    private static func envelope(data: Any) -> String {
        json(["error": false, "data": data])
    }

    private static func envelope(error message: String) -> String {
        json(["error": true, "message": message])
    }

    private static func json(_ object: [String: Any]) -> String {
        guard let data = try? JSONSerialization.data(withJSONObject: object) else {
            return #"{"error":true,"message":"encoding failed"}"#
        }
        return String(decoding: data, as: UTF8.self)
    }

    private static func makeKey() -> String {
        (0..<32).map { _ in String("0123456789abcdef".randomElement() ?? "0") }.joined()
    }
}

/// An error envelope the fake answers with; `isViolation` when the real API would fail the same way
/// and the adapter should never have sent it.
struct FakeRefusal: Error {
    var message: String
    var isViolation = false

    init(_ message: String, isViolation: Bool = false) {
        self.message = message
        self.isViolation = isViolation
    }
}
