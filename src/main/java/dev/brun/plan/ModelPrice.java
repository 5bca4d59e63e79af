package dev.brun.plan;

/**
 * Prices of one model in US dollars per million tokens, and the smallest prefix (in tokens) the provider
 * will cache for it. Cache writes and reads are multiples of the input price (see {@link PriceTable}).
 */
public record ModelPrice(String model, double inputPerMillion, double outputPerMillion, int minCacheablePrefixTokens) {}
