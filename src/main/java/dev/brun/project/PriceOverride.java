package dev.brun.project;

import java.math.BigDecimal;

/**
 * Dollars per million tokens for one model, replacing the built-in price table. cacheWrite5m, cacheRead and
 * cacheWrite1h are null when not given; the price table then derives them from input (1.25x, 0.1x and 2x).
 */
public record PriceOverride(BigDecimal input, BigDecimal output, BigDecimal cacheWrite5m, BigDecimal cacheRead, BigDecimal cacheWrite1h) {
    public PriceOverride(BigDecimal input, BigDecimal output, BigDecimal cacheWrite5m, BigDecimal cacheRead) {
        this(input, output, cacheWrite5m, cacheRead, null);
    }
}
