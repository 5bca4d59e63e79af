package dev.brun.llm;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CancellationException;
import java.util.function.BooleanSupplier;

/**
 * Paces calls from the provider's own rate-limit headers so that 429s barely happen. Each limit is a token
 * bucket refilled continuously, as Anthropic's are: the headers give its size ({@code limit}), its level
 * ({@code remaining}) and when it would be full again ({@code reset}), hence its refill rate. Before a call
 * the pacer projects the level of every bucket to now, subtracts the calls reserved since the provider last
 * counted (a reply's headers already include every call that reached the provider before it), and waits
 * until one request and the call's tokens fit. The output-token bucket is charged with max_tokens when a call
 * starts, as the provider does, and gets the unused part back with the call's reply. Thread-safe.
 *
 * <p>What it knows lives in a {@link PacingState}: this process's memory, or the project's database when
 * several processes share one key, so that each sees the others' calls and the newest headers any of them got.
 *
 * <p>Usage: {@link #reserve} before the call, then {@link #end} with the reply's headers (success or not).
 */
public final class Pacer {
    private static final Duration MAX_STEP = Duration.ofSeconds(1);
    private static final Duration PROBE_STEP = Duration.ofMillis(20);
    private static final int RAMP = 32;
    static final Duration STALE = Duration.ofSeconds(10);
    /** How often a call waiting for the headers of calls in flight looks again. */
    private static final Duration HEADER_POLL = Duration.ofMillis(20);
    /**
     * How long before a reply's headers a call may have been sent and still not be counted in them (upload and
     * network time): such calls are still subtracted. Longer only costs a little pace.
     */
    static final Duration UNCOUNTED_GRACE = Duration.ofMillis(250);
    /** The provider's limits are per minute; the headers' reset says how fast a bucket refills when it can. */
    private static final Duration NOMINAL_REFILL = Duration.ofMinutes(1);

    private final Clock clock;
    private final Sleeper sleeper;
    private final PacingState state;
    private volatile boolean anyCallEnded;

    public Pacer(Clock clock, Sleeper sleeper) {
        this(clock, sleeper, new LocalPacingState());
    }

    public Pacer(Clock clock, Sleeper sleeper, PacingState state) {
        this.clock = clock;
        this.sleeper = sleeper;
        this.state = state;
    }

    /**
     * Blocks until one more call with these token counts fits the known limits, then reserves it.
     *
     * @param expectedOutputTokens the call's max_tokens: what the provider charges when the call starts
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
            Instant now = clock.instant();
            Duration wait = state.reserveIf(new PacingState.Call(expectedInputTokens, expectedOutputTokens, now),
                    view -> waitFor(view, expectedInputTokens, expectedOutputTokens, now));
            if (wait.isZero()) return waited;
            // Sleep in steps so that fresher headers from other calls can shorten the wait.
            Duration step = wait.compareTo(MAX_STEP) > 0 ? MAX_STEP : wait;
            sleeper.sleep(step);
            waited = waited.plus(step);
        }
    }

    /** A reserved call has ended (success or not), with the headers its reply brought (null when none). */
    public void end(long expectedInputTokens, long expectedOutputTokens, RateLimitSnapshot observed) {
        anyCallEnded = true;
        state.end(expectedInputTokens, expectedOutputTokens, observed);
    }

    /** As {@link #end} without headers. */
    public void release(long expectedInputTokens, long expectedOutputTokens) {
        end(expectedInputTokens, expectedOutputTokens, null);
    }

    /** Takes the limits a reply reported; reports older than the newest seen are ignored. */
    public void observe(RateLimitSnapshot snapshot) {
        state.observe(snapshot);
    }

    private Duration waitFor(PacingState.View view, long input, long output, Instant now) {
        int inFlight = view.calls().size();
        RateLimitSnapshot s = view.newest();
        // Until the first reply says what the limits are, one call goes alone. A provider without headers is
        // unpaced after its first call.
        if (s == null || view.observations() == 0) return !anyCallEnded && inFlight > 0 ? PROBE_STEP : Duration.ZERO;
        // Processes that cannot see each other's calls: one more call may be out for every reply seen, up to RAMP,
        // or several processes starting at once would each send a burst on headers that cannot show the others'.
        if (!view.shared() && view.observations() < RAMP && inFlight > view.observations()) return PROBE_STEP;
        // Without the other processes' calls in view, a projected refill may be theirs: while calls of ours are
        // out, wait for their fresh headers instead (after STALE without any, project anyway: a call may hang).
        boolean project = view.shared() || inFlight == 0 || !now.isBefore(s.observedAt().plus(STALE));
        Instant counted = s.observedAt().minus(UNCOUNTED_GRACE);
        long requests = 0, tokens = 0, inputs = 0, outputs = 0;
        for (PacingState.Call c : view.calls()) {
            if (c.reservedAt().isBefore(counted)) continue;
            requests++;
            tokens += c.inputTokens() + c.outputTokens();
            inputs += c.inputTokens();
            outputs += c.outputTokens();
        }
        Instant at = s.observedAt();
        return max(max(waitFor(s.requests(), at, 1, requests, now, project), waitFor(s.tokens(), at, input + output, tokens, now, project)),
                max(waitFor(s.inputTokens(), at, input, inputs, now, project), waitFor(s.outputTokens(), at, output, outputs, now, project)));
    }

    /**
     * One limit as a token bucket: how long until {@code amount} fits, given the level the headers reported at
     * {@code at}, the refill since (when projecting) and the calls those headers did not count yet.
     */
    private static Duration waitFor(RateLimitSnapshot.Window w, Instant at, long amount, long uncounted, Instant now, boolean project) {
        if (w == null || amount <= 0) return Duration.ZERO;
        // a call larger than the whole bucket needs only a full bucket, or it would wait forever
        long needed = w.limit() > 0 ? Math.min(amount, w.limit()) : amount;
        double perMilli = refillPerMilli(w, at);
        long elapsed = Math.max(0, Duration.between(at, now).toMillis());
        double level = project ? Math.min(w.limit(), w.remaining() + elapsed * perMilli) : w.remaining();
        double available = level - uncounted;
        if (available >= needed) return Duration.ZERO;
        if (!project) return HEADER_POLL;
        if (perMilli <= 0) return MAX_STEP;
        return Duration.ofMillis((long) Math.ceil((needed - available) / perMilli) + 1);
    }

    /** The bucket refills its deficit by the reset; a reset closer than 100 ms says little (rounding): nominal rate. */
    private static double refillPerMilli(RateLimitSnapshot.Window w, Instant at) {
        long deficit = w.limit() - w.remaining();
        long untilFull = w.reset() == null ? 0 : Duration.between(at, w.reset()).toMillis();
        if (deficit > 0 && untilFull >= 100) return (double) deficit / untilFull;
        return w.limit() > 0 ? (double) w.limit() / NOMINAL_REFILL.toMillis() : 0;
    }

    private static Duration max(Duration a, Duration b) { return a.compareTo(b) >= 0 ? a : b; }
}
