package dev.brun.run;

/**
 * A hard spending cap. Before a call starts, its worst case (every prompt token at the cache-write price
 * plus max_tokens of output) is reserved; when the call returns, the reservation is replaced by the real
 * cost. No call starts whose worst case could take spend + reservations past the cap, so the cap holds
 * under any concurrency.
 */
public final class BudgetGuard {
    private final double capUsd;
    private double spent;
    private double reserved;

    /** @param capUsd the cap in dollars; {@code Double.POSITIVE_INFINITY} for none. */
    public BudgetGuard(double capUsd, double alreadySpent) {
        this.capUsd = capUsd;
        this.spent = alreadySpent;
    }

    public synchronized boolean tryReserve(double worstCase) {
        if (spent + reserved + worstCase > capUsd + 1e-12) return false;
        reserved += worstCase;
        return true;
    }

    /** Replaces a reservation by what the call really cost (0 when it was not billed). */
    public synchronized void settle(double reservation, double actualCost) {
        reserved = Math.max(0, reserved - reservation);
        spent += actualCost;
    }

    public synchronized double spent() { return spent; }
    public synchronized double reserved() { return reserved; }
    public double cap() { return capUsd; }
    public boolean capped() { return !Double.isInfinite(capUsd); }
}
