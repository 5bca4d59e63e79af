package dev.brun.llm;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CancellationException;
import java.util.function.BooleanSupplier;

/**
 * Paces calls from the provider's own rate-limit headers so that 429s barely happen. Before a call it
 * reserves one request and the call's expected tokens against what the latest reply said was remaining,
 * minus what calls still in flight have reserved (headers cannot know about calls that have not arrived
 * yet), and waits for the window's reset when the call does not fit. A window whose reset has passed
 * counts as full once, until fresh headers arrive. Thread-safe.
 *
 * <p>Usage: {@link #reserve} before the call, {@link #release} when it has ended (success or not), then
 * {@link #observe} with the reply's headers.
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
        return reserve(expectedInputTokens, expectedOutputTokens, () -> false);
    }

    /**
     * As {@link #reserve(long, long)}, giving up while it waits once {@code stop} says so.
     *
     * @throws CancellationException when stop turned true before the call fitted (nothing is reserved)
     */
    public Duration reserve(long expectedInputTokens, long expectedOutputTokens, BooleanSupplier stop) {
        Duration waited = Duration.ZERO;
        while (true) {
            if (stop.getAsBoolean()) throw new CancellationException("stopped while waiting for the rate limit");
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

    /** Gives back a reservation once its call has ended; the provider's next headers account for it. */
    public synchronized void release(long expectedInputTokens, long expectedOutputTokens) {
        requests.giveBack(1);
        tokens.giveBack(expectedInputTokens + expectedOutputTokens);
        inputTokens.giveBack(expectedInputTokens);
        outputTokens.giveBack(expectedOutputTokens);
    }

    /** Takes the limits a reply reported; reports older than the newest seen are ignored. */
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
        private long remaining;
        private long inFlight;
        /** When the window refills; null once it has refilled and no newer headers have arrived. */
        private Instant reset;
        private Duration span = MAX_STEP;

        void update(RateLimitSnapshot.Window window, Instant observedAt) {
            if (window == null) return;
            known = true;
            limit = window.limit();
            remaining = window.remaining();
            reset = window.reset() == null ? observedAt : window.reset();
            Duration untilReset = Duration.between(observedAt, reset);
            if (untilReset.compareTo(Duration.ofMillis(10)) > 0) span = untilReset.compareTo(MAX_STEP) > 0 ? MAX_STEP : untilReset;
        }

        Duration waitFor(long amount, Instant now) {
            if (!known || amount <= 0) return Duration.ZERO;
            if (reset != null && !now.isBefore(reset)) {
                // Refilled once; the next reply's headers say how it goes on. Refilling again on a guessed
                // period would let through a burst that the provider answers with 429s.
                remaining = limit;
                reset = null;
            }
            long needed = limit > 0 ? Math.min(amount, limit) : amount;
            // a call larger than the whole window needs only a full window, or it would wait forever
            if (remaining - inFlight >= needed) return Duration.ZERO;
            return reset == null ? span : Duration.between(now, reset).plusMillis(1);
        }

        void take(long amount) { inFlight += amount; }

        void giveBack(long amount) { inFlight = Math.max(0, inFlight - amount); }
    }
}
