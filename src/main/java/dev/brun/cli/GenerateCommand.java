package dev.brun.cli;

import dev.brun.BadInputException;
import dev.brun.WorkFailedException;
import dev.brun.pack.Phase;
import dev.brun.plan.Estimate;
import dev.brun.project.Concurrency;
import dev.brun.project.Project;
import dev.brun.project.Provider;
import dev.brun.run.EngineSettings;
import dev.brun.run.GenerationEngine;
import dev.brun.run.GenerationRuns;
import dev.brun.run.ProviderConnection;
import dev.brun.run.RunSummary;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/** brun generate: one conversation per call for every pending unit; resumable, rate-limit aware, budget-capped. */
@Command(name = "generate", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {"Generate the pending units of the plan: one conversation per call, checked before it is stored.",
                "Ctrl-C stops gracefully (calls in flight finish and are stored); rerun to resume.", ExitCodes.HELP})
public final class GenerateCommand implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin ProjectMixin project;
    @Mixin JsonMixin json;

    @Option(names = "--phase", paramLabel = "P", description = "Only this phase (seed, expansion, edge).")
    String phase;

    @Option(names = "--limit", paramLabel = "N", description = "At most N units this run.")
    Integer limit;

    @Option(names = "--sample", paramLabel = "N",
            description = "A trial run of N units spread over the matrix: every persona x arc cell once before any twice, topics spread too.")
    Integer sample;

    @Option(names = "--budget", paramLabel = "USD",
            description = "Hard cap on the project's total spend in dollars (default: budget_usd in brun.yaml).")
    Double budget;

    @Option(names = "--concurrency", paramLabel = "auto|N",
            description = "Calls in flight: auto (adapts to rate-limit headers) or a number (default: brun.yaml).")
    String concurrency;

    @Option(names = "--provider", paramLabel = "P", description = "anthropic, openai or simulated (default: brun.yaml).")
    String provider;

    @Option(names = "--model", paramLabel = "M", description = "Model for every phase of this run (default: brun.yaml / the pack).")
    String model;

    @Option(names = "--retry-failed", description = "Put failed units back to pending before running.")
    boolean retryFailed;

    @Option(names = "--batch", description = {"Send the pending units through the Message Batches API (half price, results within 24 h).",
            "Unfinished batches of earlier runs are resumed first; batch ids are stored, so a restart resumes polling."})
    boolean batch;

    @Option(names = "--poll-interval", paramLabel = "SECONDS", defaultValue = "60",
            description = "With --batch: seconds between status checks (default: ${DEFAULT-VALUE}; 1 for the simulated provider).")
    double pollInterval;

    @Option(names = "--no-wait", description = "With --batch: submit and return without polling (resume with 'brun batches --poll').")
    boolean noWait;

    @Option(names = "--dry-run", description = "Show what would run and what it would cost; call nothing.")
    boolean dryRun;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Phase p = phase == null ? null : PlanCommand.parsePhase(phase);
        if (limit != null && limit < 1) throw new BadInputException("--limit must be at least 1");
        if (sample != null && sample < 1) throw new BadInputException("--sample must be at least 1");
        if (sample != null && limit != null) throw new BadInputException("--sample N already says how many units run: leave --limit out");
        if (sample != null && batch) throw new BadInputException("--sample is a trial run, one call at a time: leave --batch out");
        if (budget != null && budget < 0) throw new BadInputException("--budget must not be negative");
        try (Project proj = project.open()) {
            Provider prov = provider == null ? proj.config().provider() : parseProvider(provider);
            Concurrency conc = concurrency == null ? proj.config().concurrency() : parseConcurrency(concurrency);
            if (retryFailed) {
                int n = proj.db().units().returnToPending(dev.brun.store.UnitState.FAILED, p == null ? null : p.wire());
                err.println("Returned " + n + " failed unit(s) to pending.");
            }
            double cap = budget != null ? budget : proj.budgetCap();
            GenerationRuns.requirePrices(proj, p, model);
            if (dryRun) return dryRun(out, proj, p, prov, cap);
            if (batch) return BatchesCommand.runBatches(out, err, json.enabled(), proj, prov, conc, model,
                    BatchesCommand.settings(prov, pollInterval, noWait).withPhase(p).withBudget(cap)
                            .withLimit(limit == null ? Integer.MAX_VALUE : limit), true);
            try (ProviderConnection conn = ProviderConnection.open(proj, prov, conc)) {
                ProgressLine progress = new ProgressLine(err);
                EngineSettings settings = EngineSettings.defaults().withPhase(p).withBudget(cap)
                        .withLimit(limit == null ? Integer.MAX_VALUE : limit).withWorkers(conn.maxConcurrency());
                if (sample != null) settings = settings.withSample(sample);
                GenerationEngine engine = GenerationRuns.engine(proj, conn.client(), settings, progress,
                        QualityHooks.forProject(proj), model);
                Thread ticker = Thread.ofVirtual().name("brun-progress").start(() -> {
                    try {
                        while (!Thread.currentThread().isInterrupted()) {
                            Thread.sleep(1000);
                            progress.onProgress(engine.progress());
                        }
                    } catch (InterruptedException done) {
                        // the run returned
                    }
                });
                RunSummary summary;
                try {
                    summary = runWithGracefulStop(engine, err);
                } finally {
                    ticker.interrupt();
                }
                progress.finish();
                if (engine.storedFromSpool() > 0)
                    err.println("Stored " + engine.storedFromSpool() + " reply(ies) kept while the database was away (not paid again).");
                if (engine.databaseLost()) {
                    // one line, and out at once: nothing more can be stored or counted until the database is back
                    print(out, summary, prov, true);
                    throw new dev.brun.BrunException(ExitCodes.STOPPED_EARLY, summary.stopReason()
                            + "; continue with 'brun generate' once the database answers again");
                }
                boolean credentials = summary.stopReason() != null && summary.stopReason().startsWith("provider refused");
                // A rejected key before anything ran: the error line alone says it all, not a summary of nothing.
                if (json.enabled() || !credentials || summary.done() + summary.failed() > 0) print(out, summary, prov, credentials);
                if (credentials) throw new WorkFailedException(summary.stopReason());
                if (summary.planned() > 0 && summary.done() == 0 && summary.failed() > 0)
                    throw new WorkFailedException("every unit failed; see 'brun status' for the reasons");
                ExitCodes.requireComplete(summary.failed(), summary.failuresByReason(), summary.stopReason(),
                        "brun generate --retry-failed", "brun generate");
            }
        }
        return 0;
    }

    /** How long Ctrl-C or SIGTERM waits for calls in flight: the process ends then whatever the provider or the database do. */
    static final Duration STOP_WAIT = Duration.ofSeconds(30);

    /**
     * Ctrl-C asks the engine to stop and waits (at most {@link #STOP_WAIT}) until in-flight calls are stored before
     * the JVM exits; a call still out then is counted by the next run as possibly billed.
     */
    static RunSummary runWithGracefulStop(GenerationEngine engine, PrintWriter err) {
        CountDownLatch finished = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            err.println();
            err.println("Stopping: waiting for calls in flight to finish and be stored, at most " + STOP_WAIT.toSeconds()
                    + " s (rerun 'brun generate' to resume)...");
            err.flush();
            engine.requestStop();
            try {
                finished.await(STOP_WAIT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS);
            } catch (InterruptedException ignored) {
                Thread.currentThread().interrupt();
            }
        });
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            return engine.run();
        } finally {
            finished.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the JVM is already exiting because of Ctrl-C; the hook is waiting for us
            }
        }
    }

    private int dryRun(PrintWriter out, Project proj, Phase p, Provider prov, double cap) {
        Estimate e = EstimateCommand.estimate(proj, p);
        if (json.enabled()) {
            Map<String, Object> doc = EstimateCommand.toJson(e, proj);
            doc.put("dry_run", true);
            doc.put("would_generate", Math.min(runLimit(), e.totals().units()));
            Json.print(out, doc);
            return 0;
        }
        out.printf("Dry run: would generate %d unit(s) with provider %s (nothing is called).%n%n",
                Math.min(runLimit(), e.totals().units()), prov.wire());
        EstimateCommand.print(out, e);
        if (!Double.isInfinite(cap)) out.printf("Budget cap: $%.2f (already spent: $%.4f).%n", cap, proj.db().ledger().totalSpend());
        return 0;
    }

    private int runLimit() { return sample != null ? sample : limit != null ? limit : Integer.MAX_VALUE; }

    private void print(PrintWriter out, RunSummary s, Provider prov, boolean stopReasonIsTheError) {
        if (json.enabled()) {
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put("provider", prov.wire());
            doc.put("planned", s.planned());
            doc.put("done", s.done());
            doc.put("failed", s.failed());
            doc.put("failures_by_reason", s.failuresByReason());
            doc.put("spent_usd", s.spentUsd());
            doc.put("project_spend_usd", Double.isNaN(s.projectSpendUsd()) ? null : s.projectSpendUsd());
            doc.put("usage", s.usage());
            doc.put("cache_hit_rate", s.cacheHitRate());
            doc.put("retries", s.retries());
            doc.put("rate_limited", s.rateLimited());
            doc.put("elapsed_ms", s.elapsedMillis());
            doc.put("stop_reason", s.stopReason());
            Json.print(out, doc);
            return;
        }
        out.printf("Generated %d conversation(s), %d failed, in %.1f s with provider %s.%n", s.done(), s.failed(),
                s.elapsedMillis() / 1000.0, prov.wire());
        if (Double.isNaN(s.projectSpendUsd()))
            out.printf("Spent $%.4f this run; cache hit rate %.0f%%; %d retries, %d rate-limited.%n",
                    s.spentUsd(), s.cacheHitRate() * 100, s.retries(), s.rateLimited());
        else
            out.printf("Spent $%.4f this run ($%.4f in total); cache hit rate %.0f%%; %d retries, %d rate-limited.%n",
                    s.spentUsd(), s.projectSpendUsd(), s.cacheHitRate() * 100, s.retries(), s.rateLimited());
        if (!s.failuresByReason().isEmpty()) {
            Table t = new Table("failure reason", "units");
            s.failuresByReason().forEach(t::row);
            t.print(out);
        }
        if (s.stopReason() != null && !stopReasonIsTheError) out.println("Stopped early: " + s.stopReason());
        if (s.planned() == 0 && s.stopReason() == null) printWhatWouldAddWork(out);
    }

    /** A run with nothing to do names the commands that give it something, instead of stopping at "0 conversations". */
    private void printWhatWouldAddWork(PrintWriter out) {
        String where = " --project " + project.dir();
        String brun = Invocation.of(spec).command();
        String onlyPhase = phase == null ? "" : " for phase " + phase;
        out.println("Nothing pending" + onlyPhase + ". To add work:");
        out.println("  " + brun + " plan" + where + " --target N               a costed plan for N usable conversations (seeds first)");
        out.println("  " + brun + " plan" + where + " --phase seed|expansion|edge   units over the persona x arc x topic matrix");
        out.println("  " + brun + " expand" + where + "                          variations of combinations with an approved seed");
        out.println("  " + brun + " fill" + where + "                            units for combinations still short of the pack's minimums");
        out.println("  " + brun + " generate" + where + " --retry-failed         put failed units back to pending and run them");
    }

    static Provider parseProvider(String s) {
        try {
            return Provider.fromWire(s);
        } catch (IllegalArgumentException e) {
            throw new BadInputException("--provider: '" + s + "' is not one of " + Provider.wireNames());
        }
    }

    static Concurrency parseConcurrency(String s) {
        if (s.equalsIgnoreCase("auto")) return Concurrency.AUTO;
        try {
            int n = Integer.parseInt(s.trim());
            if (n < 1 || n > 512) throw new BadInputException("--concurrency must be auto or 1..512, got " + s);
            return Concurrency.of(n);
        } catch (NumberFormatException e) {
            throw new BadInputException("--concurrency must be auto or a number, got '" + s + "'");
        }
    }
}
