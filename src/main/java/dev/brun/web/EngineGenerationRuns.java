package dev.brun.web;

import dev.brun.WorkFailedException;
import dev.brun.pack.Phase;
import dev.brun.plan.PlannedUnit;
import dev.brun.project.Project;
import dev.brun.prompt.PromptBuilder;
import dev.brun.run.ConversationHook;
import dev.brun.run.EngineSettings;
import dev.brun.run.GenerationEngine;
import dev.brun.run.GenerationRuns;
import dev.brun.run.PhaseCalls;
import dev.brun.run.ProviderConnection;
import dev.brun.run.RunProgress;
import dev.brun.run.RunSummary;
import dev.brun.store.UnitState;

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
