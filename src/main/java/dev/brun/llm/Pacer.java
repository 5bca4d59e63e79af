package dev.brun.llm;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * Paces calls from the provider's own rate-limit headers so that 429s barely happen: before each call it
 * reserves one request and the call's expected tokens against what the last reply said was remaining, and
 * waits for the window's reset when they do not fit. Replies made since the last headers are counted
 * locally, because headers lag behind the calls in flight. A window whose reset time has passed counts
 * as full again. Thread-safe.
 */
public final class Pacer {
    private static final Duration MAX_STEP = Duration.ofSeconds(1);

    private final Clock clock;
    private final Sleeper sleeper;
    private final WindowState requests = new WindowState();
    private final WindowState tokens = new WindowState();
    private final WindowState inputTokens = new WindowState();
    private final WindowState outputTokens = new WindowState();
    private Instant latestObservation = Instant.EPOCH;

    public Pacer(Clock clock, Sleeper sleeper) {
        this.clock = clock;
        this.sleeper = sleeper;
    }

    /**
     * Blocks until one more call with these token counts fits the known limits, then reserves it.
     *
     * @return how long it waited
     */
    public Duration reserve(long expectedInputTokens, long expectedOutputTokens) {
        Duration waited = Duration.ZERO;
        while (true) {
            Duration wait;
            synchronized (this) {
                Instant now = clock.instant();
                wait = max(max(requests.waitFor(1, now), tokens.waitFor(expectedInputTokens + expectedOutputTokens, now)),
                        max(inputTokens.waitFor(expectedInputTokens, now), outputTokens.waitFor(expectedOutputTokens, now)));
                if (wait.isZero()) {
                    requests.take(1);
                    tokens.take(expectedInputTokens + expectedOutputTokens);
                    inputTokens.take(expectedInputTokens);
                    outputTokens.take(expectedOutputTokens);
                    return waited;
                }
            }
            // Sleep in steps so that fresher headers from other calls can shorten the wait.
            Duration step = wait.compareTo(MAX_STEP) > 0 ? MAX_STEP : wait;
            sleeper.sleep(step);
            waited = waited.plus(step);
        }
    }

    /** Takes the limits a reply reported; older reports than the newest seen are ignored. */
    public synchronized void observe(RateLimitSnapshot snapshot) {
        if (snapshot == null || snapshot.isEmpty() || snapshot.observedAt().isBefore(latestObservation)) return;
        latestObservation = snapshot.observedAt();
        requests.update(snapshot.requests(), snapshot.observedAt());
        tokens.update(snapshot.tokens(), snapshot.observedAt());
        inputTokens.update(snapshot.inputTokens(), snapshot.observedAt());
        outputTokens.update(snapshot.outputTokens(), snapshot.observedAt());
    }

    private static Duration max(Duration a, Duration b) { return a.compareTo(b) >= 0 ? a : b; }

    /** What is left of one window, as far as we know. Guarded by the Pacer's lock. */
    private static final class WindowState {
        private boolean known;
        private long limit;
        private long available;
        private Instant reset = Instant.EPOCH;
        private Duration span = Duration.ofMinutes(1);

        void update(RateLimitSnapshot.Window window, Instant observedAt) {
            if (window == null) return;
            known = true;
            limit = window.limit();
            available = window.remaining();
            reset = window.reset() == null ? observedAt : window.reset();
            Duration untilReset = Duration.between(observedAt, reset);
            if (untilReset.compareTo(Duration.ofMillis(1)) > 0) span = untilReset;
        }

        Duration waitFor(long amount, Instant now) {
            if (!known || amount <= 0) return Duration.ZERO;
            if (!now.isBefore(reset)) {
                available = limit;
                reset = now.plus(span);
            }
            long needed = limit > 0 ? Math.min(amount, limit) : amount;
            if (available >= needed) return Duration.ZERO;
            return Duration.between(now, reset).plusMillis(1);
        }

        void take(long amount) {
            if (known) available -= amount;
        }
    }
}
