package dev.brun.run;

import dev.brun.conversation.Conversation;
import dev.brun.llm.CacheTtl;
import dev.brun.llm.LlmClient;
import dev.brun.llm.Sleeper;
import dev.brun.llm.anthropic.AnthropicBatchClient;
import dev.brun.pack.Pack;
import dev.brun.pack.Phase;
import dev.brun.plan.CacheLifetime;
import dev.brun.plan.CostEstimator;
import dev.brun.plan.PlannedUnit;
import dev.brun.project.Project;
import dev.brun.prompt.PromptBuilder;
import dev.brun.prompt.SeedExamples;
import dev.brun.store.Database;
import dev.brun.store.StoredConversation;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Function;

/** Builds engines and batch runners for a project the same way for the CLI and the web page. */
public final class GenerationRuns {
    /** Meta key holding how many approved seed examples an expansion prompt carries (set by brun expand). */
    public static final String EXAMPLES_KEY = "expansion.examples_per_prompt";
    public static final int DEFAULT_EXAMPLES = 4;

    private GenerationRuns() {}

    public static GenerationEngine engine(Project project, LlmClient client, EngineSettings settings,
                                          ProgressListener listener, ConversationHook hook, String modelOverride) {
        Function<Phase, String> models = phase -> modelOverride != null ? modelOverride : project.model(phase);
        Function<Phase, PromptBuilder> builders = builders(project);
        return new GenerationEngine(project.db(), project.pack(), client, project.prices(),
                PhaseCalls.perPhase(models, project::temperature, builders, synchronousCacheTtls(project, models, builders, settings.workers())),
                settings.withPrimeDeadline(project.config().timeouts().cachePriming()), listener, hook,
                ReplySpool.in(project.layout().root()));
    }

    /**
     * The lifetimes of a synchronous run with this many workers. The pace that decides them: the workers, but
     * no more than brun.yaml's concurrency (auto starts at CacheLifetime.AUTO_CONCURRENCY), since the client
     * gates the calls to that.
     */
    public static Function<Phase, CacheTtl> synchronousCacheTtls(Project project, Function<Phase, String> models,
                                                                 Function<Phase, PromptBuilder> builders, int workers) {
        Integer fixed = project.config().concurrency().fixed();
        int concurrency = Math.max(1, Math.min(workers, fixed != null ? fixed : CacheLifetime.AUTO_CONCURRENCY));
        return cacheTtls(project, models, builders, concurrency, false);
    }

    public static BatchRunner batchRunner(Project project, AnthropicBatchClient api, String provider, BatchRunner.Settings settings,
                                          ConversationHook hook, String modelOverride, Consumer<String> log) {
        Function<Phase, String> models = phase -> modelOverride != null ? modelOverride : project.model(phase);
        Function<Phase, PromptBuilder> builders = builders(project);
        return new BatchRunner(project.db(), project.pack(), api, project.prices(),
                PhaseCalls.perPhase(models, project::temperature, builders, cacheTtls(project, models, builders, CacheLifetime.AUTO_CONCURRENCY, true)),
                provider, hook, settings, Clock.systemUTC(), Sleeper.SYSTEM, log);
    }

    /**
     * Fails with a BadInputException naming the model when a phase with pending units would call a model the
     * price table does not know: before anything is claimed or spent, rather than failing every unit.
     */
    public static void requirePrices(Project project, Phase phase, String modelOverride) {
        for (Phase p : phase != null ? List.of(phase) : List.of(Phase.values())) {
            if (project.db().units().pending(p.wire()).isEmpty()) continue;
            project.prices().price(modelOverride != null ? modelOverride : project.model(p));
        }
    }

    /** The estimator for this project: its prices, prompt builders, cache_ttl and the pace of its concurrency. */
    public static CostEstimator estimator(Project project) {
        return estimator(project, builders(project));
    }

    public static CostEstimator estimator(Project project, Function<Phase, PromptBuilder> builders) {
        Integer fixed = project.config().concurrency().fixed();
        return new CostEstimator(project.pack(), project.prices(), builders, project.config().cacheTtl(),
                fixed != null ? fixed : CacheLifetime.AUTO_CONCURRENCY);
    }

    /**
     * The prompt-cache lifetime of each phase's calls: brun.yaml's cache_ttl when it names one, else what the
     * estimate of the phase's pending units finds cheaper at this pace (computed once per phase, on first use).
     */
    public static Function<Phase, CacheTtl> cacheTtls(Project project, Function<Phase, String> models,
                                                      Function<Phase, PromptBuilder> builders, int concurrency, boolean batch) {
        CacheLifetime lifetime = project.config().cacheTtl();
        if (!lifetime.isAuto()) return phase -> lifetime.fixed();
        CostEstimator estimator = new CostEstimator(project.pack(), project.prices(), builders, lifetime, concurrency);
        Map<Phase, CacheTtl> chosen = new ConcurrentHashMap<>();
        return phase -> chosen.computeIfAbsent(phase, p -> {
            List<PlannedUnit> pending = project.db().units().pending(p.wire()).stream()
                    .map(u -> new PlannedUnit(u.key(), u.packHash(), p, u.personaKey(), u.arcKey(), u.topicKey(), u.variationIndex()))
                    .toList();
            if (pending.isEmpty()) return batch ? CacheTtl.ONE_HOUR : CacheTtl.FIVE_MINUTES;
            Map<Phase, String> modelByPhase = new java.util.EnumMap<>(Phase.class);
            modelByPhase.put(p, models.apply(p));
            return estimator.lifetimes(pending, modelByPhase, batch).getOrDefault(p, CacheTtl.FIVE_MINUTES);
        });
    }

    /**
     * The prompt builder of each phase: the expansion phase's static block carries approved seed
     * conversations as examples (see {@link SeedExamples}); the others carry none.
     */
    public static Function<Phase, PromptBuilder> builders(Project project) {
        return builders(project.db(), project.pack(), examplesPerPrompt(project.db()));
    }

    public static Function<Phase, PromptBuilder> builders(Database db, Pack pack, int examplesPerPrompt) {
        Map<Phase, PromptBuilder> built = new ConcurrentHashMap<>();
        return phase -> built.computeIfAbsent(phase, p -> p == Phase.EXPANSION ? expansionBuilder(db, pack, examplesPerPrompt) : new PromptBuilder(pack));
    }

    public static PromptBuilder expansionBuilder(Database db, Pack pack, int examplesPerPrompt) {
        List<Conversation> seeds = approvedSeeds(db);
        if (seeds.isEmpty() || examplesPerPrompt == 0) return new PromptBuilder(pack);
        return new PromptBuilder(pack, new SeedExamples(seeds, examplesPerPrompt));
    }

    /** Approved conversations marked as seed examples, oldest first. */
    public static List<Conversation> approvedSeeds(Database db) {
        List<String> ids = db.reviews().approvedSeeds(null, null);
        if (ids.isEmpty()) return List.of();
        Map<String, Conversation> byId = new java.util.HashMap<>();
        for (StoredConversation c : db.conversations().findAll(ids)) byId.put(c.conversation().id(), c.conversation());
        return ids.stream().map(byId::get).filter(java.util.Objects::nonNull).toList();
    }

    public static int examplesPerPrompt(Database db) {
        return db.meta().get(EXAMPLES_KEY).map(Integer::parseInt).orElse(DEFAULT_EXAMPLES);
    }
}
