package dev.brun.llm.sim;

import dev.brun.llm.CacheTtl;

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
 * writes it, later calls within its lifetime (five minutes, or one hour when the breakpoint asks for "1h",
 * on this model's clock) read it and refresh it; a prefix shorter than the model's minimum (1,024 tokens;
 * 4,096 for Haiku 4.5 and Opus 4.5) is not cached at all. Tokens are characters / 4.
 */
final class PromptCacheModel {
    static final Duration TTL = CacheTtl.FIVE_MINUTES.lifetime();

    private final Clock clock;
    private final Map<String, Instant> expiries = new ConcurrentHashMap<>();

    PromptCacheModel(Clock clock) { this.clock = clock; }

    /** Billed split of a prompt: uncached input, cache read, cache write (cacheWrite1h of it for one hour). */
    record Split(long input, long cacheRead, long cacheWrite, long cacheWrite1h) {
        Split(long input, long cacheRead, long cacheWrite) { this(input, cacheRead, cacheWrite, 0); }

        long cacheWrite5m() { return cacheWrite - cacheWrite1h; }
    }

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
        return account(model, prefix, totalChars, systemTokens, CacheTtl.FIVE_MINUTES);
    }

    /** @param ttl the lifetime the breakpoint asks for; a read refreshes the entry for that long again */
    Split account(String model, String prefix, long totalChars, long systemTokens, CacheTtl ttl) {
        long total = tokens(totalChars) + systemTokens;
        long prefixTokens = prefix.isEmpty() ? 0 : tokens(prefix.length()) + systemTokens;
        if (prefix.isEmpty() || prefixTokens < minimumPrefixTokens(model)) return new Split(total, 0, 0);
        String key = model + "|" + sha256(prefix);
        Instant now = clock.instant();
        Instant expiry = expiries.get(key);
        Instant renewed = now.plus(ttl.lifetime());
        // a shorter-lived request does not cut short an entry another request wrote for longer
        expiries.put(key, expiry != null && expiry.isAfter(renewed) ? expiry : renewed);
        long rest = Math.max(0, total - prefixTokens);
        if (expiry != null && now.isBefore(expiry)) return new Split(rest, prefixTokens, 0);
        return new Split(rest, 0, prefixTokens, ttl == CacheTtl.ONE_HOUR ? prefixTokens : 0);
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
