package dev.brun.run;

import dev.brun.conversation.Conversation;
import dev.brun.llm.LlmClient;
import dev.brun.llm.Sleeper;
import dev.brun.llm.anthropic.AnthropicBatchClient;
import dev.brun.pack.Pack;
import dev.brun.pack.Phase;
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
        return new GenerationEngine(project.db(), project.pack(), client, project.prices(),
                phase -> modelOverride != null ? modelOverride : project.model(phase),
                project::temperature, builders(project), settings, listener, hook);
    }

    public static BatchRunner batchRunner(Project project, AnthropicBatchClient api, String provider, BatchRunner.Settings settings,
                                          ConversationHook hook, String modelOverride, Consumer<String> log) {
        return new BatchRunner(project.db(), project.pack(), api, project.prices(),
                phase -> modelOverride != null ? modelOverride : project.model(phase),
                project::temperature, builders(project), provider, hook, settings, Clock.systemUTC(), Sleeper.SYSTEM, log);
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
