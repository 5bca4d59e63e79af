package dev.brun.plan;

/**
 * The estimate for the pending units of one phase on one model. Dollar figures are for four ways of
 * running them: plain, with prompt caching, through Message Batches, and both. cacheTtl is the prompt-cache
 * lifetime ("5m" or "1h") a synchronous run asks for, batchCacheTtl the one a {@code generate --batch} asks
 * for; costCached and costCachedBatch are priced with them.
 */
public record EstimateLine(String phase, String model, int units, long promptTokens, long outputTokens,
                           long prefixTokens, int minCacheablePrefixTokens, boolean cacheApplies,
                           long cacheWriteTokens, long cacheReadTokens,
                           double costPlain, double costCached, double costBatch, double costCachedBatch,
                           String cacheTtl, String batchCacheTtl, String note) {
    public double perConversationCachedBatch() { return units == 0 ? 0 : costCachedBatch / units; }
    public double perConversationPlain() { return units == 0 ? 0 : costPlain / units; }
}
