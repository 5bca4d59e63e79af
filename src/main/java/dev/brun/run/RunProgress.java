package dev.brun.run;

/**
 * A snapshot of a running generation, for progress bars and the web page. rateLimitWaitShare is the share
 * (0 to 1) of the workers' time spent waiting for the provider's rate limit before sending: why a run goes
 * slower than its concurrency would allow. callsInFlight and oldestCallMillis show a provider that stops answering.
 */
public record RunProgress(int total, int done, int failed, double spentUsd, long retries, long rateLimited,
                          double cacheHitRate, long elapsedMillis, double rateLimitWaitShare, int callsInFlight,
                          long oldestCallMillis) {
    public RunProgress(int total, int done, int failed, double spentUsd, long retries, long rateLimited,
                       double cacheHitRate, long elapsedMillis, double rateLimitWaitShare) {
        this(total, done, failed, spentUsd, retries, rateLimited, cacheHitRate, elapsedMillis, rateLimitWaitShare, 0, 0);
    }

    public int finished() { return done + failed; }

    /** Conversations per second so far. */
    public double rate() { return elapsedMillis == 0 ? 0 : finished() * 1000.0 / elapsedMillis; }

    /** Seconds left at the current rate; -1 when unknown. */
    public long etaSeconds() {
        double r = rate();
        return r <= 0 ? -1 : Math.round((total - finished()) / r);
    }
}
