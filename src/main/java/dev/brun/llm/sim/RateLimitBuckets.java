package dev.brun.llm.sim;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The fake provider's rate limits, modelled as Anthropic's are: one token bucket per limit (requests, uncached
 * input tokens, output tokens), each holding at most its limit and refilled continuously at limit per window.
 * A call is admitted when every bucket holds what it needs: one request, its estimated uncached input, and its
 * max_tokens of output (charged in full at the start); when it ends the output bucket gets back what the reply
 * did not use and the input bucket is corrected to the reply's uncached input (cache reads do not count). The
 * headers say each bucket's limit, remaining level and when it would be full again. A limit of 0 is no limit.
 * Thread-safe.
 */
final class RateLimitBuckets {
    private final Clock clock;
    private final Bucket requests;
    private final Bucket input;
    private final Bucket output;

    RateLimitBuckets(Clock clock, long requestsPerWindow, long inputTokensPerWindow, long outputTokensPerWindow, Duration window) {
        this.clock = clock;
        Instant now = clock.instant();
        this.requests = new Bucket("requests", requestsPerWindow, window, now);
        this.input = new Bucket("input-tokens", inputTokensPerWindow, window, now);
        this.output = new Bucket("output-tokens", outputTokensPerWindow, window, now);
    }

    /** What an admitted call was charged, to be settled when it ends. */
    record Charge(long inputTokens, long maxTokens) {}

    /** Either the call's charge, or how long until it would fit (the 429's retry-after). */
    record Admission(Charge charge, Duration retryAfter, String limitName) {
        boolean admitted() { return charge != null; }
    }

    synchronized Admission admit(long estimatedInputTokens, long maxTokens) {
        Instant now = clock.instant();
        Duration wait = Duration.ZERO;
        String binding = null;
        for (Object[] need : new Object[][] {{requests, 1L}, {input, estimatedInputTokens}, {output, maxTokens}}) {
            Bucket b = (Bucket) need[0];
            Duration w = b.waitFor((Long) need[1], now);
            if (w.compareTo(wait) > 0) {
                wait = w;
                binding = b.name;
            }
        }
        if (!wait.isZero()) return new Admission(null, wait, binding);
        requests.take(1, now);
        input.take(estimatedInputTokens, now);
        output.take(maxTokens, now);
        return new Admission(new Charge(estimatedInputTokens, maxTokens), Duration.ZERO, null);
    }

    /** The call ended having used these tokens (all of max_tokens back when it failed: pass 0 output). */
    synchronized void settle(Charge charge, long uncachedInputTokens, long outputTokens) {
        Instant now = clock.instant();
        input.take(uncachedInputTokens - charge.inputTokens(), now);
        output.take(Math.min(outputTokens, charge.maxTokens()) - charge.maxTokens(), now);
    }

    synchronized Map<String, String> anthropicHeaders() {
        Instant now = clock.instant();
        Map<String, String> h = new LinkedHashMap<>();
        for (Bucket b : new Bucket[] {requests, input, output}) b.headers(now, h);
        return h;
    }

    /** Requests only, as OpenAI names them ({@code x-ratelimit-*-requests}, reset as a duration). */
    synchronized Map<String, String> openAiHeaders() {
        Instant now = clock.instant();
        Map<String, String> h = new LinkedHashMap<>();
        if (requests.limit <= 0) return h;
        requests.refill(now);
        h.put("x-ratelimit-limit-requests", Long.toString(requests.limit));
        h.put("x-ratelimit-remaining-requests", Long.toString((long) Math.floor(Math.max(0, requests.level))));
        h.put("x-ratelimit-reset-requests", requests.untilFull().toMillis() + "ms");
        return h;
    }

    private static final class Bucket {
        final String name;
        final long limit;
        final double perMilli;
        double level;
        Instant at;

        Bucket(String name, long limit, Duration window, Instant now) {
            this.name = name;
            this.limit = limit;
            this.perMilli = limit <= 0 ? 0 : (double) limit / Math.max(1, window.toMillis());
            this.level = limit;
            this.at = now;
        }

        void refill(Instant now) {
            if (limit <= 0) return;
            long elapsed = Math.max(0, Duration.between(at, now).toMillis());
            level = Math.min(limit, level + elapsed * perMilli);
            at = now.isAfter(at) ? now : at;
        }

        Duration waitFor(long amount, Instant now) {
            if (limit <= 0 || amount <= 0) return Duration.ZERO;
            refill(now);
            double needed = Math.min(amount, limit);
            if (level >= needed) return Duration.ZERO;
            return Duration.ofMillis((long) Math.ceil((needed - level) / perMilli));
        }

        /** Takes (or, negative, gives back) tokens; a correction may leave the level below zero for a while. */
        void take(long amount, Instant now) {
            if (limit <= 0 || amount == 0) return;
            refill(now);
            level = Math.min(limit, level - amount);
        }

        Duration untilFull() {
            return Duration.ofMillis((long) Math.ceil((limit - level) / perMilli));
        }

        void headers(Instant now, Map<String, String> h) {
            if (limit <= 0) return;
            refill(now);
            String prefix = "anthropic-ratelimit-" + name + "-";
            h.put(prefix + "limit", Long.toString(limit));
            h.put(prefix + "remaining", Long.toString((long) Math.floor(Math.max(0, level))));
            h.put(prefix + "reset", now.plus(untilFull()).truncatedTo(ChronoUnit.MILLIS).toString());
        }
    }
}
