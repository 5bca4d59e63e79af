package dev.brun.plan;

import dev.brun.llm.CacheTtl;

/**
 * Prices of one model in US dollars per million tokens, and the smallest prefix (in tokens) the provider
 * will cache for it. Cache prices default to the provider's multiples of the input price (write 1.25x for
 * the 5-minute cache, 2x for the 1-hour cache, read 0.1x) and can be set explicitly when a provider prices
 * them differently.
 */
public record ModelPrice(String model, double inputPerMillion, double outputPerMillion, int minCacheablePrefixTokens,
                         double cacheWritePerMillion, double cacheReadPerMillion, double cacheWrite1hPerMillion) {
    public ModelPrice(String model, double inputPerMillion, double outputPerMillion, int minCacheablePrefixTokens) {
        this(model, inputPerMillion, outputPerMillion, minCacheablePrefixTokens,
                inputPerMillion * PriceTable.CACHE_WRITE_5M, inputPerMillion * PriceTable.CACHE_READ);
    }

    /** cacheWritePerMillion is the five-minute write price; the one-hour write defaults to 2x input. */
    public ModelPrice(String model, double inputPerMillion, double outputPerMillion, int minCacheablePrefixTokens,
                      double cacheWritePerMillion, double cacheReadPerMillion) {
        this(model, inputPerMillion, outputPerMillion, minCacheablePrefixTokens, cacheWritePerMillion, cacheReadPerMillion,
                inputPerMillion * PriceTable.CACHE_WRITE_1H);
    }

    /** Dollars per million tokens written to the cache with this lifetime. */
    public double cacheWritePerMillion(CacheTtl ttl) {
        return ttl == CacheTtl.ONE_HOUR ? cacheWrite1hPerMillion : cacheWritePerMillion;
    }
}
