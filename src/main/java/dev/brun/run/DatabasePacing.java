package dev.brun.run;

import dev.brun.llm.PacingState;
import dev.brun.llm.RateLimitSnapshot;
import dev.brun.store.PacingDao;
import dev.brun.store.PacingRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Pacing state in the project's database, shared by every process that generates for the project against the
 * same provider endpoint: each paces from the newest headers any of them received, minus every call any of them
 * reserved since. Several processes on one key then pace as one would. When the database cannot be reached the
 * process paces on its own (what it knows in memory) until it can again: the run's own handling of a database
 * that went away decides what happens to the run.
 */
public final class DatabasePacing implements PacingState {
    private static final Logger LOG = LoggerFactory.getLogger(DatabasePacing.class);

    private final PacingDao dao;
    private final String scope;
    private final String owner;
    private final Clock clock;
    private final Duration longestCall;
    private final PacingState fallback;
    private volatile boolean warned;
    /** Whether any headers were seen, here or (read from the database) by another process. */
    private volatile boolean headersSeen;
    /** Calls ended here while no headers had been seen: a provider that sends none cannot be paced at all. */
    private final java.util.concurrent.atomic.AtomicInteger endedWithoutHeaders = new java.util.concurrent.atomic.AtomicInteger();
    /** Calls of this process recorded in the database and not ended yet. */
    private final java.util.concurrent.atomic.AtomicInteger recorded = new java.util.concurrent.atomic.AtomicInteger();

    /**
     * @param scope       the provider endpoint whose limits these are (never the key: it is not stored anywhere)
     * @param owner       this process, so that it removes only its own calls
     * @param longestCall how long a call can last at most: older reservations belong to processes that are gone
     */
    public DatabasePacing(PacingDao dao, String scope, String owner, Clock clock, Duration longestCall, PacingState fallback) {
        this.dao = dao;
        this.scope = scope;
        this.owner = owner;
        this.clock = clock;
        this.longestCall = longestCall;
        this.fallback = fallback;
    }

    @Override
    public Duration reserveIf(Call call, Function<View, Duration> decide) {
        // A provider that answered without rate-limit headers (a local OpenAI-compatible server, the simulator)
        // gives nothing to pace by: no database traffic per call for it.
        if (!headersSeen && endedWithoutHeaders.get() > 0) return fallback.reserveIf(call, decide);
        long since = clock.millis() - longestCall.toMillis();
        try {
            // judged first without the lock: waiting calls must not queue write transactions ahead of stored replies
            PacingRecord seen = dao.read(scope, since);
            if (seen.newest() != null) headersSeen = true;
            Duration unlocked = decide.apply(view(seen));
            if (!unlocked.isZero()) return unlocked;
            PacingRecord.Call row = new PacingRecord.Call(call.inputTokens(), call.outputTokens(), call.reservedAt().toEpochMilli());
            long waited = dao.reserveIf(scope, owner, row, since, stored -> decide.apply(view(stored)).toMillis());
            if (waited == 0) recorded.incrementAndGet();
            return Duration.ofMillis(waited);
        } catch (RuntimeException e) {
            unreachable(e);
            return fallback.reserveIf(call, decide);
        }
    }

    @Override
    public void end(long inputTokens, long outputTokens, RateLimitSnapshot observed) {
        fallback.end(inputTokens, outputTokens, observed);
        PacingRecord.Limits limits = limits(observed);
        if (limits != null) headersSeen = true;
        else if (!headersSeen) endedWithoutHeaders.incrementAndGet();
        boolean ownRow = recorded.getAndUpdate(n -> Math.max(0, n - 1)) > 0;
        if (limits == null && !ownRow) return;
        try {
            dao.end(scope, owner, inputTokens, outputTokens, ownRow, limits);
        } catch (RuntimeException e) {
            unreachable(e);
        }
    }

    @Override
    public void observe(RateLimitSnapshot observed) {
        fallback.observe(observed);
        PacingRecord.Limits limits = limits(observed);
        if (limits == null) return;
        headersSeen = true;
        try {
            dao.end(scope, owner, 0, 0, false, limits);
        } catch (RuntimeException e) {
            unreachable(e);
        }
    }

    private void unreachable(RuntimeException e) {
        if (warned) return;
        warned = true;
        LOG.warn("shared rate-limit pacing is unavailable ({}); this process paces on its own", e.getMessage());
    }

    private static View view(PacingRecord stored) {
        List<Call> calls = new ArrayList<>(stored.calls().size());
        for (PacingRecord.Call c : stored.calls())
            calls.add(new Call(c.inputTokens(), c.outputTokens(), Instant.ofEpochMilli(c.reservedAtMillis())));
        PacingRecord.Limits l = stored.newest();
        if (l == null) return new View(null, 0, calls, true);
        RateLimitSnapshot newest = new RateLimitSnapshot(window(l.requests()), window(l.tokens()), window(l.input()),
                window(l.output()), Instant.ofEpochMilli(l.observedAtMillis()));
        return new View(newest, l.observations(), calls, true);
    }

    private static RateLimitSnapshot.Window window(PacingRecord.Window w) {
        if (w == null) return null;
        return new RateLimitSnapshot.Window(w.limit(), w.remaining(), w.resetMillis() == null ? null : Instant.ofEpochMilli(w.resetMillis()));
    }

    private static PacingRecord.Limits limits(RateLimitSnapshot s) {
        if (s == null || s.isEmpty()) return null;
        return new PacingRecord.Limits(s.observedAt().toEpochMilli(), 1, window(s.requests()), window(s.tokens()),
                window(s.inputTokens()), window(s.outputTokens()));
    }

    private static PacingRecord.Window window(RateLimitSnapshot.Window w) {
        if (w == null) return null;
        return new PacingRecord.Window(w.limit(), w.remaining(), w.reset() == null ? null : w.reset().toEpochMilli());
    }
}
