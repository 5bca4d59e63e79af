package dev.brun.plan;

/**
 * Tokens of one call as the provider bills them. inputTokens excludes the cached part (Anthropic reports
 * cache writes and reads separately from input_tokens). cacheWrite1hTokens is the part of cacheWriteTokens
 * written with the one-hour lifetime; the rest are five-minute writes.
 */
public record TokenUsage(long inputTokens, long outputTokens, long cacheReadTokens, long cacheWriteTokens, long cacheWrite1hTokens) {
    public static final TokenUsage ZERO = new TokenUsage(0, 0, 0, 0, 0);

    public TokenUsage {
        if (cacheWrite1hTokens < 0 || cacheWrite1hTokens > cacheWriteTokens)
            throw new IllegalArgumentException("one-hour cache writes (" + cacheWrite1hTokens + ") must be within all cache writes (" + cacheWriteTokens + ")");
    }

    /** Usage whose cache writes (if any) are all five-minute writes. */
    public TokenUsage(long inputTokens, long outputTokens, long cacheReadTokens, long cacheWriteTokens) {
        this(inputTokens, outputTokens, cacheReadTokens, cacheWriteTokens, 0);
    }

    public TokenUsage plus(TokenUsage o) {
        return new TokenUsage(inputTokens + o.inputTokens, outputTokens + o.outputTokens,
                cacheReadTokens + o.cacheReadTokens, cacheWriteTokens + o.cacheWriteTokens, cacheWrite1hTokens + o.cacheWrite1hTokens);
    }

    public long cacheWrite5mTokens() { return cacheWriteTokens - cacheWrite1hTokens; }

    /** Share of prompt tokens served from cache. */
    public double cacheHitRate() {
        long prompt = inputTokens + cacheReadTokens + cacheWriteTokens;
        return prompt == 0 ? 0 : (double) cacheReadTokens / prompt;
    }
}
