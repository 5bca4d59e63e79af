package dev.brun.llm;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.function.BooleanSupplier;

/**
 * Paces calls from the provider's own rate-limit headers so that 429s barely happen. Each limit is a token
 * bucket refilled continuously, as Anthropic's are: the headers give its size ({@code limit}), its level
 * ({@code remaining}) and when it would be full again ({@code reset}), hence its refill rate. Before a call
 * the pacer projects the level of every bucket to now, subtracts what its own calls have reserved since the
 * provider last counted (a reply's headers already include every call that reached the provider before it),
 * and waits until one request and the call's tokens fit. The output-token bucket is charged with max_tokens
 * when a call starts, as the provider does, and gets the unused part back with the call's reply. Thread-safe.
 *
 * <p>Usage: {@link #reserve} before the call, {@link #release} when it has ended (success or not), then
 * {@link #observe} with the reply's headers.
 */
public final class Pacer {
    private static final Duration MAX_STEP = Duration.ofSeconds(1);
    private static final Duration PROBE_STEP = Duration.ofMillis(20);
    private static final int RAMP = 32;
    static final Duration STALE = Duration.ofSeconds(10);
    /** How often a call waiting for the headers of calls in flight looks again. */
    private static final Duration HEADER_POLL = Duration.ofMillis(20);
    /**
     * How long before a reply's headers a call of ours may have been sent and still not be counted in them
     * (upload and network time): such calls are still subtracted locally. Longer only costs a little pace.
     */
    static final Duration UNCOUNTED_GRACE = Duration.ofMillis(250);
    /** The provider's limits are per minute; the headers' reset says how fast a bucket refills when it can. */
    private static final Duration NOMINAL_REFILL = Duration.ofMinutes(1);

    private final Clock clock;
    private final Sleeper sleeper;
    private final Bucket requests = new Bucket();
    private final Bucket tokens = new Bucket();
    private final Bucket inputTokens = new Bucket();
    private final Bucket outputTokens = new Bucket();
    private Instant latestObservation = Instant.EPOCH;
    private int callsInFlight;
    private int observations;
    private boolean anyCallEnded;

    public Pacer(Clock clock, Sleeper sleeper) {
        this.clock = clock;
        this.sleeper = sleeper;
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
            Duration wait;
            synchronized (this) {
                Instant now = clock.instant();
                // Until the first reply says what the limits are, one call goes alone, and then one more call may be
                // out for every reply seen, up to RAMP: several processes starting at once would otherwise each send
                // a burst on headers that cannot show the others' bursts yet. A provider without headers is unpaced
                // after its first call.
                boolean probing = observations == 0 ? !anyCallEnded && callsInFlight > 0
                        : observations < RAMP && callsInFlight > observations;
                // While calls of ours are out, their replies will bring fresh headers soon: wait for those rather than
                // project the refill, which other processes on the same key may be taking (they are invisible here).
                // (A call that hangs must not hold the others: after STALE without headers, project anyway.)
                boolean project = callsInFlight == 0 || !now.isBefore(latestObservation.plus(STALE));
                wait = probing ? PROBE_STEP : max(max(requests.waitFor(1, now, project), tokens.waitFor(expectedInputTokens + expectedOutputTokens, now, project)),
                        max(inputTokens.waitFor(expectedInputTokens, now, project), outputTokens.waitFor(expectedOutputTokens, now, project)));
                if (wait.isZero()) {
                    callsInFlight++;
                    requests.take(1, now);
                    tokens.take(expectedInputTokens + expectedOutputTokens, now);
                    inputTokens.take(expectedInputTokens, now);
                    outputTokens.take(expectedOutputTokens, now);
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
        callsInFlight = Math.max(0, callsInFlight - 1);
        anyCallEnded = true;
        requests.giveBack(1);
        tokens.giveBack(expectedInputTokens + expectedOutputTokens);
        inputTokens.giveBack(expectedInputTokens);
        outputTokens.giveBack(expectedOutputTokens);
    }

    /** Takes the limits a reply reported; reports older than the newest seen are ignored. */
    public synchronized void observe(RateLimitSnapshot snapshot) {
        if (snapshot == null || snapshot.isEmpty() || snapshot.observedAt().isBefore(latestObservation)) return;
        latestObservation = snapshot.observedAt();
        observations++;
        requests.update(snapshot.requests(), snapshot.observedAt());
        tokens.update(snapshot.tokens(), snapshot.observedAt());
        inputTokens.update(snapshot.inputTokens(), snapshot.observedAt());
        outputTokens.update(snapshot.outputTokens(), snapshot.observedAt());
    }

    private static Duration max(Duration a, Duration b) { return a.compareTo(b) >= 0 ? a : b; }

    /** One limit as a token bucket, as far as the latest headers and our own reservations tell. Guarded by the Pacer's lock. */
    private static final class Bucket {
        private record Reservation(long amount, Instant at) {}

        private boolean known;
        private long limit;
        /** The level the latest headers reported, at {@link #observedAt}. */
        private long level;
        private Instant observedAt;
        /** Refill per millisecond; 0 while no headers have said. */
        private double perMilli;
        private final List<Reservation> live = new ArrayList<>();

        void update(RateLimitSnapshot.Window window, Instant at) {
            if (window == null) return;
            known = true;
            limit = window.limit();
            level = window.remaining();
            observedAt = at;
            long deficit = limit - level;
            long untilFull = window.reset() == null ? 0 : Duration.between(at, window.reset()).toMillis();
            // a reset closer than 100 ms says little about the rate (rounding); keep the rate we had
            if (deficit > 0 && untilFull >= 100) perMilli = (double) deficit / untilFull;
            else if (perMilli == 0 && limit > 0) perMilli = (double) limit / NOMINAL_REFILL.toMillis();
        }

        Duration waitFor(long amount, Instant now, boolean projectRefill) {
            if (!known || amount <= 0) return Duration.ZERO;
            // a call larger than the whole bucket needs only a full bucket, or it would wait forever
            long needed = limit > 0 ? Math.min(amount, limit) : amount;
            double available = (projectRefill ? projected(now) : level) - uncounted();
            if (available >= needed) return Duration.ZERO;
            if (!projectRefill) return HEADER_POLL;
            if (perMilli <= 0) return MAX_STEP;
            return Duration.ofMillis((long) Math.ceil((needed - available) / perMilli) + 1);
        }

        /** The bucket's level now: the reported level plus what has flowed in since, never above its size. */
        private double projected(Instant now) {
            long elapsed = Math.max(0, Duration.between(observedAt, now).toMillis());
            return Math.min(limit, level + elapsed * perMilli);
        }

        /** Our calls that the latest headers may not have counted yet: sent after (or just before) they were written. */
        private long uncounted() {
            Instant counted = observedAt.minus(UNCOUNTED_GRACE);
            long sum = 0;
            for (Reservation r : live) if (!r.at().isBefore(counted)) sum += r.amount();
            return sum;
        }

        void take(long amount, Instant now) {
            if (amount > 0) live.add(new Reservation(amount, now));
        }

        void giveBack(long amount) {
            if (amount <= 0) return;
            // calls of one size are interchangeable here; the oldest one of this size has most likely ended
            for (int i = 0; i < live.size(); i++) {
                if (live.get(i).amount() == amount) {
                    live.remove(i);
                    return;
                }
            }
        }
    }
}
