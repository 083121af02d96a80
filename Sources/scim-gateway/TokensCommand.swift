import ArgumentParser
import Foundation
import Tenants

/// `scim-gateway tokens`: bearer tokens of tenants (and of operators, with `--admin`).
struct TokensCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tokens",
        abstract: "Create, list, rotate and revoke bearer tokens.",
        subcommands: [Create.self, List.self, Rotate.self, Revoke.self]
    )

    /// Whose tokens: `--tenant ID` or `--admin`.
    struct ScopeOptions: ParsableArguments {
        @Option(help: "The tenant id.")
        var tenant: String?

        @Flag(help: "Operator tokens for the admin API (tenants.d/admin.tokens) instead of a tenant's.")
        var admin = false

        func validate() throws {
            guard (tenant != nil) != admin else {
                throw ValidationError("give exactly one of --tenant ID and --admin")
            }
        }

        var scope: TokenScope {
            tenant.map(TokenScope.tenant) ?? .admin
        }
    }

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create a token; prints it alone on the first line of standard output, once."
        )

        @OptionGroup var configDirectory: ConfigDirectoryOption
        @OptionGroup var scope: ScopeOptions

        @Option(help: "A name for the token, unique among the active ones (e.g. entra-prod).")
        var name: String

        @Option(help: "Lifetime: 30d, 12h, 90m, 2w, 365d … or never.")
        var expires = "never"

        func validate() throws {
            guard TokenLifetime(parsing: expires) != nil else {
                throw ValidationError("--expires: '\(expires)' is not a lifetime; use e.g. 30d, 12h, 365d or never")
            }
        }

        func run() async throws {
            let lifetime = TokenLifetime(parsing: expires) ?? .never
            let created: (token: String, record: TokenRecord)
            do {
                created = try TokenStore(configDirectory: configDirectory.path)
                    .create(scope.scope, name: name, expiresIn: lifetime.duration)
            } catch {
                throw CommandFailure(error)
            }
            let report = OperatorReport.tokenCreated(token: created.token, record: created.record, scope: scope.scope)
            FileHandle.standardOutput.write(Data(report.standardOutput.utf8))
            printToStandardError(report.standardError)
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List tokens (never their hashes).")

        @OptionGroup var configDirectory: ConfigDirectoryOption
        @OptionGroup var scope: ScopeOptions

        func run() async throws {
            let records: [TokenRecord]
            do {
                records = try TokenStore(configDirectory: configDirectory.path).list(scope.scope)
            } catch {
                throw CommandFailure(error)
            }
            var lastUsed: [String: Date] = [:]
            if case .tenant(let id) = scope.scope {
                lastUsed = TenantFiles(configDirectory: configDirectory.path).lastUsed(tenant: id)
            }
            print(OperatorReport.tokenTable(records, now: Date(), lastUsed: lastUsed), terminator: "")
        }
    }

    struct Revoke: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Revoke the active token with this name; the gateway refuses it within seconds."
        )

        @OptionGroup var configDirectory: ConfigDirectoryOption
        @OptionGroup var scope: ScopeOptions

        @Option(help: "The token's name.")
        var name: String

        func run() async throws {
            let record: TokenRecord
            do {
                record = try TokenStore(configDirectory: configDirectory.path).revoke(scope.scope, name: name)
            } catch {
                throw CommandFailure(error)
            }
            printToStandardError("revoked token \(record.id) '\(record.name)' of \(scope.scope)")
        }
    }
}
