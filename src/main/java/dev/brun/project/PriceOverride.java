package dev.brun.project;

import java.math.BigDecimal;

/**
 * Dollars per million tokens for one model, replacing the built-in price table. cacheWrite5m and
 * cacheRead are null when not given; the price table then derives them from input (1.25x and 0.1x).
 */
public record PriceOverride(BigDecimal input, BigDecimal output, BigDecimal cacheWrite5m, BigDecimal cacheRead) {}
