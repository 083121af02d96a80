import ArgumentParser

/// Runs the root command. Inside an asynchronous function the asynchronous `main()` is chosen;
/// at top level the synchronous one would be, and it refuses asynchronous commands.
func runCommandLine() async {
    await SCIMGatewayCommand.main()
}

await runCommandLine()
