package dev.brun.plan;

import dev.brun.BadInputException;
import dev.brun.llm.CacheTtl;
import dev.brun.llm.Usage;
import dev.brun.pack.Identifiers;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The one place prices live. Defaults are the published list prices (per million tokens); a project can
 * override or add models in brun.yaml. Multipliers: cache write 1.25x input (5-minute TTL) or 2x (1 hour),
 * cache read 0.1x input, Message Batches 0.5x everything.
 */
public final class PriceTable {
    public static final double CACHE_WRITE_5M = 1.25;
    public static final double CACHE_WRITE_1H = 2.0;
    public static final double CACHE_READ = 0.1;
    public static final double BATCH = 0.5;

    private final Map<String, ModelPrice> prices;

    private PriceTable(Map<String, ModelPrice> prices) { this.prices = Map.copyOf(prices); }

    public static PriceTable defaults() {
        Map<String, ModelPrice> m = new LinkedHashMap<>();
        put(m, new ModelPrice("claude-sonnet-4-5", 3.0, 15.0, 1024));
        put(m, new ModelPrice("claude-haiku-4-5", 1.0, 5.0, 4096));
        put(m, new ModelPrice("claude-opus-4-5", 5.0, 25.0, 4096));
        return new PriceTable(m);
    }

    private static void put(Map<String, ModelPrice> m, ModelPrice p) { m.put(p.model(), p); }

    public PriceTable withOverride(ModelPrice price) {
        Map<String, ModelPrice> m = new LinkedHashMap<>(prices);
        m.put(price.model(), price);
        return new PriceTable(m);
    }

    public Optional<ModelPrice> find(String model) {
        ModelPrice exact = prices.get(model);
        if (exact != null) return Optional.of(exact);
        // Dated snapshots ("claude-sonnet-4-5-20250929") cost what their alias costs.
        return prices.values().stream().filter(p -> model.startsWith(p.model() + "-")).findFirst();
    }

    public ModelPrice price(String model) {
        String addIt = "add it under prices: in brun.yaml (input and output dollars per million tokens; 0 and 0 for a local server)";
        return find(model).orElseThrow(() -> new BadInputException(closest(model)
                .map(known -> "unknown model '" + model + "'. Did you mean " + known + "? For a model of your own, " + addIt)
                .orElse("no price for model '" + model + "': " + addIt)));
    }

    /** A known model a typo is most likely meant to be: within a few edits, so an unrelated local model gets no guess. */
    Optional<String> closest(String model) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String known : prices.keySet()) {
            int d = Identifiers.distance(model, known);
            if (d < bestDistance) {
                best = known;
                bestDistance = d;
            }
        }
        return best != null && bestDistance <= Math.max(2, best.length() / 5) ? Optional.of(best) : Optional.empty();
    }

    public Map<String, ModelPrice> all() { return prices; }

    /** Dollars for one call's usage. */
    public double cost(String model, Usage u, boolean batch) {
        ModelPrice p = price(model);
        double in = p.inputPerMillion() / 1_000_000.0;
        double dollars = u.inputTokens() * in
                + u.cacheWrite5mTokens() * p.cacheWritePerMillion() / 1_000_000.0
                + u.cacheWrite1hTokens() * p.cacheWrite1hPerMillion() / 1_000_000.0
                + u.cacheReadTokens() * p.cacheReadPerMillion() / 1_000_000.0
                + u.outputTokens() * p.outputPerMillion() / 1_000_000.0;
        return batch ? dollars * BATCH : dollars;
    }

    /** The most one call can cost: every prompt token written to a five-minute cache and max_tokens of output. */
    public double worstCase(String model, long promptTokens, long maxOutputTokens) {
        return worstCase(model, promptTokens, maxOutputTokens, CacheTtl.FIVE_MINUTES);
    }

    /** What a call is expected to cost when nothing says what it was billed: no cache discount, max_tokens of output. */
    public double expected(String model, long promptTokens, long maxOutputTokens) {
        ModelPrice p = price(model);
        return promptTokens * p.inputPerMillion() / 1_000_000.0 + maxOutputTokens * p.outputPerMillion() / 1_000_000.0;
    }

    /** The most one call can cost when its prefix is cached with this lifetime. */
    public double worstCase(String model, long promptTokens, long maxOutputTokens, CacheTtl ttl) {
        ModelPrice p = price(model);
        return promptTokens * Math.max(p.inputPerMillion(), p.cacheWritePerMillion(ttl)) / 1_000_000.0
                + maxOutputTokens * p.outputPerMillion() / 1_000_000.0;
    }
}
