package dev.brun.plan;

import dev.brun.conversation.Conversation;
import dev.brun.pack.Pack;
import dev.brun.pack.Phase;
import dev.brun.prompt.PromptBuilder;
import dev.brun.prompt.SeedExamples;
import dev.brun.prompt.UnitSpec;
import dev.brun.store.ConversationFilter;
import dev.brun.store.ConversationRow;
import dev.brun.store.Database;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Plans the expansion phase from approved seed conversations: N variations of every combination that has
 * at least one approved seed (or of every combination), and how many seed examples each prompt should carry
 * so that its cached prefix reaches the model's minimum cacheable length.
 */
public final class ExpansionPlanner {
    /** More examples than this make prompts long without making conversations better. */
    public static final int MAX_EXAMPLES = 8;

    private final Pack pack;
    private final CoverageMatrix matrix;

    public ExpansionPlanner(Pack pack) {
        this.pack = pack;
        this.matrix = new CoverageMatrix(pack);
    }

    /** Combinations to expand, in matrix order: those with an approved seed, or all of them. */
    public List<Combination> combinations(List<Conversation> seeds, boolean all) {
        List<Combination> every = matrix.combinations(PlanFilter.ALL);
        if (all) return every;
        Set<String> seeded = new LinkedHashSet<>();
        for (Conversation c : seeds)
            seeded.add(new Combination(c.scaffolding().personaKey(), c.scaffolding().arcKey(), c.scaffolding().topicKey()).key());
        return every.stream().filter(c -> seeded.contains(c.key())).toList();
    }

    public List<PlannedUnit> units(List<Combination> combinations, int perCombination) {
        return matrix.units(Phase.EXPANSION, combinations, 0, perCombination);
    }

    /** Every combination of the matrix with the tier its seed-phase conversations earned in review. */
    public Map<Combination, QualityTier> tiers(Database db) {
        Map<String, List<QualityTier.Seed>> byCombination = new java.util.HashMap<>();
        for (ConversationRow r : db.conversations().list(ConversationFilter.all().inPhase(Phase.SEED.wire()), 0, Integer.MAX_VALUE).items())
            byCombination.computeIfAbsent(new Combination(r.scaffolding().personaKey(), r.scaffolding().arcKey(), r.scaffolding().topicKey()).key(),
                    k -> new ArrayList<>()).add(new QualityTier.Seed(r.reviewStatus(), r.overall(), r.errorFlags()));
        Map<Combination, QualityTier> tiers = new LinkedHashMap<>();
        for (Combination c : matrix.combinations(PlanFilter.ALL))
            tiers.put(c, QualityTier.of(byCombination.getOrDefault(c.key(), List.of())));
        return tiers;
    }

    /** Units for the tier shares: each combination's variations from index 0, as a fixed --per-combination plans them. */
    public List<PlannedUnit> units(TierShares.Result shares) {
        List<PlannedUnit> out = new ArrayList<>();
        for (TierShares.Share s : shares.shares())
            if (s.variations() > 0) out.addAll(matrix.units(Phase.EXPANSION, List.of(s.combination()), 0, s.variations()));
        return out;
    }

    /**
     * How a number of examples per prompt fares against the cache minimum.
     *
     * @param smallestPrefixTokens the shortest cached prefix among the persona x arc groups of the plan
     * @param reaches              whether every group's prefix reaches the minimum (caching applies to all)
     */
    public record ExampleFit(int examplesPerPrompt, long smallestPrefixTokens, int minimumTokens, boolean reaches) {}

    /** The prefix length a number of examples gives, for the groups the combinations span. */
    public ExampleFit fit(List<Conversation> seeds, List<Combination> combinations, int examplesPerPrompt, int minimumTokens) {
        PromptBuilder builder = examplesPerPrompt == 0 || seeds.isEmpty() ? new PromptBuilder(pack)
                : new PromptBuilder(pack, new SeedExamples(seeds, examplesPerPrompt));
        long smallest = Long.MAX_VALUE;
        for (UnitSpec spec : representatives(combinations)) {
            long tokens = TokenCounter.tokens(builder.build(spec).prefixChars()) + CostEstimator.TOOL_USE_OVERHEAD_TOKENS;
            smallest = Math.min(smallest, tokens);
        }
        if (smallest == Long.MAX_VALUE) smallest = 0;
        return new ExampleFit(examplesPerPrompt, smallest, minimumTokens, smallest >= minimumTokens);
    }

    /** The fewest examples (up to {@link #MAX_EXAMPLES} and the seeds available) whose prefixes all reach the minimum; else the most. */
    public ExampleFit autoFit(List<Conversation> seeds, List<Combination> combinations, int minimumTokens) {
        int most = Math.min(MAX_EXAMPLES, seeds.size());
        ExampleFit last = fit(seeds, combinations, 0, minimumTokens);
        if (last.reaches()) return last;
        for (int k = 1; k <= most; k++) {
            last = fit(seeds, combinations, k, minimumTokens);
            if (last.reaches()) return last;
        }
        return last;
    }

    /** One unit per persona x arc pair: all units of a pair share their examples, hence their prefix. */
    private List<UnitSpec> representatives(List<Combination> combinations) {
        Map<String, UnitSpec> byGroup = new LinkedHashMap<>();
        for (Combination c : combinations)
            byGroup.computeIfAbsent(c.personaKey() + "|" + c.arcKey(), k -> new UnitSpec("sizing", Phase.EXPANSION,
                    pack.persona(c.personaKey()).orElseThrow(), pack.arc(c.arcKey()).orElseThrow(),
                    pack.topic(c.topicKey()).orElseThrow(), 0));
        return new ArrayList<>(byGroup.values());
    }
}
