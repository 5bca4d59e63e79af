package dev.brun.cli;

import dev.brun.llm.sim.SimulatedProvider;
import dev.brun.project.Concurrency;
import dev.brun.project.Project;
import dev.brun.project.Provider;
import dev.brun.run.EngineSettings;
import dev.brun.run.GenerationEngine;
import dev.brun.run.GenerationRuns;
import dev.brun.run.ProviderConnection;
import dev.brun.run.RunSummary;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The whole pipeline at the scale issue 5 names: a plan of about 100,000 units over the default pack's 300
 * combinations, generated on the simulated provider with its rate limits lifted (the point is brun's own
 * cost, not pacing), then check, report --html and export --format all, each timed as a whole command.
 * Prints a markdown table for BENCHMARKS.md. Arguments: [PROJECT_DIR] [VARIATIONS=334] [WORKERS=16].
 * Run by hand (scripts/scale-benchmark.sh); not part of the test suite.
 */
public final class ScaleBenchmark {
    private record Step(String what, double seconds, String result) {}

    public static void main(String[] args) throws Exception {
        Path dir = args.length > 0 ? Path.of(args[0]) : Files.createTempDirectory("brun-scale-").resolve("project");
        int variations = args.length > 1 ? Integer.parseInt(args[1]) : 334;
        int workers = args.length > 2 ? Integer.parseInt(args[2]) : 16;
        String p = dir.toString();
        List<Step> steps = new ArrayList<>();
        if (!Files.exists(dir.resolve("brun.yaml"))) run("init", p);
        run("plan", "--project", p, "--variations", Integer.toString(variations));

        long t0 = System.nanoTime();
        RunSummary summary;
        SimulatedProvider.Settings unlimited = new SimulatedProvider.Settings(Duration.ZERO, Duration.ZERO, 0.0, 1L,
                10_000_000, 1_000_000_000_000L, 1_000_000_000_000L, Duration.ofMinutes(1));
        try (Project project = Project.open(dir);
             ProviderConnection connection = ProviderConnection.open(project, Provider.SIMULATED, Concurrency.of(workers),
                     Map.of(), unlimited)) {
            ProgressLine progress = new ProgressLine(new PrintWriter(System.err, true));
            GenerationEngine engine = GenerationRuns.engine(project, connection.client(),
                    EngineSettings.defaults().withWorkers(workers).withBudget(Double.POSITIVE_INFINITY), progress,
                    QualityHooks.forProject(project), null);
            summary = engine.run();
            progress.finish();
        }
        double generate = seconds(t0);
        steps.add(new Step("generate (" + workers + " workers, no provider latency or limits)", generate,
                String.format("%d conversations, %.0f a second", summary.done(), summary.done() / generate)));

        t0 = System.nanoTime();
        String check = run("check", "--project", p, "--rescore");
        steps.add(new Step("check --rescore", seconds(t0), check.lines().filter(l -> l.startsWith("usable")).findFirst().orElse("")));
        t0 = System.nanoTime();
        run("report", "--project", p, "--html", dir.resolve("report.html").toString());
        steps.add(new Step("report --html", seconds(t0), Files.size(dir.resolve("report.html")) / 1024 + " KB page"));
        t0 = System.nanoTime();
        String export = run("export", "--project", p, "--format", "all", "--allow-simulated", "--out", dir.resolve("exports/scale").toString());
        steps.add(new Step("export --format all", seconds(t0), export.lines().filter(l -> l.contains("training pairs")).findFirst().orElse("")));

        PrintWriter out = new PrintWriter(System.out, true);
        out.printf("Project: %s; max heap %d MB; %d cores%n%n", p, Runtime.getRuntime().maxMemory() >> 20,
                Runtime.getRuntime().availableProcessors());
        out.println("| step | seconds | result |");
        out.println("|---|---:|---|");
        steps.forEach(s -> out.printf("| %s | %.1f | %s |%n", s.what(), s.seconds(), s.result()));
    }

    private static double seconds(long since) { return (System.nanoTime() - since) / 1e9; }

    private static String run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        long t0 = System.nanoTime();
        int code = Main.execute(args, new PrintWriter(out, true), new PrintWriter(err, true));
        if (code != 0) throw new IllegalStateException("brun " + String.join(" ", args) + " exited " + code + ": " + err);
        System.err.printf("$ brun %s  (%.1f s)%n%s", String.join(" ", args), seconds(t0), err);
        return out.toString();
    }
}
