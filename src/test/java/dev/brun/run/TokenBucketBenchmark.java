package dev.brun.run;

import dev.brun.cli.CliRun;
import dev.brun.llm.sim.LongReplies;
import dev.brun.llm.sim.SimulatedProvider;
import dev.brun.pack.PackLoader;
import dev.brun.project.Project;
import dev.brun.store.EmbeddedPostgresServer;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The share of the binding limit a run uses under Anthropic-style token buckets (output tokens per minute binding,
 * ~3,000-token replies, a minute scaled to 6 s and latencies scaled with it), and its 429 share: one process on a
 * fresh project (max_tokens from the calibrated estimate), one process once 20 outputs per arc are stored
 * (max_tokens from evidence), and three processes on one embedded-PostgreSQL project, with pacing state shared
 * through the database (what brun does) and, as the baseline, each from its own headers only. Prints the table
 * BENCHMARKS.md quotes. Run by hand (scripts/pacing-benchmark.sh); not part of the test suite.
 */
public final class TokenBucketBenchmark {
    static final TokenBucketRuns.Limits LIMITS = new TokenBucketRuns.Limits(4_000, 4_000_000, 60_000, Duration.ofSeconds(6),
            Duration.ofMillis(3_000), Duration.ofMillis(4_500), 3_000, 400);

    public static void main(String[] args) throws Exception {
        int units = args.length > 0 ? Integer.parseInt(args[0]) : 150;
        Path root = Files.createTempDirectory("brun-pacing-");
        List<String> lines = new ArrayList<>();
        lines.add("| run | calls admitted | 429s | output limit used (steady state) | mean output tokens | mean max_tokens | truncated | time |");
        lines.add("| --- | --- | --- | --- | --- | --- | --- | --- |");

        Path sqlite = root.resolve("sqlite");
        ok("init", sqlite.toString());
        ok("plan", "--project", sqlite.toString());
        try (Project project = Project.open(sqlite);
             SimulatedProvider sim = new SimulatedProvider(LIMITS.settings(), SimulatedUnits.of(project))) {
            LongReplies replies = LongReplies.install(sim, LIMITS.meanReplyTokens(), LIMITS.replySpread());
            lines.add(TokenBucketRuns.run(List.of(project), sim, replies, LIMITS, 32, units)
                    .line("1 process, fresh project: max_tokens from the calibrated estimate"));
            System.err.println(lines.getLast());
            lines.add(TokenBucketRuns.run(List.of(project), sim, replies, LIMITS, 32, units)
                    .line("1 process, " + units + " stored: max_tokens from evidence (p95 + 15%)"));
            System.err.println(lines.getLast());
        }

        lines.add(threeProcesses(root.resolve("pg-shared"), units, TokenBucketRuns.Pacing.SHARED)
                .line("3 processes, one PostgreSQL project, shared pacing state (brun)"));
        System.err.println(lines.getLast());
        // the baseline, in the same run on a project of its own: each process paces from its own replies' headers only
        lines.add(threeProcesses(root.resolve("pg-headers"), units, TokenBucketRuns.Pacing.HEADERS_ONLY)
                .line("3 processes, one PostgreSQL project, each from its own headers only (baseline)"));
        System.err.println(lines.getLast());
        lines.forEach(System.out::println);
    }

    /** A fresh project on a fresh embedded-PostgreSQL database, its evidence stored first, then three engines at once. */
    private static TokenBucketRuns.Result threeProcesses(Path dir, int units, TokenBucketRuns.Pacing pacing) throws Exception {
        String url = EmbeddedPostgresServer.freshDatabaseUrl();
        ok("init", dir.toString());
        ok("plan", "--project", dir.toString(), "--db", url);
        List<Project> processes = new ArrayList<>();
        try (SimulatedProvider sim = new SimulatedProvider(LIMITS.settings(), SimulatedUnits.of(PackLoader.loadBuiltin("financial-planning")))) {
            for (int i = 0; i < 3; i++) processes.add(Project.open(dir, url));
            LongReplies replies = LongReplies.install(sim, LIMITS.meanReplyTokens(), LIMITS.replySpread());
            // the evidence first (20 outputs per arc), as a project that has been running has it
            TokenBucketRuns.run(List.of(processes.getFirst()), sim, replies, LIMITS, 32, 100, pacing);
            // no pause: the three start together on the bucket the evidence run left nearly empty (the hard case)
            return TokenBucketRuns.run(processes, sim, replies, LIMITS, 16, units / 3, pacing);
        } finally {
            for (Project p : processes) p.close();
        }
    }

    private static void ok(String... args) {
        CliRun r = CliRun.of(args);
        if (r.exitCode() != 0) throw new IllegalStateException(String.join(" ", args) + ": " + r.err());
    }
}
