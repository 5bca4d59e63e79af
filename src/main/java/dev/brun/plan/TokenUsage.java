package dev.brun.plan;

/**
 * Tokens of one call as the provider bills them. inputTokens excludes the cached part (Anthropic reports
 * cache writes and reads separately from input_tokens).
 */
public record TokenUsage(long inputTokens, long outputTokens, long cacheReadTokens, long cacheWriteTokens) {
    public static final TokenUsage ZERO = new TokenUsage(0, 0, 0, 0);

    public TokenUsage plus(TokenUsage o) {
        return new TokenUsage(inputTokens + o.inputTokens, outputTokens + o.outputTokens,
                cacheReadTokens + o.cacheReadTokens, cacheWriteTokens + o.cacheWriteTokens);
    }

    /** Share of prompt tokens served from cache. */
    public double cacheHitRate() {
        long prompt = inputTokens + cacheReadTokens + cacheWriteTokens;
        return prompt == 0 ? 0 : (double) cacheReadTokens / prompt;
    }
}
