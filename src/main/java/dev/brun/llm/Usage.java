package dev.brun.llm;

/**
 * Billed tokens of one call. {@code inputTokens} are the uncached input tokens only (as Anthropic reports
 * them); cache reads and writes are counted apart because they are priced apart.
 */
public record Usage(long inputTokens, long outputTokens, long cacheReadTokens, long cacheWriteTokens) {
    public static final Usage ZERO = new Usage(0, 0, 0, 0);

    public Usage plus(Usage other) {
        return new Usage(inputTokens + other.inputTokens, outputTokens + other.outputTokens,
                cacheReadTokens + other.cacheReadTokens, cacheWriteTokens + other.cacheWriteTokens);
    }

    /** All prompt tokens, cached or not. */
    public long totalInputTokens() { return inputTokens + cacheReadTokens + cacheWriteTokens; }
}
