import ArgumentParser
import Foundation
import Tenants

extension TokensCommand {
    struct Rotate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Replace a token by a new one of the same name; prints the new token on the first line "
                + "of standard output. The old one keeps working until the grace period ends."
        )

        @OptionGroup var configDirectory: ConfigDirectoryOption
        @OptionGroup var scope: ScopeOptions

        @Option(help: "The token's name.")
        var name: String

        @Option(help: "How long the old token keeps working: 7d, 12h, 30m, 1s …")
        var grace = "7d"

        @Option(help: "The new token's lifetime (30d, 365d … or never); by default the old token's.")
        var expires: String?

        func validate() throws {
            guard TokenLifetime(parsing: grace)?.duration != nil else {
                throw ValidationError("--grace: '\(grace)' is not a duration; use e.g. 7d, 12h or 30m")
            }
            if let expires, TokenLifetime(parsing: expires) == nil {
                throw ValidationError("--expires: '\(expires)' is not a lifetime; use e.g. 30d, 365d or never")
            }
        }

        func run() async throws {
            let grace = TokenLifetime(parsing: grace)?.duration ?? .seconds(0)
            let lifetime: Duration?? = expires.map { TokenLifetime(parsing: $0)?.duration }
            let rotated: (token: String, record: TokenRecord)
            do {
                rotated = try TokenStore(configDirectory: configDirectory.path)
                    .rotate(scope.scope, name: name, grace: grace, expiresIn: lifetime)
            } catch {
                throw CommandFailure(error)
            }
            let report = OperatorReport.tokenCreated(token: rotated.token, record: rotated.record, scope: scope.scope)
            FileHandle.standardOutput.write(Data(report.standardOutput.utf8))
            printToStandardError(report.standardError)
            printToStandardError("the previous '\(name)' token keeps working for \(self.grace)")
        }
    }
}
