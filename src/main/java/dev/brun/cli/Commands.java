package dev.brun.cli;

import picocli.CommandLine;

/** The list of top-level commands, in the order --help shows them (the order of the pipeline). */
final class Commands {
    private Commands() {}

    static void register(CommandLine cli) {
        cli.addSubcommand(new DemoCommand());
        cli.addSubcommand(new InitCommand());
        cli.addSubcommand(new PackCommand());
        cli.addSubcommand(new ImportCommand());
        cli.addSubcommand(new PlanCommand());
        cli.addSubcommand(new EstimateCommand());
        cli.addSubcommand(new GenerateCommand());
        cli.addSubcommand(new BatchesCommand());
        cli.addSubcommand(new StatusCommand());
        cli.addSubcommand(new CheckCommand());
        cli.addSubcommand(new ReportCommand());
        cli.addSubcommand(new ExpandCommand());
        cli.addSubcommand(new FillCommand());
        cli.addSubcommand(new ServeCommand());
        cli.addSubcommand(new ExportCommand());
        cli.addSubcommand(new InstallCommand());
    }
}
