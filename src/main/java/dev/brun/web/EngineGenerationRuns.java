package dev.brun.web;

import dev.brun.WorkFailedException;
import dev.brun.pack.Phase;
import dev.brun.plan.PlannedUnit;
import dev.brun.project.Project;
import dev.brun.prompt.PromptBuilder;
import dev.brun.llm.Sleeper;
import dev.brun.plan.CacheLifetime;
import dev.brun.run.BatchRunner;
import dev.brun.run.ConversationHook;
import dev.brun.run.EngineSettings;
import dev.brun.run.GenerationEngine;
import dev.brun.run.GenerationRuns;
import dev.brun.run.PhaseCalls;
import dev.brun.run.ProviderConnection;
import dev.brun.run.RunProgress;
import dev.brun.run.RunSummary;
import dev.brun.store.UnitState;

import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.function.Function;

/**
 * Generation runs for the web page on the same engine as {@code brun generate}: the order's units are added to
 * the plan (failed ones go back to pending), then the engine generates up to that many pending units of the
 * order's phase with the order's model and temperature, under the project's budget cap.
 */
public final class EngineGenerationRuns implements GenerationRun.Factory {
    private final Project project;
    private final ConversationHook hook;
    private final Function<Project, ProviderConnection> connections;

    /** @param connections opens the provider for one run (closed when the run ends) */
    public EngineGenerationRuns(Project project, ConversationHook hook, Function<Project, ProviderConnection> connections) {
        this.project = project;
        this.hook = hook;
        this.connections = connections;
    }

    /** Runs on the provider and concurrency of the project's brun.yaml. */
    public static EngineGenerationRuns forProject(Project project, ConversationHook hook) {
        return new EngineGenerationRuns(project, hook,
                p -> ProviderConnection.open(p, p.config().provider(), p.config().concurrency()));
    }

    @Override
    public GenerationRun create(GenerationOrder order, GenerationRun.Progress progress) {
        return new GenerationRun() {
            private volatile GenerationEngine engine;
            private volatile boolean stopRequested;

            @Override
            public String run() {
                if (order.batch()) return runBatches(order, progress, () -> stopRequested);
                plan(order);
                progress.update(0, order.units().size(), "starting");
                try (ProviderConnection connection = connections.apply(project)) {
                    EngineSettings settings = EngineSettings.defaults().withPhase(order.phase())
                            .withLimit(order.units().size()).withBudget(project.budgetCap())
                            .withWorkers(connection.maxConcurrency());
                    // the same builders as brun generate: an expansion run from the page carries the approved seeds too
                    Function<Phase, PromptBuilder> builders = GenerationRuns.builders(project);
                    Function<Phase, String> model = phase -> order.model();
                    GenerationEngine e = new GenerationEngine(project.db(), project.pack(), connection.client(), project.prices(),
                            PhaseCalls.perPhase(model, phase -> order.temperature(), builders,
                                    GenerationRuns.synchronousCacheTtls(project, model, builders, settings.workers())),
                            settings.withPrimeDeadline(project.config().timeouts().cachePriming()),
                            p -> progress.update(p.finished(), p.total(), describe(p)), hook,
                            dev.brun.run.ReplySpool.in(project.layout().root()));
                    engine = e;
                    if (stopRequested) e.requestStop();
                    RunSummary summary = e.run();
                    if (summary.stopReason() != null && summary.stopReason().startsWith("provider refused"))
                        throw new WorkFailedException(summary.stopReason());
                    if (summary.planned() > 0 && summary.done() == 0 && summary.failed() > 0)
                        throw new WorkFailedException("every unit failed: " + summary.failuresByReason());
                    return summarize(summary);
                }
            }

            @Override
            public void requestStop() {
                stopRequested = true;
                GenerationEngine e = engine;
                if (e != null) e.requestStop();
            }
        };
    }

    /**
     * The order through the Message Batches API, as {@code generate --batch} runs it: submit the order's pending
     * units, then poll until every batch ended, storing results as they come. Cancel stops the polling; the
     * batches keep running at the provider and {@code brun batches --poll} (or the next batch run) stores them.
     */
    private String runBatches(GenerationOrder order, GenerationRun.Progress progress, java.util.function.BooleanSupplier stop) {
        plan(order);
        int n = order.units().size();
        progress.update(0, n, "submitting to the Message Batches API");
        try (ProviderConnection connection = connections.apply(project)) {
            var api = connection.batches().orElseThrow(() -> new WorkFailedException("provider " + project.config().provider().wire()
                    + " has no Message Batches API: untick Message Batches, or use provider anthropic (or simulated) in brun.yaml"));
            boolean simulated = project.config().provider() == dev.brun.project.Provider.SIMULATED;
            Duration interval = simulated ? Duration.ofSeconds(1) : Duration.ofSeconds(60);
            BatchRunner.Settings settings = BatchRunner.Settings.defaults().withPhase(order.phase()).withLimit(n)
                    .withBudget(project.budgetCap()).withPolling(interval, Duration.ofHours(25));
            Function<Phase, PromptBuilder> builders = GenerationRuns.builders(project);
            Function<Phase, String> model = phase -> order.model();
            BatchRunner runner = new BatchRunner(project.db(), project.pack(), api, project.prices(),
                    PhaseCalls.perPhase(model, phase -> order.temperature(), builders,
                            GenerationRuns.cacheTtls(project, model, builders, CacheLifetime.AUTO_CONCURRENCY, true)),
                    connection.client().provider(), hook, settings, Clock.systemUTC(), Sleeper.SYSTEM, line -> {});
            runner.submit();
            int rounds = 0;
            while (!stop.getAsBoolean() && runner.pollRound() > 0) {
                var r = runner.report();
                progress.update(r.stored() + r.failed(), n, String.format(Locale.ROOT,
                        "%d batch(es) running at the provider · %d stored, %d failed · $%.4f (batch price)",
                        r.unfinishedBatches(), r.stored(), r.failed(), r.spentUsd()));
                if (++rounds * interval.toSeconds() > Duration.ofHours(25).toSeconds()) break;
                try {
                    Thread.sleep(interval);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
            var r = runner.report();
            progress.update(r.stored() + r.failed(), n, "batches: " + r.stored() + " stored");
            if (r.submitted() == 0 && r.stopReason() != null && r.stopReason().startsWith("could not create"))
                throw new WorkFailedException(r.stopReason());
            String text = String.format(Locale.ROOT, "Message Batches: %d submitted, %d stored, %d failed · $%.4f at the batch price",
                    r.submitted(), r.stored(), r.failed(), r.spentUsd());
            if (r.unfinishedBatches() > 0) text += " · " + r.unfinishedBatches() + " batch(es) still running: brun batches --poll stores them";
            return r.stopReason() == null ? text : text + " · " + r.stopReason();
        }
    }

    private void plan(GenerationOrder order) {
        var units = project.db().units();
        units.insertIfAbsent(order.units().stream().map(EngineGenerationRuns::toStore).toList());
        for (PlannedUnit u : order.units())
            units.find(u.key()).filter(r -> r.state() == UnitState.FAILED).ifPresent(r -> units.returnToPending(r.key()));
    }

    static dev.brun.store.PlannedUnit toStore(PlannedUnit u) {
        return new dev.brun.store.PlannedUnit(u.key(), u.packHash(), u.phase().wire(), u.personaKey(), u.arcKey(),
                u.topicKey(), u.variationIndex());
    }

    private static String describe(RunProgress p) {
        return String.format(Locale.ROOT, "%d stored, %d failed · $%.4f · %.1f conversations/s", p.done(), p.failed(),
                p.spentUsd(), p.rate());
    }

    private static String summarize(RunSummary s) {
        String text = String.format(Locale.ROOT, "%d stored, %d failed of %d · $%.4f", s.done(), s.failed(), s.planned(), s.spentUsd());
        return s.stopReason() == null ? text : text + " · " + s.stopReason();
    }
}
