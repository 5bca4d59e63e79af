package dev.brun.cli;

import picocli.CommandLine;

/** The list of top-level commands, in the order --help shows them. */
final class Commands {
    private Commands() {}

    static void register(CommandLine cli) {
        // commands are added here as they are built
        cli.addSubcommand(new PackCommand());
        cli.addSubcommand(new ImportCommand());
        cli.addSubcommand(new ExportCommand());
    }
}
