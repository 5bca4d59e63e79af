package dev.brun.llm.sim;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Anthropic's prompt cache, as far as billing shows it: the first call with a cacheable prefix (per model)
 * writes it, later calls within the TTL read it and refresh it; a prefix shorter than the model's minimum
 * (1,024 tokens; 4,096 for Haiku 4.5 and Opus 4.5) is not cached at all. Tokens are characters / 4.
 */
final class PromptCacheModel {
    static final Duration TTL = Duration.ofMinutes(5);

    private final Clock clock;
    private final Map<String, Instant> written = new ConcurrentHashMap<>();

    PromptCacheModel(Clock clock) { this.clock = clock; }

    /** Billed split of a prompt: uncached input, cache read, cache write. */
    record Split(long input, long cacheRead, long cacheWrite) {}

    static long tokens(long chars) { return (chars + 3) / 4; }

    static long minimumPrefixTokens(String model) {
        String m = model.toLowerCase(Locale.ROOT);
        return m.contains("haiku-4-5") || m.contains("opus-4-5") || m.contains("haiku-4.5") || m.contains("opus-4.5") ? 4096 : 1024;
    }

    /**
     * @param prefix      the text up to the last cache breakpoint, empty when the request marks none
     * @param totalChars  the characters of the whole prompt, prefix included
     */
    Split account(String model, String prefix, long totalChars) { return account(model, prefix, totalChars, 0); }

    /** @param systemTokens tokens the provider adds ahead of the prompt (its tool-use instructions): part of every prefix */
    Split account(String model, String prefix, long totalChars, long systemTokens) {
        long total = tokens(totalChars) + systemTokens;
        long prefixTokens = prefix.isEmpty() ? 0 : tokens(prefix.length()) + systemTokens;
        if (prefix.isEmpty() || prefixTokens < minimumPrefixTokens(model)) return new Split(total, 0, 0);
        String key = model + "|" + sha256(prefix);
        Instant now = clock.instant();
        Instant previous = written.get(key);
        written.put(key, now);
        long rest = Math.max(0, total - prefixTokens);
        if (previous != null && Duration.between(previous, now).compareTo(TTL) < 0) return new Split(rest, prefixTokens, 0);
        return new Split(rest, 0, prefixTokens);
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
