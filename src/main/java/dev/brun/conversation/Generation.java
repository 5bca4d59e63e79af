package dev.brun.conversation;

/** How a conversation was produced: the billed call that made it (cost in US dollars). */
public record Generation(String provider, String model, double temperature, long inputTokens, long outputTokens,
                         long cacheReadTokens, long cacheWriteTokens, double costUsd, long latencyMillis,
                         String stopReason, int attempts, String requestId) {
    /** The same call record counting every HTTP attempt the unit took (retries and brun's own re-asks included). */
    public Generation withAttempts(int n) {
        return new Generation(provider, model, temperature, inputTokens, outputTokens, cacheReadTokens, cacheWriteTokens,
                costUsd, latencyMillis, stopReason, n, requestId);
    }
}
