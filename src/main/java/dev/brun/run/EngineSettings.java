package dev.brun.run;

import dev.brun.pack.Phase;

import java.time.Duration;

/**
 * How one generation run behaves.
 *
 * @param phase     only units of this phase; null = every phase
 * @param limit     at most this many units this run; {@code Integer.MAX_VALUE} = all pending
 * @param budgetUsd hard cap on total project spend in dollars (infinity = none)
 * @param workers   virtual threads claiming units; the client's concurrency limit gates the calls themselves
 * @param lease     how long a claimed unit stays with this run before another may take it
 * @param primeCache send the first call alone so the cached prefix is written once before the others read it
 * @param primeDeadline how long that first call holds the others back: a hung call must not hold the run
 * @param spread    claim units spread over persona x arc cells and topics (a trial sample) instead of in plan order
 */
public record EngineSettings(Phase phase, int limit, double budgetUsd, int workers, Duration lease, boolean primeCache,
                             Duration primeDeadline, boolean spread) {
    public static EngineSettings defaults() {
        return new EngineSettings(null, Integer.MAX_VALUE, Double.POSITIVE_INFINITY, 64, Duration.ofMinutes(10), true,
                dev.brun.llm.CallTimeouts.DEFAULTS.cachePriming());
    }

    public EngineSettings(Phase phase, int limit, double budgetUsd, int workers, Duration lease, boolean primeCache) {
        this(phase, limit, budgetUsd, workers, lease, primeCache, dev.brun.llm.CallTimeouts.DEFAULTS.cachePriming());
    }

    public EngineSettings(Phase phase, int limit, double budgetUsd, int workers, Duration lease, boolean primeCache,
                          Duration primeDeadline) {
        this(phase, limit, budgetUsd, workers, lease, primeCache, primeDeadline, false);
    }

    public EngineSettings withPrimeDeadline(Duration d) { return new EngineSettings(phase, limit, budgetUsd, workers, lease, primeCache, d, spread); }

    public EngineSettings withPhase(Phase p) { return new EngineSettings(p, limit, budgetUsd, workers, lease, primeCache, primeDeadline, spread); }
    public EngineSettings withLimit(int n) { return new EngineSettings(phase, n, budgetUsd, workers, lease, primeCache, primeDeadline, spread); }
    public EngineSettings withBudget(double usd) { return new EngineSettings(phase, limit, usd, workers, lease, primeCache, primeDeadline, spread); }
    public EngineSettings withWorkers(int n) { return new EngineSettings(phase, limit, budgetUsd, n, lease, primeCache, primeDeadline, spread); }
    public EngineSettings withLease(Duration d) { return new EngineSettings(phase, limit, budgetUsd, workers, d, primeCache, primeDeadline, spread); }
    /** A sample of n units spread over the matrix: every persona x arc cell once before any cell twice. */
    public EngineSettings withSample(int n) { return new EngineSettings(phase, n, budgetUsd, workers, lease, primeCache, primeDeadline, true); }
}
