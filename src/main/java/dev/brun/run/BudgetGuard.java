package dev.brun.run;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;

/**
 * A hard spending cap. Before a call starts, its worst case (every prompt token at the cache-write price
 * plus max_tokens of output) is reserved; when the call returns, the reservation is replaced by the real
 * cost. No call starts whose worst case could take spend + reservations past the cap, so the cap holds
 * under any concurrency.
 *
 * <p>A call that does not fit while others are in flight waits for them to settle rather than giving up:
 * real costs are usually a fraction of the worst case, so the room the settled calls leave is often enough.
 * Only a call that cannot fit with nothing in flight ends the run, so a run does not stop with budget unused.
 */
public final class BudgetGuard {
    private static final double EPSILON = 1e-12;

    private final double capUsd;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition settled = lock.newCondition();
    private double spent;
    private double reserved;
    private int outstanding;

    /** @param capUsd the cap in dollars; {@code Double.POSITIVE_INFINITY} for none. */
    public BudgetGuard(double capUsd, double alreadySpent) {
        this.capUsd = capUsd;
        this.spent = alreadySpent;
    }

    /** Reserves worstCase if it fits now; never waits. */
    public boolean tryReserve(double worstCase) {
        lock.lock();
        try {
            if (!fits(worstCase)) return false;
            take(worstCase);
            return true;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Reserves worstCase, waiting while it does not fit but other reservations are outstanding. False when it
     * cannot fit even with nothing else in flight, when {@code giveUp} turns true (the run is stopping), or
     * when the thread is interrupted.
     */
    public boolean reserve(double worstCase, BooleanSupplier giveUp) {
        lock.lock();
        try {
            while (!fits(worstCase)) {
                if (outstanding == 0 || giveUp.getAsBoolean()) return false;
                // a timed wait, so that a stop requested elsewhere is noticed without a signal from here
                settled.await(100, TimeUnit.MILLISECONDS);
            }
            take(worstCase);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } finally {
            lock.unlock();
        }
    }

    /** Replaces a reservation by what the call really cost (0 when it was not billed). */
    public void settle(double reservation, double actualCost) {
        lock.lock();
        try {
            reserved = Math.max(0, reserved - reservation);
            outstanding = Math.max(0, outstanding - 1);
            if (outstanding == 0) reserved = 0; // no drift from floating-point subtraction
            spent += actualCost;
            settled.signalAll();
        } finally {
            lock.unlock();
        }
    }

    public double spent() {
        lock.lock();
        try {
            return spent;
        } finally {
            lock.unlock();
        }
    }

    public double reserved() {
        lock.lock();
        try {
            return reserved;
        } finally {
            lock.unlock();
        }
    }

    public double cap() { return capUsd; }
    public boolean capped() { return !Double.isInfinite(capUsd); }

    private boolean fits(double worstCase) { return spent + reserved + worstCase <= capUsd + EPSILON; }

    private void take(double worstCase) {
        reserved += worstCase;
        outstanding++;
    }
}
