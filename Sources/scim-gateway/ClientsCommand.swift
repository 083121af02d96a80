import ArgumentParser
import Foundation
import Tenants

/// `scim-gateway clients`: a tenant's OAuth 2.0 clients (client-credentials grant at `/oauth/token`).
struct ClientsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "clients",
        abstract: "Create, list, rotate and revoke OAuth 2.0 clients of a tenant.",
        subcommands: [Create.self, List.self, Rotate.self, Revoke.self, RotateSigningKey.self]
    )

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create a client; prints its client_id on the first line and its client_secret on the "
                + "second line of standard output, once."
        )

        @OptionGroup var configDirectory: ConfigDirectoryOption

        @Option(help: "The tenant id.")
        var tenant: String

        @Option(help: "A name for the client, unique among the active ones (e.g. entra-gallery).")
        var name: String

        @Option(help: "How long the secret is valid: 730d, 365d, 3y is 1095d … or never.")
        var expires = "730d"

        func validate() throws {
            guard TokenLifetime(parsing: expires) != nil else {
                throw ValidationError("--expires: '\(expires)' is not a lifetime; use e.g. 730d, 365d or never")
            }
        }

        func run() async throws {
            let issued: OAuthClientStore.Issued
            do {
                issued = try OAuthClientStore(configDirectory: configDirectory.path)
                    .create(tenant: tenant, name: name, expiresIn: TokenLifetime(parsing: expires)?.duration)
            } catch {
                throw CommandFailure(error)
            }
            let report = OperatorReport.clientIssued(issued, tenant: tenant, rotated: false)
            FileHandle.standardOutput.write(Data(report.standardOutput.utf8))
            printToStandardError(report.standardError)
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List clients (never their secrets or hashes).")

        @OptionGroup var configDirectory: ConfigDirectoryOption

        @Option(help: "The tenant id.")
        var tenant: String

        func run() async throws {
            let records: [OAuthClientRecord]
            do {
                records = try OAuthClientStore(configDirectory: configDirectory.path).list(tenant: tenant)
            } catch {
                throw CommandFailure(error)
            }
            let lastUsed = TenantFiles(configDirectory: configDirectory.path).lastUsed(tenant: tenant)
            print(OperatorReport.clientTable(records, now: Date(), lastUsed: lastUsed), terminator: "")
        }
    }

    struct Rotate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Add a new secret to a client; prints the client_id and the new secret on two lines. "
                + "The previous secret keeps working until the grace period ends."
        )

        @OptionGroup var configDirectory: ConfigDirectoryOption

        @Option(help: "The tenant id.")
        var tenant: String

        @Option(help: "The client's name.")
        var name: String

        @Option(help: "How long the previous secret keeps working: 7d, 12h, 30m, 1s …")
        var grace = "7d"

        @Option(help: "The new secret's lifetime (730d … or never); by default the previous secret's.")
        var expires: String?

        func validate() throws {
            guard TokenLifetime(parsing: grace)?.duration != nil else {
                throw ValidationError("--grace: '\(grace)' is not a duration; use e.g. 7d, 12h or 30m")
            }
            if let expires, TokenLifetime(parsing: expires) == nil {
                throw ValidationError("--expires: '\(expires)' is not a lifetime; use e.g. 730d or never")
            }
        }

        func run() async throws {
            let issued: OAuthClientStore.Issued
            do {
                issued = try OAuthClientStore(configDirectory: configDirectory.path).rotate(
                    tenant: tenant,
                    name: name,
                    grace: TokenLifetime(parsing: grace)?.duration ?? .seconds(0),
                    expiresIn: expires.map { TokenLifetime(parsing: $0)?.duration }
                )
            } catch {
                throw CommandFailure(error)
            }
            let report = OperatorReport.clientIssued(issued, tenant: tenant, rotated: true)
            FileHandle.standardOutput.write(Data(report.standardOutput.utf8))
            printToStandardError(report.standardError)
        }
    }

    struct Revoke: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Revoke a client: its secrets and access tokens stop working within seconds."
        )

        @OptionGroup var configDirectory: ConfigDirectoryOption

        @Option(help: "The tenant id.")
        var tenant: String

        @Option(help: "The client's name.")
        var name: String

        func run() async throws {
            let record: OAuthClientRecord
            do {
                record = try OAuthClientStore(configDirectory: configDirectory.path).revoke(tenant: tenant, name: name)
            } catch {
                throw CommandFailure(error)
            }
            printToStandardError("revoked OAuth client \(record.id) '\(record.name)' of tenant '\(tenant)'")
        }
    }

    struct RotateSigningKey: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "rotate-signing-key",
            abstract: "Make a new access-token signing key (tenants.d/oauth-signing.keys); tokens signed by the "
                + "previous key keep verifying until the grace period ends."
        )

        @OptionGroup var configDirectory: ConfigDirectoryOption

        @Option(help: "How long the previous key keeps verifying; at least the longest access-token lifetime (6h).")
        var grace = "6h"

        func validate() throws {
            guard TokenLifetime(parsing: grace)?.duration != nil else {
                throw ValidationError("--grace: '\(grace)' is not a duration; use e.g. 6h")
            }
        }

        func run() async throws {
            let id: String
            do {
                id = try SigningKeyStore(configDirectory: configDirectory.path)
                    .rotate(grace: TokenLifetime(parsing: grace)?.duration ?? .seconds(0))
            } catch {
                throw CommandFailure(error)
            }
            printToStandardError("made signing key \(id); the previous key verifies for \(grace) more")
        }
    }
}
