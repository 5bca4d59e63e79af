package dev.brun.store;

/** Sums over ledger lines. */
public record TokenTotals(long calls, long inputTokens, long outputTokens, long cacheReadTokens,
                          long cacheWriteTokens, double costUsd) {}
