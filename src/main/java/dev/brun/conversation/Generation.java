package dev.brun.conversation;

/** How a conversation was produced: the billed call that made it (cost in US dollars). */
public record Generation(String provider, String model, double temperature, long inputTokens, long outputTokens,
                         long cacheReadTokens, long cacheWriteTokens, double costUsd, long latencyMillis,
                         String stopReason, int attempts, String requestId) {}
