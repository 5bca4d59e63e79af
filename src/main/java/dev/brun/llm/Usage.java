package dev.brun.llm;

/**
 * Billed tokens of one call. {@code inputTokens} are the uncached input tokens only (as Anthropic reports
 * them); cache reads and writes are counted apart because they are priced apart. {@code cacheWrite1hTokens}
 * is the part of {@code cacheWriteTokens} written with the one-hour lifetime (priced higher); the rest was
 * written for five minutes.
 */
public record Usage(long inputTokens, long outputTokens, long cacheReadTokens, long cacheWriteTokens, long cacheWrite1hTokens) {
    public static final Usage ZERO = new Usage(0, 0, 0, 0, 0);

    public Usage {
        if (cacheWrite1hTokens < 0 || cacheWrite1hTokens > cacheWriteTokens)
            throw new IllegalArgumentException("one-hour cache writes (" + cacheWrite1hTokens + ") must be within all cache writes (" + cacheWriteTokens + ")");
    }

    /** A usage whose cache writes (if any) are all five-minute writes. */
    public Usage(long inputTokens, long outputTokens, long cacheReadTokens, long cacheWriteTokens) {
        this(inputTokens, outputTokens, cacheReadTokens, cacheWriteTokens, 0);
    }

    public Usage plus(Usage other) {
        return new Usage(inputTokens + other.inputTokens, outputTokens + other.outputTokens,
                cacheReadTokens + other.cacheReadTokens, cacheWriteTokens + other.cacheWriteTokens,
                cacheWrite1hTokens + other.cacheWrite1hTokens);
    }

    public long cacheWrite5mTokens() { return cacheWriteTokens - cacheWrite1hTokens; }

    /** All prompt tokens, cached or not. */
    public long totalInputTokens() { return inputTokens + cacheReadTokens + cacheWriteTokens; }

    /** Share of prompt tokens served from cache. */
    public double cacheHitRate() {
        long prompt = totalInputTokens();
        return prompt == 0 ? 0 : (double) cacheReadTokens / prompt;
    }
}
