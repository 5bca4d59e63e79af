package dev.brun.plan;

/**
 * Prices of one model in US dollars per million tokens, and the smallest prefix (in tokens) the provider
 * will cache for it. Cache prices default to the provider's multiples of the input price (write 1.25x for
 * the 5-minute cache, read 0.1x) and can be set explicitly when a provider prices them differently.
 */
public record ModelPrice(String model, double inputPerMillion, double outputPerMillion, int minCacheablePrefixTokens,
                         double cacheWritePerMillion, double cacheReadPerMillion) {
    public ModelPrice(String model, double inputPerMillion, double outputPerMillion, int minCacheablePrefixTokens) {
        this(model, inputPerMillion, outputPerMillion, minCacheablePrefixTokens,
                inputPerMillion * PriceTable.CACHE_WRITE_5M, inputPerMillion * PriceTable.CACHE_READ);
    }
}
