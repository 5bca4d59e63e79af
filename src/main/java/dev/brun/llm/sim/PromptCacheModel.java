package dev.brun.llm.sim;

import dev.brun.llm.CacheTtl;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Anthropic's prompt cache, as far as billing shows it: each cache breakpoint (at most four) ends a prefix
 * hashed from the start of the request; the first call with a cacheable prefix (per model) writes it, later
 * calls within its lifetime (five minutes, or one hour when the breakpoint asks for "1h", on this model's
 * clock) read it and refresh it; a prefix shorter than the model's minimum (1,024 tokens;
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

    /** One cache breakpoint: the request's text from its start up to and including the marked block, and the lifetime it asks for. */
    record Breakpoint(String prefix, CacheTtl ttl) {}

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
        return account(model, prefix.isEmpty() ? List.of() : List.of(new Breakpoint(prefix, ttl)), totalChars, systemTokens);
    }

    /**
     * Several breakpoints, as Anthropic bills them: each breakpoint's prefix (counted from the start of the
     * request, so a short block after a long one still reaches the minimum) is an entry of its own. The longest
     * prefix with a live entry is read; what follows it up to the last breakpoint long enough to cache is
     * written (each stretch with the lifetime of the breakpoint that ends it); the rest is uncached input.
     *
     * @param breakpoints in request order, each prefix extending the previous one
     */
    Split account(String model, List<Breakpoint> breakpoints, long totalChars, long systemTokens) {
        long total = tokens(totalChars) + systemTokens;
        long minimum = minimumPrefixTokens(model);
        List<Breakpoint> cacheable = new ArrayList<>();
        for (Breakpoint b : breakpoints)
            if (tokens(b.prefix().length()) + systemTokens >= minimum) cacheable.add(b);
        if (cacheable.isEmpty()) return new Split(total, 0, 0);
        Instant now = clock.instant();
        int hit = -1;
        for (int i = cacheable.size() - 1; i >= 0 && hit < 0; i--) {
            Instant expiry = expiries.get(key(model, cacheable.get(i).prefix()));
            if (expiry != null && now.isBefore(expiry)) hit = i;
        }
        long read = hit < 0 ? 0 : tokens(cacheable.get(hit).prefix().length()) + systemTokens;
        long written = 0, written1h = 0, covered = read;
        for (int i = 0; i < cacheable.size(); i++) {
            Breakpoint b = cacheable.get(i);
            long upTo = tokens(b.prefix().length()) + systemTokens;
            if (i > hit) {
                long stretch = Math.max(0, upTo - covered);
                written += stretch;
                if (b.ttl() == CacheTtl.ONE_HOUR) written1h += stretch;
                covered = Math.max(covered, upTo);
            }
            // a write creates its entry; a read refreshes its entry and the shorter ones inside it, whose text it
            // used too (taken so: the docs say content is refreshed each time it is used, not per breakpoint)
            renew(key(model, b.prefix()), now, b.ttl());
        }
        return new Split(Math.max(0, total - covered), read, written, written1h);
    }

    private void renew(String key, Instant now, CacheTtl ttl) {
        Instant renewed = now.plus(ttl.lifetime());
        // a shorter-lived request does not cut short an entry another request wrote for longer
        expiries.merge(key, renewed, (old, fresh) -> old.isAfter(fresh) ? old : fresh);
    }

    private static String key(String model, String prefix) { return model + "|" + sha256(prefix); }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
