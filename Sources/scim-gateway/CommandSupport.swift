import ArgumentParser
import Backends
import Foundation

/// The backend kinds this executable can build.
// Becomes `BackendRegistry.standard` once the backend plugins are part of the build.
let backendRegistry = BackendRegistry.standard

/// `--config-dir`, shared by every command.
struct ConfigDirectoryOption: ParsableArguments {
    @Option(name: .customLong("config-dir"), help: "The configuration directory.")
    var path = "./tenants.d"
}

/// A command that cannot do what was asked; ArgumentParser prints it as one line on standard
/// error and exits non-zero.
struct CommandFailure: Error, CustomStringConvertible {
    var description: String

    init(_ error: any Error) {
        self.description = String(describing: error).split(whereSeparator: \.isNewline).joined(separator: " ")
    }

    init(message: String) {
        self.description = message
    }
}

/// Writes a line to standard error.
func printToStandardError(_ text: String) {
    let line = text.hasSuffix("\n") ? text : text + "\n"
    FileHandle.standardError.write(Data(line.utf8))
}
