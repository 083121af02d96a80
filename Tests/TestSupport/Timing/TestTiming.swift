import Foundation

/// The time allowances of the tests (timeouts, graces, "answers within" bounds), stretched by
/// `SCIM_TEST_TIME_SCALE` (scripts/sanitize sets it). A sanitized build runs several times slower than
/// the ordinary one on the same machine, so an allowance sized for the ordinary build fails there for
/// that reason alone, and such failures would hide the sanitizer's own findings. Unset (the ordinary
/// suite, README command 2), every allowance is exactly as written.
public enum TestTiming {
    /// The factor, at least 1.
    public static let scale: Double = {
        guard let text = ProcessInfo.processInfo.environment["SCIM_TEST_TIME_SCALE"], let value = Double(text),
            value >= 1
        else { return 1 }
        return value
    }()

    /// `seconds` stretched by ``scale``.
    public static func seconds(_ seconds: Double) -> Double { seconds * scale }

    /// `duration` stretched by ``scale``.
    public static func scaled(_ duration: Duration) -> Duration { duration * scale }

    /// The `statementTimeout` / `connectTimeout` value a test's tenant file gets: the test's own value
    /// (chosen to provoke a timeout, so kept as it is) or, when the suite runs stretched, the gateway's
    /// default, stretched; nil to leave the default alone.
    public static func tenantSeconds(_ value: Double?, default defaultValue: Double) -> Double? {
        value ?? (scale == 1 ? nil : defaultValue * scale)
    }

    /// A test's time limit in whole minutes (what `.timeLimit` takes), stretched by ``scale``.
    public static func minutes(_ minutes: Int) -> Int { Int((Double(minutes) * scale).rounded(.up)) }
}
