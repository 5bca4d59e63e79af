package dev.brun.cli;

import dev.brun.BadInputException;
import dev.brun.WorkFailedException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * brun demo: the whole pipeline on the embedded defaults (SQLite, the built-in simulated provider, the
 * default pack) in a fresh project, printing each step as a user would type it.
 */
@Command(name = "demo", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {"Run the whole pipeline on the default pack with the simulated provider (no API key needed).",
                "Steps, in a fresh project: init, plan, estimate, generate, check, report (with an HTML page), export",
                "(every format, simulated data allowed), status, then what a user would do next."})
public final class DemoCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = "--dir", paramLabel = "DIR",
            description = "Where to create the demo project (default: a new temporary folder).")
    Path dir;

    @Option(names = "--pack", paramLabel = "NAME|PATH", defaultValue = "financial-planning",
            description = "Pack to run the demo on (default: ${DEFAULT-VALUE}).")
    String pack;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        Path project = dir != null ? dir.toAbsolutePath().normalize() : Files.createTempDirectory("brun-demo-").resolve("project");
        if (dir != null && Files.exists(project.resolve("brun.yaml")))
            throw new BadInputException(project + " already holds a project; pick another --dir");
        String p = project.toString();
        long started = System.currentTimeMillis();
        for (List<String> step : steps(p)) {
            out.println();
            out.println("$ brun " + String.join(" ", step));
            out.flush();
            int code = spec.root().commandLine().execute(step.toArray(String[]::new));
            if (code != 0) throw new WorkFailedException("demo step 'brun " + String.join(" ", step) + "' failed (exit " + code + ")");
        }
        out.println();
        out.printf("Demo finished in %.1f s. The project is at %s%n", (System.currentTimeMillis() - started) / 1000.0, p);
        out.println("Everything in it is marked provider=simulated. Open " + p + "/report.html for the quality report;");
        out.println("the training files are in " + p + "/exports/demo. What a user would do next:");
        String brun = Invocation.of(spec).command();
        out.println("  " + brun + " serve --project " + p + "             # review and approve seeds at http://127.0.0.1:7070/");
        out.println("  " + brun + " expand --project " + p + "            # plan variations of the approved seeds on a cheaper model");
        out.println("  " + brun + " fill --project " + p + "              # plan what the coverage minimums still lack");
        out.println("  edit " + p + "/brun.yaml: provider: anthropic, then export ANTHROPIC_API_KEY=... and " + brun + " generate [--batch]");
        return 0;
    }

    private List<List<String>> steps(String p) {
        List<List<String>> steps = new ArrayList<>();
        steps.add(List.of("init", p, "--pack", pack));
        steps.add(List.of("plan", "--project", p));
        steps.add(List.of("estimate", "--project", p));
        steps.add(List.of("generate", "--project", p));
        steps.add(List.of("check", "--project", p));
        steps.add(List.of("report", "--project", p, "--html", p + "/report.html"));
        steps.add(List.of("export", "--project", p, "--format", "all", "--out", p + "/exports/demo", "--allow-simulated"));
        steps.add(List.of("status", "--project", p));
        return steps;
    }

    static CommandLine root(CommandSpec spec) { return spec.root().commandLine(); }
}
