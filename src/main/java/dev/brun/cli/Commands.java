package dev.brun.cli;

import picocli.CommandLine;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/** The list of top-level commands, in the order --help shows them (the order of the pipeline). */
final class Commands {
    private Commands() {}

    private static final Map<String, Supplier<Object>> ALL = new LinkedHashMap<>();
    static {
        ALL.put("demo", DemoCommand::new);
        ALL.put("init", InitCommand::new);
        ALL.put("pack", PackCommand::new);
        ALL.put("import", ImportCommand::new);
        ALL.put("plan", PlanCommand::new);
        ALL.put("estimate", EstimateCommand::new);
        ALL.put("generate", GenerateCommand::new);
        ALL.put("batches", BatchesCommand::new);
        ALL.put("status", StatusCommand::new);
        ALL.put("check", CheckCommand::new);
        ALL.put("report", ReportCommand::new);
        ALL.put("expand", ExpandCommand::new);
        ALL.put("fill", FillCommand::new);
        ALL.put("review", ReviewCommand::new);
        ALL.put("serve", ServeCommand::new);
        ALL.put("export", ExportCommand::new);
        ALL.put("eval", EvalCommand::new);
        ALL.put("install", InstallCommand::new);
    }

    static void register(CommandLine cli) {
        ALL.forEach((name, command) -> cli.addSubcommand(name, command.get()));
    }

    /**
     * Registers only the command a command line names, when that is all it can reach: picocli reflects over
     * every registered command up front, which was a sixth of a command's start. demo runs other commands in
     * its JVM, so it gets the whole tree; so does anything else (help, a typo that needs suggestions).
     */
    static boolean registerOnly(CommandLine cli, String[] args) {
        if (args.length == 0 || args[0].equals("demo")) return false;
        Supplier<Object> command = ALL.get(args[0]);
        if (command == null) return false;
        cli.addSubcommand(args[0], command.get());
        return true;
    }
}
