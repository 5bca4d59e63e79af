package dev.brun.cli;

import dev.brun.BadInputException;
import dev.brun.WorkFailedException;
import dev.brun.project.Concurrency;
import dev.brun.project.Project;
import dev.brun.project.Provider;
import dev.brun.run.BatchRunner;
import dev.brun.run.GenerationRuns;
import dev.brun.run.ProviderConnection;
import dev.brun.store.BatchRecord;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/** brun batches: the stored Message Batches and their state; --poll resumes polling the unfinished ones. */
@Command(name = "batches", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {"List the Message Batches this project submitted (brun generate --batch).",
                "--poll resumes polling the unfinished ones and stores their results.", ExitCodes.HELP})
public final class BatchesCommand implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin ProjectMixin project;
    @Mixin JsonMixin json;

    @Option(names = "--poll", description = "Poll the unfinished batches until they end and store their results.")
    boolean poll;

    @Option(names = "--poll-interval", paramLabel = "SECONDS", defaultValue = "60",
            description = "Seconds between status checks (default: ${DEFAULT-VALUE}; 1 for the simulated provider).")
    double pollInterval;

    @Option(names = "--provider", paramLabel = "P", description = "anthropic or simulated (default: brun.yaml).")
    String provider;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try (Project proj = project.open()) {
            if (poll) {
                Provider prov = provider == null ? proj.config().provider() : GenerateCommand.parseProvider(provider);
                return runBatches(out, err, json.enabled(), proj, prov, proj.config().concurrency(), null,
                        settings(prov, pollInterval, false), false);
            }
            List<BatchRecord> batches = proj.db().batches().all();
            if (json.enabled()) {
                Json.print(out, Map.of("batches", batches.stream().map(BatchesCommand::toJson).toList()));
                return 0;
            }
            if (batches.isEmpty()) {
                out.println("No batches yet: brun generate --batch submits the pending units as Message Batches.");
                return 0;
            }
            Table t = new Table("batch", "phase", "requests", "status", "results", "created", "ended");
            for (BatchRecord b : batches)
                t.row(b.id(), b.phase(), b.requestCount(), b.status(), b.resultsFetched() ? "stored" : "not yet",
                        b.createdAt(), b.endedAt() == null ? "" : b.endedAt());
            t.print(out);
            long open = batches.stream().filter(b -> !b.resultsFetched()).count();
            if (open > 0) out.println(open + " batch(es) not finished: brun batches --poll stores their results when they end.");
        }
        return 0;
    }

    static BatchRunner.Settings settings(Provider provider, double pollSeconds, boolean noWait) {
        if (pollSeconds <= 0) throw new BadInputException("--poll-interval must be positive, got " + pollSeconds);
        // the simulated provider ends its batches at once: a minute between checks would only make the demo wait
        double seconds = provider == Provider.SIMULATED ? Math.min(pollSeconds, 1) : pollSeconds;
        Duration interval = Duration.ofMillis(Math.round(seconds * 1000));
        return BatchRunner.Settings.defaults().withPolling(interval, noWait ? Duration.ZERO : Duration.ofHours(25));
    }

    /** Runs (submit = true) or resumes (false) batches and prints what happened; shared with generate --batch. */
    static int runBatches(PrintWriter out, PrintWriter err, boolean asJson, Project proj, Provider prov, Concurrency conc,
                          String model, BatchRunner.Settings settings, boolean submit) {
        try (ProviderConnection conn = ProviderConnection.open(proj, prov, conc)) {
            var api = conn.batches().orElseThrow(() -> new BadInputException("provider " + prov.wire()
                    + " has no Message Batches API here; use --provider anthropic (or simulated), or run without --batch"));
            BatchRunner runner = GenerationRuns.batchRunner(proj, api, conn.client().provider(), settings,
                    QualityHooks.forProject(proj), model, line -> { err.println(line); err.flush(); });
            BatchRunner.Report r;
            if (!submit) r = runner.poll();
            else if (settings.maxWait().isZero()) {
                runner.pollRound();
                runner.submit();
                r = runner.report();
            } else r = runner.run();
            print(out, asJson, prov, r);
            if (r.stopReason() != null && r.submitted() == 0 && r.stopReason().startsWith("could not create"))
                throw new WorkFailedException(r.stopReason());
            ExitCodes.requireComplete(r.failed(), r.failuresByReason(), r.stopReason(),
                    "brun generate --retry-failed --batch",
                    r.stopReason() != null && r.stopReason().startsWith("batches still in progress") ? "brun batches --poll" : "brun generate --batch");
        }
        return 0;
    }

    private static void print(PrintWriter out, boolean asJson, Provider prov, BatchRunner.Report r) {
        if (asJson) {
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put("provider", prov.wire());
            doc.put("mode", "batch");
            doc.put("submitted", r.submitted());
            doc.put("created_batches", r.createdBatches());
            doc.put("stored", r.stored());
            doc.put("duplicates", r.duplicates());
            doc.put("failed", r.failed());
            doc.put("failures_by_reason", r.failuresByReason());
            doc.put("returned_to_pending", r.returnedToPending());
            doc.put("unfinished_batches", r.unfinishedBatches());
            doc.put("spent_usd", r.spentUsd());
            doc.put("usage", r.usage());
            doc.put("cache_hit_rate", r.usage().cacheHitRate());
            doc.put("stop_reason", r.stopReason());
            Json.print(out, doc);
            return;
        }
        out.printf("Batches: submitted %d request(s) in %d new batch(es); stored %d conversation(s), %d failed, %d back to pending.%n",
                r.submitted(), r.createdBatches().size(), r.stored(), r.failed(), r.returnedToPending());
        out.printf("Spent $%.4f at the batch price (50%%); cache hit rate %.0f%%.%n", r.spentUsd(), r.usage().cacheHitRate() * 100);
        if (r.duplicates() > 0)
            out.println(r.duplicates() + " result(s) were for units already stored by another run: billed, not stored twice.");
        if (!r.failuresByReason().isEmpty()) {
            Table t = new Table("failure reason", "units");
            r.failuresByReason().forEach(t::row);
            t.print(out);
        }
        if (r.unfinishedBatches() > 0)
            out.println(r.unfinishedBatches() + " batch(es) still running: brun batches --poll stores their results when they end.");
        if (r.stopReason() != null) out.println("Note: " + r.stopReason());
    }

    private static Map<String, Object> toJson(BatchRecord b) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", b.id());
        m.put("provider", b.provider());
        m.put("phase", b.phase());
        m.put("status", b.status());
        m.put("request_count", b.requestCount());
        m.put("results_fetched", b.resultsFetched());
        m.put("created_at", b.createdAt() == null ? null : b.createdAt().toString());
        m.put("ended_at", b.endedAt() == null ? null : b.endedAt().toString());
        return m;
    }
}
