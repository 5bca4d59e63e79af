package dev.brun.plan;

import dev.brun.llm.CacheTtl;

import java.time.Duration;
import java.util.Collection;

/**
 * Which prompt-cache lifetime the calls of one phase ask for: brun.yaml's {@code cache_ttl} when it names
 * one ("5m" or "1h"), else (auto) the lifetime whose expected cost for the phase's prefix groups is lower.
 *
 * <p>The model of a prefix group (n calls sharing a cached prefix of P tokens): the first call writes the
 * prefix; each later call reads it unless the entry lapsed since the group's previous call, with probability
 * q, in which case it writes it again. Expected cost = P x (write price x (1 + (n-1)q) + read price x (n-1)(1-q)).
 * A one-hour entry costs 2x input to write against 1.25x for five minutes, so it wins only when q is
 * noticeably lower with it, which depends on the run's {@link Pace}. Ties keep five minutes, whose requests
 * are byte-identical to those sent before lifetimes could be chosen.
 *
 * @param fixed the lifetime brun.yaml names, or null for auto
 */
public record CacheLifetime(CacheTtl fixed) {
    /**
     * Output speed assumed for a synchronous call. Claude Sonnet 4.5 streams roughly 50 to 80 tokens per
     * second and Haiku 4.5 faster; the low end is taken so that the estimate errs toward calls being slow,
     * that is toward the lifetime that survives longer gaps.
     */
    public static final double OUTPUT_TOKENS_PER_SECOND = 50;
    /** Time to first token and transfer, added to every call. */
    public static final Duration CALL_OVERHEAD = Duration.ofSeconds(2);
    /** What "concurrency: auto" starts at (see dev.brun.llm.AdaptiveConcurrency.auto). */
    public static final int AUTO_CONCURRENCY = 4;

    public static final CacheLifetime AUTO = new CacheLifetime(null);

    public static CacheLifetime auto() { return AUTO; }

    public static CacheLifetime fixed(CacheTtl ttl) { return new CacheLifetime(java.util.Objects.requireNonNull(ttl, "ttl")); }

    /** brun.yaml's setting: null means auto. */
    public static CacheLifetime of(CacheTtl setting) { return new CacheLifetime(setting); }

    public boolean isAuto() { return fixed == null; }

    /** As brun.yaml spells it: auto, 5m or 1h. */
    public String wire() { return fixed == null ? "auto" : fixed.wire(); }

    /** One cached prefix and the number of calls that send it. */
    public record Group(long prefixTokens, long calls) {}

    /** How far apart the calls of one prefix group are, as the chance that a cache entry lapses between two of them. */
    public sealed interface Pace permits Synchronous, Batch {
        double missProbability(CacheTtl ttl);

        String describe();
    }

    /**
     * Calls sent one after another by {@code concurrency} workers: as calls are claimed grouped by prefix, the
     * calls of a group start about one call duration / concurrency apart. The gaps vary (retries, rate-limit
     * waits, stragglers), so they are taken as exponentially distributed around that mean: the chance that
     * one exceeds the lifetime T is exp(-T / gap). That tail is on the heavy side (call durations vary less),
     * so the one-hour lifetime wins only where it should: at concurrency 4 with Sonnet-sized conversations
     * (~17 s apart) a five-minute entry practically never lapses; one worker with minute-long calls lets
     * about 1% of gaps pass five minutes, which pays for the dearer write only in groups of a few dozen calls
     * or more; calls minutes long make the one-hour entry clearly cheaper.
     */
    public record Synchronous(Duration gap, int concurrency, Duration callDuration) implements Pace {
        @Override public double missProbability(CacheTtl ttl) {
            double gapSeconds = Math.max(0.001, gap.toMillis() / 1000.0);
            return Math.exp(-ttl.lifetime().toSeconds() / gapSeconds);
        }

        @Override public String describe() {
            return "calls of a prefix ~" + gap.toSeconds() + " s apart (concurrency " + concurrency + ", ~" + callDuration.toSeconds() + " s per call)";
        }
    }

    /**
     * Message Batches: the API processes a batch's requests in no guaranteed order over minutes to hours, so a
     * five-minute entry is taken to have lapsed before the next request of its group, and a one-hour entry to
     * live through a batch (most end within the hour).
     */
    public record Batch() implements Pace {
        @Override public double missProbability(CacheTtl ttl) { return ttl == CacheTtl.ONE_HOUR ? 0 : 1; }

        @Override public String describe() { return "Message Batches run requests in no set order over minutes to hours"; }
    }

    /** The pace of a synchronous run whose calls produce about expectedOutputTokens each. */
    public static Synchronous synchronous(double expectedOutputTokens, int concurrency) {
        int c = Math.max(1, concurrency);
        Duration call = CALL_OVERHEAD.plusMillis(Math.round(expectedOutputTokens / OUTPUT_TOKENS_PER_SECOND * 1000));
        return new Synchronous(call.dividedBy(c), c, call);
    }

    public static Batch batch() { return new Batch(); }

    /**
     * The lifetime chosen, with the expected dollars of the cached prefixes under each (reads and writes only,
     * at the batch price for a batch; the rest of the prompt costs the same either way).
     */
    public record Choice(CacheTtl ttl, double prefixCost5m, double prefixCost1h, boolean automatic, String reason) {}

    /** Expected cache tokens of one group under a lifetime. */
    public record Expected(double writeTokens, double readTokens) {}

    public static Expected expected(Group g, Pace pace, CacheTtl ttl) {
        double q = pace.missProbability(ttl);
        long later = Math.max(0, g.calls() - 1);
        return new Expected(g.prefixTokens() * (1 + later * q), g.prefixTokens() * later * (1 - q));
    }

    /** @param groups the cacheable prefix groups (at least the model's minimum, more than one call) */
    public Choice choose(ModelPrice price, Collection<Group> groups, Pace pace) {
        double cost5m = cost(price, groups, pace, CacheTtl.FIVE_MINUTES);
        double cost1h = cost(price, groups, pace, CacheTtl.ONE_HOUR);
        if (fixed != null) return new Choice(fixed, cost5m, cost1h, false, "cache_ttl: " + fixed.wire() + " in brun.yaml");
        if (groups.isEmpty()) return new Choice(CacheTtl.FIVE_MINUTES, cost5m, cost1h, true, "nothing cached is reused");
        CacheTtl ttl = cost1h < cost5m ? CacheTtl.ONE_HOUR : CacheTtl.FIVE_MINUTES;
        String reason = pace.describe() + ": " + (ttl == CacheTtl.ONE_HOUR
                ? String.format("cache writes and reads expected at $%.4f with 1h against $%.4f with 5m", cost1h, cost5m)
                : String.format("cache writes and reads expected at $%.4f with 5m against $%.4f with 1h", cost5m, cost1h));
        return new Choice(ttl, cost5m, cost1h, true, reason);
    }

    private static double cost(ModelPrice price, Collection<Group> groups, Pace pace, CacheTtl ttl) {
        double dollars = 0;
        for (Group g : groups) {
            Expected e = expected(g, pace, ttl);
            dollars += (e.writeTokens() * price.cacheWritePerMillion(ttl) + e.readTokens() * price.cacheReadPerMillion()) / 1_000_000.0;
        }
        return pace instanceof Batch ? dollars * PriceTable.BATCH : dollars;
    }
}
