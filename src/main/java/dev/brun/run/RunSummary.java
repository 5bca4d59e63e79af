package dev.brun.run;

import dev.brun.llm.Usage;

import java.util.Map;

/**
 * What a run did. stopReason says why it ended early (budget, a fatal provider error, a stop request),
 * null when it finished every unit it set out to do.
 */
public record RunSummary(int planned, int done, int failed, Map<String, Integer> failuresByReason, double spentUsd,
                         double projectSpendUsd, Usage usage, long retries, long rateLimited,
                         long elapsedMillis, String stopReason) {
    public double cacheHitRate() { return usage.cacheHitRate(); }
    public boolean complete() { return stopReason == null; }
}
