package dev.brun.llm;

import java.util.concurrent.atomic.LongAdder;

/** Live counters of one client, read by the progress bar while calls are running. */
public final class ClientStats {
    private final LongAdder calls = new LongAdder();
    private final LongAdder attempts = new LongAdder();
    private final LongAdder retries = new LongAdder();
    private final LongAdder rateLimited = new LongAdder();
    private final LongAdder overloaded = new LongAdder();
    private final LongAdder failures = new LongAdder();
    private final LongAdder pacedMillis = new LongAdder();

    /** A consistent-enough copy of the counters. */
    public record Snapshot(long calls, long attempts, long retries, long rateLimited, long overloaded,
                           long failures, long pacedMillis) {}

    void callStarted() { calls.increment(); }
    void attemptMade() { attempts.increment(); }
    void retried() { retries.increment(); }
    void failedFor(LlmException.Kind kind) {
        if (kind == LlmException.Kind.RATE_LIMITED) rateLimited.increment();
        if (kind == LlmException.Kind.OVERLOADED) overloaded.increment();
    }
    void callFailed() { failures.increment(); }
    void paced(long millis) { pacedMillis.add(millis); }

    public Snapshot snapshot() {
        return new Snapshot(calls.sum(), attempts.sum(), retries.sum(), rateLimited.sum(), overloaded.sum(),
                failures.sum(), pacedMillis.sum());
    }

    public long retries() { return retries.sum(); }

    public long rateLimited() { return rateLimited.sum(); }
}
