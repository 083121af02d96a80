import Foundation
import SCIM
import Synchronization
import Tenants

/// Operator sessions of the dashboard: a random id in an HttpOnly, SameSite=Strict cookie, and a CSRF
/// token every form carries. Sessions live in this node's memory for ``lifetime`` (a node behind a load
/// balancer needs sticky sessions, or a new sign-in); at most ``capacity`` exist, the oldest going first.
final class DashboardSessions: Sendable {
    struct Session: Sendable {
        var csrf: String
        var expires: Date
    }

    static let cookieName = "sgw_dashboard"
    static let lifetime: TimeInterval = 8 * 3600
    static let capacity = 1000

    private let sessions = Locked<[String: Session]>([:])

    /// A new session: its id (for the cookie) and its CSRF token.
    func open(now: Date = Date()) -> (id: String, csrf: String) {
        let id = Self.randomToken()
        let csrf = Self.randomToken()
        sessions.withLock { sessions in
            sessions = sessions.filter { $0.value.expires > now }
            if sessions.count >= Self.capacity, let oldest = sessions.min(by: { $0.value.expires < $1.value.expires }) {
                sessions[oldest.key] = nil
            }
            sessions[id] = Session(csrf: csrf, expires: now + Self.lifetime)
        }
        return (id, csrf)
    }

    /// The live session of a cookie header, if any.
    func session(cookieHeader: String?, now: Date = Date()) -> (id: String, session: Session)? {
        guard let id = Self.cookie(Self.cookieName, in: cookieHeader) else { return nil }
        return sessions.withLock { sessions in
            guard let session = sessions[id], session.expires > now else {
                sessions[id] = nil
                return nil
            }
            return (id, session)
        }
    }

    func close(_ id: String) {
        _ = sessions.withLock { $0.removeValue(forKey: id) }
    }

    /// Compares a form's CSRF token with the session's in constant time.
    static func matches(_ sent: String?, _ expected: String) -> Bool {
        guard let sent else { return false }
        return TokenSecret.constantTimeEquals(Array(sent.utf8), Array(expected.utf8))
    }

    static func cookie(_ name: String, in header: String?) -> String? {
        guard let header else { return nil }
        for part in header.split(separator: ";") {
            let pair = part.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            if pair.count == 2, pair[0] == name, !pair[1].isEmpty, pair[1].utf8.count <= 100 { return pair[1] }
        }
        return nil
    }

    private static func randomToken() -> String {
        Base64URL.encode(TokenSecret.randomBytes(count: 32))
    }
}
