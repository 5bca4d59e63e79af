package dev.brun.plan;

import dev.brun.BadInputException;
import dev.brun.pack.Arc;
import dev.brun.pack.Pack;
import dev.brun.pack.Phase;
import dev.brun.prompt.Prompt;
import dev.brun.prompt.PromptBuilder;
import dev.brun.prompt.UnitSpec;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Estimates tokens and dollars for pending units from the prompts that would really be sent. Caching
 * assumption: the engine primes each distinct cached prefix with one call before opening concurrency, so
 * each prefix is written once and read by every other call of its group (within the cache lifetime).
 */
public final class CostEstimator {
    /** Tokens the provider adds for a forced tool call's own system instructions. */
    public static final int TOOL_USE_OVERHEAD_TOKENS = 313;

    private final Pack pack;
    private final PriceTable prices;
    private final Function<Phase, PromptBuilder> builders;

    /** @param builders the prompt builder for each phase (expansion's carries the seed examples). */
    public CostEstimator(Pack pack, PriceTable prices, Function<Phase, PromptBuilder> builders) {
        this.pack = pack;
        this.prices = prices;
        this.builders = builders;
    }

    public Estimate estimate(List<PlannedUnit> pending, Map<Phase, String> modelByPhase) {
        Map<String, List<PlannedUnit>> groups = new LinkedHashMap<>();
        for (PlannedUnit u : pending) {
            String model = modelByPhase.get(u.phase());
            if (model == null) throw new BadInputException("no model configured for phase " + u.phase().wire());
            groups.computeIfAbsent(u.phase().wire() + "\n" + model, k -> new ArrayList<>()).add(u);
        }
        List<EstimateLine> lines = new ArrayList<>();
        for (Map.Entry<String, List<PlannedUnit>> g : groups.entrySet()) {
            String[] pm = g.getKey().split("\n", 2);
            lines.add(line(Phase.fromWire(pm[0]), pm[1], g.getValue()));
        }
        return new Estimate(lines, Estimate.total(lines), Estimate.Reference.seedDocument(),
                "characters / " + TokenCounter.CHARS_PER_TOKEN + " (approximate until a tokenizer is wired)");
    }

    private EstimateLine line(Phase phase, String model, List<PlannedUnit> units) {
        ModelPrice price = prices.price(model);
        PromptBuilder builder = builders.apply(phase);
        long prompt = 0, output = 0, prefix = 0, variable = 0;
        // Units with the same static block share one cached prefix (expansion: one per persona x arc pair).
        Map<String, long[]> prefixes = new LinkedHashMap<>(); // static block -> {prefix tokens, units}
        for (PlannedUnit u : units) {
            Prompt p = builder.build(spec(u));
            long pre = TokenCounter.tokens(p.prefixChars()) + TOOL_USE_OVERHEAD_TOKENS;
            long var = TokenCounter.tokens(p.unitBlock().length() + p.userMessage().length());
            prefixes.computeIfAbsent(p.staticBlock(), k -> new long[]{pre, 0})[1]++;
            prefix = Math.max(prefix, pre);
            variable += var;
            prompt += pre + var;
            output += OutputBudget.expectedTokens(arc(u.arcKey()));
        }
        int n = units.size();
        long writes = 0, reads = 0, uncachedPrefix = 0, readCalls = 0;
        int cachedGroups = 0, shortGroups = 0;
        for (long[] g : prefixes.values()) {
            if (g[0] >= price.minCacheablePrefixTokens() && g[1] > 1) {
                writes += g[0];
                reads += g[0] * (g[1] - 1);
                readCalls += g[1] - 1;
                cachedGroups++;
            } else {
                uncachedPrefix += g[0] * g[1];
                if (g[0] < price.minCacheablePrefixTokens()) shortGroups++;
            }
        }
        boolean cacheApplies = cachedGroups > 0;
        TokenUsage plain = new TokenUsage(prompt, output, 0, 0);
        TokenUsage cached = cacheApplies ? new TokenUsage(variable + uncachedPrefix, output, reads, writes) : plain;
        double costPlain = prices.cost(model, plain, false);
        double costCached = prices.cost(model, cached, false);
        String note;
        if (n <= 1) note = "a single call: nothing to reuse from cache";
        else if (!cacheApplies) note = "prefix " + prefix + " tokens < " + price.minCacheablePrefixTokens()
                + " minimum for " + model + ": caching will not apply" + (phase == Phase.EXPANSION
                ? " (add seed examples: brun expand --examples K)" : "");
        else if (prefixes.size() == 1) note = "cached prefix " + prefix + " tokens: written once, read " + (n - 1) + " times";
        else note = prefixes.size() + " cached prefixes (up to " + prefix + " tokens, one per seed-example set): each written once, "
                + readCalls + " cache reads in all"
                + (shortGroups > 0 ? "; " + shortGroups + " below the " + price.minCacheablePrefixTokens()
                + "-token minimum for " + model + " will not be cached" : "");
        return new EstimateLine(phase.wire(), model, n, prompt, output, prefix, price.minCacheablePrefixTokens(),
                cacheApplies, writes, reads, costPlain, costCached, costPlain * PriceTable.BATCH,
                costCached * PriceTable.BATCH, note);
    }

    public UnitSpec spec(PlannedUnit u) {
        return new UnitSpec(u.key(), u.phase(),
                pack.persona(u.personaKey()).orElseThrow(() -> unknown("persona", u.personaKey())),
                arc(u.arcKey()),
                pack.topic(u.topicKey()).orElseThrow(() -> unknown("topic", u.topicKey())),
                u.variationIndex());
    }

    private Arc arc(String key) { return pack.arc(key).orElseThrow(() -> unknown("arc", key)); }

    private BadInputException unknown(String what, String key) {
        return new BadInputException("planned unit names " + what + " '" + key + "', which pack " + pack.name()
                + " no longer has; re-plan after editing the pack");
    }
}
