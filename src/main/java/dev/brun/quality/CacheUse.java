package dev.brun.quality;

import dev.brun.plan.ModelPrice;
import dev.brun.plan.PriceTable;
import dev.brun.store.TokenTotals;

import java.util.Map;
import java.util.Optional;

/**
 * How much of the prompt the provider served from its cache, and the dollars that saved against sending every
 * prompt uncached: cache reads would have cost the full input price, and cache writes cost a premium over it.
 * promptTokens counts uncached input, cache reads and cache writes together.
 */
public record CacheUse(long promptTokens, long cacheReadTokens, long cacheWriteTokens, double savedUsd) {
    public static final CacheUse NONE = new CacheUse(0, 0, 0, 0);

    /** Share of prompt tokens read from the cache (0 when nothing was sent). */
    public double hitRate() {
        return promptTokens == 0 ? 0 : (double) cacheReadTokens / promptTokens;
    }

    /** From the ledger's token sums per model; models without a price add tokens but no savings. */
    public static CacheUse of(Map<String, TokenTotals> tokensByModel, PriceTable prices) {
        long prompt = 0, read = 0, write = 0;
        double saved = 0;
        for (Map.Entry<String, TokenTotals> e : tokensByModel.entrySet()) {
            TokenTotals t = e.getValue();
            prompt += t.inputTokens() + t.cacheReadTokens() + t.cacheWriteTokens();
            read += t.cacheReadTokens();
            write += t.cacheWriteTokens();
            Optional<ModelPrice> price = e.getKey() == null ? Optional.empty() : prices.find(e.getKey());
            if (price.isEmpty()) continue;
            ModelPrice p = price.get();
            saved += t.cacheReadTokens() * (p.inputPerMillion() - p.cacheReadPerMillion()) / 1e6
                    - t.cacheWriteTokens() * (p.cacheWritePerMillion() - p.inputPerMillion()) / 1e6;
        }
        return new CacheUse(prompt, read, write, saved);
    }
}
