package dev.brun.llm;

import java.time.Instant;

/**
 * The provider's rate-limit state as its headers reported it after one reply. Any window may be null
 * when the provider did not send it. {@code tokens} is a combined input+output window (OpenAI's
 * {@code x-ratelimit-*-tokens}, Anthropic's {@code anthropic-ratelimit-tokens-*}).
 */
public record RateLimitSnapshot(Window requests, Window tokens, Window inputTokens, Window outputTokens,
                                Instant observedAt) {
    public static final RateLimitSnapshot NONE = new RateLimitSnapshot(null, null, null, null, Instant.EPOCH);

    /** One limit: its size, what is left of it and when it is refilled. */
    public record Window(long limit, long remaining, Instant reset) {}

    public boolean isEmpty() {
        return requests == null && tokens == null && inputTokens == null && outputTokens == null;
    }
}
