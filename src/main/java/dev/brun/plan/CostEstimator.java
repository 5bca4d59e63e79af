package dev.brun.plan;

import dev.brun.BadInputException;
import dev.brun.llm.CacheTtl;
import dev.brun.llm.Usage;
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
 * each prefix is written once and read by every other call of its group (within the cache lifetime). The
 * same holds for the second breakpoint after the persona and arc block: calls are claimed in persona, arc,
 * topic order, so a pair's calls follow one another and its block is written by the first and read by the rest.
 */
public final class CostEstimator {
    /** Tokens the provider adds for a forced tool call's own system instructions. */
    public static final int TOOL_USE_OVERHEAD_TOKENS = 313;

    private final Pack pack;
    private final PriceTable prices;
    private final Function<Phase, PromptBuilder> builders;
    private final CacheLifetime lifetime;
    private final int concurrency;

    /** @param builders the prompt builder for each phase (expansion's carries the seed examples). */
    public CostEstimator(Pack pack, PriceTable prices, Function<Phase, PromptBuilder> builders) {
        this(pack, prices, builders, CacheLifetime.auto(), CacheLifetime.AUTO_CONCURRENCY);
    }

    /**
     * @param lifetime    brun.yaml's cache_ttl (auto chooses per phase and model)
     * @param concurrency parallel calls of a synchronous run (its pace decides between the lifetimes)
     */
    public CostEstimator(Pack pack, PriceTable prices, Function<Phase, PromptBuilder> builders, CacheLifetime lifetime, int concurrency) {
        this.pack = pack;
        this.prices = prices;
        this.builders = builders;
        this.lifetime = lifetime;
        this.concurrency = concurrency;
    }

    /** The cache lifetime each phase's calls should ask for, synchronously or through Message Batches. */
    public Map<Phase, CacheTtl> lifetimes(List<PlannedUnit> pending, Map<Phase, String> modelByPhase, boolean batch) {
        Map<Phase, CacheTtl> out = new java.util.EnumMap<>(Phase.class);
        for (EstimateLine l : estimate(pending, modelByPhase).lines())
            out.put(Phase.fromWire(l.phase()), CacheTtl.fromWire(batch ? l.batchCacheTtl() : l.cacheTtl()).orElseThrow());
        return out;
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
        // Units with the same static block share the first cached prefix (expansion: one per persona x arc pair).
        Map<String, long[]> prefixes = new LinkedHashMap<>(); // static block -> {prefix tokens, units}
        // Units that also share the persona and arc block share the second one, which ends after that block.
        Map<String, long[]> pairPrefixes = new LinkedHashMap<>(); // static + persona/arc -> {first prefix, second prefix, units}
        Map<String, String> staticOfPair = new java.util.HashMap<>();
        for (PlannedUnit u : units) {
            Prompt p = builder.build(spec(u));
            long pre = TokenCounter.tokens(p.prefixChars()) + TOOL_USE_OVERHEAD_TOKENS;
            long pre2 = TokenCounter.tokens(p.personaArcPrefixChars()) + TOOL_USE_OVERHEAD_TOKENS;
            long var = TokenCounter.tokens(p.unitBlock().length() + p.userMessage().length());
            prefixes.computeIfAbsent(p.staticBlock(), k -> new long[]{pre, 0})[1]++;
            String pairKey = p.staticBlock() + "\u0000" + p.personaArcBlock();
            pairPrefixes.computeIfAbsent(pairKey, k -> new long[]{pre, pre2, 0})[2]++;
            staticOfPair.putIfAbsent(pairKey, p.staticBlock());
            prefix = Math.max(prefix, pre);
            variable += var;
            prompt += pre2 + var;
            output += OutputBudget.expectedTokens(arc(u.arcKey()));
        }
        int n = units.size();
        long min = price.minCacheablePrefixTokens();
        long uncachedPrefix = 0, readCalls = 0, pairReadCalls = 0;
        int shortGroups = 0, cachedPairs = 0;
        List<CacheLifetime.Group> cacheable = new ArrayList<>();
        for (long[] g : prefixes.values()) {
            if (g[0] >= min && g[1] > 1) {
                cacheable.add(new CacheLifetime.Group(g[0], g[1]));
                readCalls += g[1] - 1;
            } else {
                uncachedPrefix += g[0] * g[1];
                if (g[0] < min) shortGroups++;
            }
        }
        // The second breakpoint: the persona and arc stretch is written by a pair's first call and read by the
        // rest. Its prefix counts from the start of the request, so it may reach the minimum where the static
        // block alone does not; it is then the whole prefix that this pair's calls write and read.
        boolean firstApplies = !cacheable.isEmpty();
        for (Map.Entry<String, long[]> e : pairPrefixes.entrySet()) {
            long[] g = e.getValue();
            long stretch = g[1] - g[0];
            if (g[1] < min || g[2] <= 1) {
                uncachedPrefix += stretch * g[2];
                continue;
            }
            long[] first = prefixes.get(staticOfPair.get(e.getKey()));
            boolean firstCached = first[0] >= min && first[1] > 1;
            if (firstCached) {
                cacheable.add(new CacheLifetime.Group(stretch, g[2]));
            } else {
                cacheable.add(new CacheLifetime.Group(g[1], g[2]));
                uncachedPrefix -= g[0] * g[2]; // counted above as uncached static prefix: it is part of this cached one
            }
            cachedPairs++;
            pairReadCalls += g[2] - 1;
        }
        boolean cacheApplies = !cacheable.isEmpty();
        CacheLifetime.Synchronous pace = CacheLifetime.synchronous((double) output / Math.max(1, n), concurrency);
        CacheLifetime.Choice sync = lifetime.choose(price, cacheable, pace);
        CacheLifetime.Choice batch = lifetime.choose(price, cacheable, CacheLifetime.batch());
        Usage plain = new Usage(prompt, output, 0, 0);
        Usage cached = cacheApplies ? cachedUsage(cacheable, pace, sync.ttl(), variable + uncachedPrefix, output) : plain;
        String pairs = cachedPairs == 0 ? "" : "; persona and arc blocks: " + cachedPairs + " cached (" + pairReadCalls + " reads)";
        Usage cachedBatch = cacheApplies ? cachedUsage(cacheable, CacheLifetime.batch(), batch.ttl(), variable + uncachedPrefix, output) : plain;
        double costPlain = prices.cost(model, plain, false);
        double costCached = prices.cost(model, cached, false);
        String note;
        if (n <= 1) note = "a single call: nothing to reuse from cache";
        else if (!cacheApplies) note = "prefix " + prefix + " tokens < " + price.minCacheablePrefixTokens()
                + " minimum for " + model + ": caching will not apply" + (phase == Phase.EXPANSION
                ? " (add seed examples: brun expand --examples K)" : "");
        else if (!firstApplies) note = "static prefix " + prefix + " tokens < " + price.minCacheablePrefixTokens()
                + " minimum for " + model + ": cached only with the persona and arc block";
        else if (prefixes.size() == 1) note = "cached prefix " + prefix + " tokens: written once, read " + (n - 1) + " times";
        else note = prefixes.size() + " cached prefixes (up to " + prefix + " tokens, one per seed-example set): each written once, "
                + readCalls + " cache reads in all"
                + (shortGroups > 0 ? "; " + shortGroups + " below the " + price.minCacheablePrefixTokens()
                + "-token minimum for " + model + " will not be cached" : "");
        note += pairs;
        if (cacheApplies) note += "; cache ttl " + sync.ttl().wire() + " (" + sync.reason() + "), with --batch "
                + batch.ttl().wire() + (batch.automatic() ? " (" + batch.reason() + ")" : "");
        return new EstimateLine(phase.wire(), model, n, prompt, output, prefix, price.minCacheablePrefixTokens(),
                cacheApplies, cached.cacheWriteTokens(), cached.cacheReadTokens(), costPlain, costCached, costPlain * PriceTable.BATCH,
                prices.cost(model, cachedBatch, true), sync.ttl().wire(), batch.ttl().wire(), note);
    }

    /** The usage of a line's calls when its cacheable groups run at this pace with this lifetime. */
    private static Usage cachedUsage(List<CacheLifetime.Group> groups, CacheLifetime.Pace pace, CacheTtl ttl, long uncached, long output) {
        double writes = 0, reads = 0;
        for (CacheLifetime.Group g : groups) {
            CacheLifetime.Expected e = CacheLifetime.expected(g, pace, ttl);
            writes += e.writeTokens();
            reads += e.readTokens();
        }
        long w = Math.round(writes);
        return new Usage(uncached, output, Math.round(reads), w, ttl == CacheTtl.ONE_HOUR ? w : 0);
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
