package dev.brun.cli;

import dev.brun.BrunException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.PrintWriter;

/** Entry point: wires the picocli command tree and maps failures to exit codes (0 done, 1 work failed, 2 bad input). */
@Command(name = "brun",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "Synthetic multi-turn conversation data for LoRA fine-tuning: pack -> plan -> generate -> check -> review -> expand -> export.",
        subcommands = {CommandLine.HelpCommand.class})
public final class Main implements Runnable {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;
    private final Invocation invocation;

    Main(Invocation invocation) { this.invocation = invocation; }

    Invocation invocation() { return invocation; }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    public static void main(String[] args) {
        System.exit(execute(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /** Runs one command line; separated from main so tests can run commands in-process. */
    public static int execute(String[] args, PrintWriter out, PrintWriter err) {
        return execute(args, out, err, Invocation.fromSystemProperties());
    }

    public static int execute(String[] args, PrintWriter out, PrintWriter err, Invocation invocation) {
        CommandLine cli = commandLine(invocation, args);
        cli.setOut(out);
        cli.setErr(err);
        return cli.execute(args);
    }

    public static CommandLine commandLine() { return commandLine(Invocation.fromSystemProperties()); }

    public static CommandLine commandLine(Invocation invocation) { return commandLine(invocation, new String[0]); }

    /** The command tree for these arguments: only the command they name when nothing else is reachable. */
    static CommandLine commandLine(Invocation invocation, String[] commandArgs) {
        CommandLine cli = new CommandLine(new Main(invocation));
        if (!Commands.registerOnly(cli, commandArgs)) Commands.register(cli);
        cli.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            PrintWriter err = commandLine.getErr();
            if (ex instanceof BrunException be) {
                err.println("error: " + be.getMessage());
                err.flush();
                return be.exitCode();
            }
            err.println("error: " + ex);
            if (System.getenv("BRUN_DEBUG") != null) ex.printStackTrace(err);
            else err.println("(set BRUN_DEBUG=1 for the stack trace)");
            err.flush();
            return 1;
        });
        cli.setParameterExceptionHandler((ex, args) -> {
            CommandLine c = ex.getCommandLine();
            c.getErr().println("error: " + ex.getMessage());
            // picocli ranks known commands and options by closeness to the unknown word; a typo gets its fix named
            if (ex instanceof CommandLine.UnmatchedArgumentException u && !u.getSuggestions().isEmpty())
                c.getErr().println("Did you mean: " + String.join(", ", u.getSuggestions().stream().limit(3).toList()) + "?");
            c.getErr().println("Try '" + c.getCommandSpec().qualifiedName() + " --help' for usage.");
            c.getErr().flush();
            return 2;
        });
        return cli;
    }
}
