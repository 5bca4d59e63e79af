package dev.brun.llm;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A semaphore whose size follows the provider: until the first 429 each success adds one (slow start: the size
 * doubles every round of calls, so a run under a token limit reaches the concurrency its pacer allows within a
 * few calls' latency rather than minutes); after it, AIMD: each success adds 1/limit (about +1 per round), each
 * 429 halves it, at most once per cool-down so that one burst of 429s counts as one signal. The pacer, not this
 * size, keeps calls inside the provider's limits.
 * A fixed instance never changes its size ({@code --concurrency N}); an adaptive one is {@code --concurrency auto}.
 */
public final class AdaptiveConcurrency {
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition freed = lock.newCondition();
    private final int min;
    private final int max;
    private final boolean adaptive;
    private final Clock clock;
    private final Duration coolDown;
    private double limit;
    private int inFlight;
    private Instant lastDecrease = Instant.MIN;
    private boolean everRateLimited;

    private AdaptiveConcurrency(int initial, int min, int max, boolean adaptive, Clock clock, Duration coolDown) {
        if (min < 1 || max < min || initial < min || initial > max)
            throw new IllegalArgumentException("concurrency needs 1 <= min <= initial <= max, got " + min + ", " + initial + ", " + max);
        this.min = min;
        this.max = max;
        this.limit = initial;
        this.adaptive = adaptive;
        this.clock = clock;
        this.coolDown = coolDown;
    }

    public static AdaptiveConcurrency fixed(int permits) {
        return new AdaptiveConcurrency(permits, permits, permits, false, Clock.systemUTC(), Duration.ZERO);
    }

    public static AdaptiveConcurrency adaptive(int initial, int min, int max, Clock clock, Duration coolDown) {
        return new AdaptiveConcurrency(initial, min, max, true, clock, coolDown);
    }

    /** {@code --concurrency auto}: start at 4, between 1 and 64, one halving per second at most. */
    public static AdaptiveConcurrency auto() {
        return adaptive(4, 1, 64, Clock.systemUTC(), Duration.ofSeconds(1));
    }

    /** A held slot; closing it frees the slot. */
    public interface Permit extends AutoCloseable {
        @Override void close();
    }

    /** Blocks until a slot is free under the current limit. */
    public Permit acquire() {
        lock.lock();
        try {
            while (inFlight >= currentLimit()) freed.await();
            inFlight++;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LlmException(LlmException.Kind.NETWORK, 0, "interrupted while waiting for a call slot", "", null, null, 0, e);
        } finally {
            lock.unlock();
        }
        return new Permit() {
            private boolean closed;

            @Override public void close() {
                lock.lock();
                try {
                    if (closed) return;
                    closed = true;
                    inFlight--;
                    freed.signalAll();
                } finally {
                    lock.unlock();
                }
            }
        };
    }

    public void onSuccess() {
        if (!adaptive) return;
        lock.lock();
        try {
            limit = Math.min(max, everRateLimited ? limit + 1.0 / limit : limit + 1);
            freed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    public void onRateLimited() {
        if (!adaptive) return;
        lock.lock();
        try {
            Instant now = clock.instant();
            if (lastDecrease != Instant.MIN && Duration.between(lastDecrease, now).compareTo(coolDown) < 0) return;
            lastDecrease = now;
            everRateLimited = true;
            limit = Math.max(min, Math.floor(limit / 2));
        } finally {
            lock.unlock();
        }
    }

    /** The whole number of calls allowed at once now. */
    public int currentLimit() {
        lock.lock();
        try {
            return (int) Math.floor(limit);
        } finally {
            lock.unlock();
        }
    }

    public int inFlight() {
        lock.lock();
        try {
            return inFlight;
        } finally {
            lock.unlock();
        }
    }

    public boolean isAdaptive() { return adaptive; }
}
