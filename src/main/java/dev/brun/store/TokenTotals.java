package dev.brun.store;

/** Sums over ledger lines; cacheWrite1hTokens is the one-hour part of cacheWriteTokens. */
public record TokenTotals(long calls, long inputTokens, long outputTokens, long cacheReadTokens,
                          long cacheWriteTokens, long cacheWrite1hTokens, double costUsd) {
    public TokenTotals(long calls, long inputTokens, long outputTokens, long cacheReadTokens, long cacheWriteTokens, double costUsd) {
        this(calls, inputTokens, outputTokens, cacheReadTokens, cacheWriteTokens, 0, costUsd);
    }

    public long cacheWrite5mTokens() { return cacheWriteTokens - cacheWrite1hTokens; }
}
