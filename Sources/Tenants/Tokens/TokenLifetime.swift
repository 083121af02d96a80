/// How long a new token lives, as the CLI spells it: `30d`, `12h`, `90m`, `3600s`, `2w`, or `never`.
public struct TokenLifetime: Sendable, Hashable, CustomStringConvertible {
    /// The lifetime; `nil` for a token that never expires.
    public var duration: Duration?
    private var spelling: String

    /// A token that never expires.
    public static let never = TokenLifetime(duration: nil, spelling: "never")

    private init(duration: Duration?, spelling: String) {
        self.duration = duration
        self.spelling = spelling
    }

    /// Parses `<number><unit>` with unit `s`, `m`, `h`, `d` or `w`, or `never`; `nil` otherwise.
    public init?(parsing text: String) {
        let text = text.trimmingWhitespace().lowercased()
        if text == "never" {
            self = .never
            return
        }
        guard let unit = text.last, let count = Int(text.dropLast()), count > 0 else { return nil }
        let unitSeconds: Int
        switch unit {
        case "s": unitSeconds = 1
        case "m": unitSeconds = 60
        case "h": unitSeconds = 3600
        case "d": unitSeconds = 86_400
        case "w": unitSeconds = 604_800
        default: return nil
        }
        // Ten thousand years is far beyond any sensible token; it also keeps the product in range.
        guard count <= 315_360_000_000 / unitSeconds else { return nil }
        self.init(duration: .seconds(count * unitSeconds), spelling: text)
    }

    /// The text operators see, on one line.
    public var description: String { spelling }
}
