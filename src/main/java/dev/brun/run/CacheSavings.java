package dev.brun.run;

import dev.brun.plan.ModelPrice;
import dev.brun.plan.PriceTable;
import dev.brun.store.LedgerDao;
import dev.brun.store.TokenTotals;

import java.util.Map;
import java.util.Optional;

/**
 * What prompt caching did for a project, from the spend ledger: the share of prompt tokens read from cache
 * and the dollars saved against the same calls without caching (cache reads at the full input price, no
 * write premium, which is 0.25x input for five-minute writes and 1x for one-hour writes), batch calls at the batch price. Models without a known price are left out of the dollars.
 *
 * @param promptTokens     every prompt token billed: uncached input, cache reads and cache writes
 * @param hitRate          cache reads / prompt tokens (0 when nothing was billed)
 * @param spentUsd         what the ledger says was paid
 * @param withoutCachingUsd what the same calls would have cost without caching
 */
public record CacheSavings(long promptTokens, long cacheReadTokens, long cacheWriteTokens, double hitRate,
                           double spentUsd, double withoutCachingUsd) {
    public double savedUsd() { return withoutCachingUsd - spentUsd; }

    public static CacheSavings of(LedgerDao ledger, PriceTable prices) {
        long prompt = 0, reads = 0, writes = 0;
        double spent = 0, saved = 0;
        for (boolean batch : new boolean[]{false, true}) {
            for (Map.Entry<String, TokenTotals> e : ledger.tokensByModel(batch).entrySet()) {
                TokenTotals t = e.getValue();
                prompt += t.inputTokens() + t.cacheReadTokens() + t.cacheWriteTokens();
                reads += t.cacheReadTokens();
                writes += t.cacheWriteTokens();
                spent += t.costUsd();
                Optional<ModelPrice> price = prices.find(e.getKey());
                if (price.isEmpty()) continue;
                ModelPrice p = price.get();
                double dollars = (t.cacheReadTokens() * (p.inputPerMillion() - p.cacheReadPerMillion())
                        - t.cacheWrite5mTokens() * (p.cacheWritePerMillion() - p.inputPerMillion())
                        - t.cacheWrite1hTokens() * (p.cacheWrite1hPerMillion() - p.inputPerMillion())) / 1e6;
                saved += batch ? dollars * PriceTable.BATCH : dollars;
            }
        }
        return new CacheSavings(prompt, reads, writes, prompt == 0 ? 0 : (double) reads / prompt, spent, spent + saved);
    }
}
