package dev.brun.run;

import dev.brun.conversation.Generation;
import dev.brun.llm.GenerationRequest;
import dev.brun.llm.GenerationResult;
import dev.brun.llm.LlmClient;
import dev.brun.llm.LlmException;
import dev.brun.llm.Usage;
import dev.brun.pack.Pack;
import dev.brun.pack.Phase;
import dev.brun.plan.OutputBudget;
import dev.brun.plan.PriceTable;
import dev.brun.prompt.UnitSpec;
import dev.brun.store.Database;
import dev.brun.store.InFlightCall;
import dev.brun.store.LedgerOutcome;
import dev.brun.store.Reservation;
import dev.brun.store.UnitRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

/**
 * Generates the pending units of a project's plan: claims units with a lease, sends one call per unit,
 * checks each reply before storing it, and records every billed call in the spend ledger (a stored
 * conversation and its ledger line in one transaction). Safe to stop at any point: a rerun picks up the
 * units that are still pending and never regenerates a stored one.
 */
public final class GenerationEngine {
    private static final Logger LOG = LoggerFactory.getLogger(GenerationEngine.class);

    private final Database db;
    private final Pack pack;
    private final LlmClient client;
    private final PriceTable prices;
    private final Function<Phase, PhaseCalls> calls;
    private final EngineSettings settings;
    private final ProgressListener listener;
    private final ConversationHook hook;
    private final ReplyIngest ingest;
    private final OutputLimits outputLimits;
    private final LeaseOwner owner = LeaseOwner.current();

    /** One future per cached prefix (model and static block), completed when its first call has returned. */
    private final Map<String, java.util.concurrent.CompletableFuture<Void>> prefixes = new ConcurrentHashMap<>();
    private final AtomicInteger claimed = new AtomicInteger();
    private final AtomicInteger done = new AtomicInteger();
    private final AtomicInteger failed = new AtomicInteger();
    private final Map<String, Integer> failures = new ConcurrentHashMap<>();
    private final AtomicReference<String> stopReason = new AtomicReference<>();
    private final AtomicReference<Usage> usage = new AtomicReference<>(Usage.ZERO);
    /** When each call now in flight was sent (System.nanoTime), by its in-flight line id: for the progress line. */
    private final Map<Long, Long> callsSentAt = new ConcurrentHashMap<>();
    /** Why the database is taken to be gone (null while it answers), and when that was noticed (System.nanoTime). */
    private final AtomicReference<String> databaseLost = new AtomicReference<>();
    private volatile long databaseLostAt;
    private final AtomicInteger spooled = new AtomicInteger();
    private volatile int storedFromSpool;
    private final ReplySpool spool;
    private volatile double runSpend;
    private volatile int total;
    private volatile int workerCount = 1;
    private volatile long startedAt;

    /** @param calls how each phase's calls are made: model, temperature, prompt builder, cache lifetime */
    public GenerationEngine(Database db, Pack pack, LlmClient client, PriceTable prices, Function<Phase, PhaseCalls> calls,
                            EngineSettings settings, ProgressListener listener, ConversationHook hook) {
        this(db, pack, client, prices, calls, settings, listener, hook, null);
    }

    /**
     * @param spool where replies go that arrive while the database does not answer (null: such replies are lost
     *              and only counted as possibly billed); the next run with the same spool stores them first
     */
    public GenerationEngine(Database db, Pack pack, LlmClient client, PriceTable prices, Function<Phase, PhaseCalls> calls,
                            EngineSettings settings, ProgressListener listener, ConversationHook hook, ReplySpool spool) {
        this.spool = spool;
        this.db = db;
        this.pack = pack;
        this.client = client;
        this.prices = prices;
        this.calls = calls;
        this.settings = settings;
        this.listener = listener;
        this.hook = hook;
        this.ingest = new ReplyIngest(db, pack, client.provider(), hook);
        this.outputLimits = new OutputLimits(db, Clock.systemUTC());
    }

    /** Stops claiming; calls already sent finish and are stored, calls still waiting to be sent give their unit back. */
    public void requestStop() {
        stopReason.compareAndSet(null, "stopped by request");
        client.stopSending();
    }

    public boolean stopping() { return stopReason.get() != null; }

    /** Number of units this run will attempt (known once {@link #run()} has started). */
    public int total() { return total; }

    /** True when the run stopped because the database stopped answering. */
    public boolean databaseLost() { return databaseLost.get() != null; }

    /** Replies kept in the spool by an earlier run that this run stored before starting. */
    public int storedFromSpool() { return storedFromSpool; }

    /** How long a run that lost its database waits for the replies of calls in flight before it gives up on them. */
    static final Duration DATABASE_LOSS_GRACE = Duration.ofSeconds(5);

    public RunSummary run() {
        startedAt = System.currentTimeMillis();
        // before the crash recovery below: the spooled calls' in-flight lines are settled by their stored replies
        storeSpooled();
        reclaimOrphanedLeases();
        String phase = settings.phase() == null ? null : settings.phase().wire();
        int pending = db.units().pending(phase).size();
        total = Math.min(pending, settings.limit());
        List<Thread> threads = new ArrayList<>();
        if (total > 0 && settings.primeCache()) {
            // the first call writes the cache alone, but a hung one must not hold the run: past the deadline the others start
            Thread primer = Thread.ofVirtual().name("brun-worker-prime").start(() -> worker(1));
            threads.add(primer);
            try {
                if (!primer.join(settings.primeDeadline()))
                    LOG.info("the cache-priming call is still running after {} s; starting the others", settings.primeDeadline().toSeconds());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                requestStop();
            }
        }
        int workers = Math.max(1, Math.min(settings.workers(), total));
        workerCount = workers;
        for (int i = 0; i < workers; i++) threads.add(Thread.ofVirtual().name("brun-worker-" + i).start(() -> worker(Integer.MAX_VALUE)));
        for (Thread t : threads) joinWithinDatabaseGrace(t);
        var stats = client.stats().snapshot();
        String why = stopReason.get();
        double projectSpend = Double.NaN;
        if (databaseLost()) {
            int kept = spooled.get();
            why = "the database stopped answering (" + databaseLost.get() + ")"
                    + (kept == 0 ? "" : "; " + kept + " paid repl" + (kept == 1 ? "y is" : "ies are") + " kept in "
                    + spool.file() + " and stored first by the next run, without calling the provider again");
        } else {
            projectSpend = db.ledger().totalSpend();
        }
        return new RunSummary(total, done.get(), failed.get(), new TreeMap<>(failures), runSpend,
                projectSpend, usage.get(), stats.retries(), stats.rateLimited(),
                System.currentTimeMillis() - startedAt, why);
    }

    /**
     * Waits for a worker; once the database is gone, only for a few seconds more (replies arriving meanwhile are
     * spooled), then interrupts it: its call is abandoned and counted as possibly billed by the next run.
     */
    private void joinWithinDatabaseGrace(Thread t) {
        try {
            while (t.isAlive()) {
                if (!databaseLost()) {
                    t.join(200);
                    continue;
                }
                long left = databaseLostAt + DATABASE_LOSS_GRACE.toNanos() - System.nanoTime();
                if (left > 0) {
                    t.join(Duration.ofNanos(left));
                } else {
                    t.interrupt();
                    t.join(Duration.ofSeconds(2));
                    return;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            requestStop();
        }
    }

    /** The database stopped answering: stop claiming and sending; replies still arriving are spooled. */
    private void lose(RuntimeException e) {
        String why = oneLine(e);
        if (databaseLost.compareAndSet(null, why)) {
            databaseLostAt = System.nanoTime();
            stopReason.set("the database stopped answering");
            client.stopSending();
            LOG.debug("database lost", e);
        }
    }

    private static String oneLine(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) root = root.getCause();
        String m = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
        m = m.strip().lines().findFirst().orElse(m);
        return m.length() > 160 ? m.substring(0, 160) + "..." : m;
    }

    /** Stores the replies an earlier run kept while its database was away, then removes the spool. */
    private void storeSpooled() {
        if (spool == null || spool.isEmpty()) return;
        storedFromSpool = spool.storeAll(db, ingest);
        LOG.info("stored {} reply(ies) kept while the database was away", storedFromSpool);
    }

    /** A unit still leased by a process of this host that no longer exists was lost in a crash: take it back. */
    private void reclaimOrphanedLeases() {
        db.units().releaseExpiredLeases();
        // calls a dead process had sent may have been billed: they count, at expected cost, before any new call
        for (String o : db.ledger().inFlightOwners())
            if (LeaseOwner.parse(o).map(LeaseOwner::deadOnThisHost).orElse(false)) {
                int n = db.ledger().markUnconfirmed(o);
                LOG.info("{} call(s) in flight when run {} died are counted as possibly billed", n, o);
            }
        for (UnitRecord u : db.units().leased())
            if (LeaseOwner.parse(u.leaseOwner()).map(LeaseOwner::deadOnThisHost).orElse(false)) {
                db.units().returnToPending(u.key());
                LOG.info("unit {} was leased by a crashed run ({}); returned to pending", u.key(), u.leaseOwner());
            }
    }

    private void worker(int maxUnits) {
        String phase = settings.phase() == null ? null : settings.phase().wire();
        for (int n = 0; n < maxUnits && !stopping(); n++) {
            if (claimed.incrementAndGet() > total) return;
            List<UnitRecord> units;
            try {
                units = settings.spread() ? db.units().claimSpread(owner.id(), 1, settings.lease(), phase)
                        : db.units().claim(owner.id(), 1, settings.lease(), phase);
            } catch (RuntimeException e) {
                if (!Database.unavailable(e)) throw e;
                lose(e);
                return;
            }
            if (units.isEmpty()) return;
            UnitRecord unit = units.getFirst();
            try {
                process(unit, System.nanoTime());
            } catch (RuntimeException e) {
                if (Database.unavailable(e) || databaseLost()) {
                    lose(e);
                    return;
                }
                LOG.error("unit {}: unexpected failure", unit.key(), e);
                fail(unit, "internal_error", e.toString());
            }
            listener.onProgress(progress());
        }
    }

    public RunProgress progress() {
        var stats = client.stats().snapshot();
        long elapsed = System.currentTimeMillis() - startedAt;
        double workerMillis = (double) elapsed * Math.max(1, workerCount);
        long now = System.nanoTime();
        long oldest = callsSentAt.values().stream().mapToLong(t -> (now - t) / 1_000_000).max().orElse(0);
        return new RunProgress(total, done.get(), failed.get(), runSpend, stats.retries(), stats.rateLimited(),
                usage.get().cacheHitRate(), elapsed, workerMillis <= 0 ? 0 : Math.min(1, stats.pacedMillis() / workerMillis),
                callsSentAt.size(), oldest);
    }

    /** Before the call: which seeds the prompt carries, so a later change to one of them reaches this unit's conversation. */
    private void recordLineage(UnitRecord unit, PhaseCalls phaseCalls, UnitSpec spec) {
        List<String> seeds = phaseCalls.seedIds(spec);
        if (!seeds.isEmpty()) db.lineage().recordPrompt(unit.key(), seeds);
    }

    private void process(UnitRecord unit, long claimedAt) {
        // the claim counted the unit's first attempt; retries inside the client and brun's own retries add theirs
        AtomicInteger httpAttempts = new AtomicInteger();
        try {
            process(unit, claimedAt, httpAttempts);
        } finally {
            if (httpAttempts.get() > 1 && !databaseLost()) db.units().addAttempts(unit.key(), httpAttempts.get() - 1);
        }
    }

    private void process(UnitRecord unit, long claimedAt, AtomicInteger httpAttempts) {
        Optional<UnitSpec> found = ingest.spec(unit);
        if (found.isEmpty()) {
            fail(unit, "pack_changed", ReplyIngest.packChangedDetail(unit));
            return;
        }
        UnitSpec spec = found.get();
        Phase phase = spec.phase();
        PhaseCalls phaseCalls = calls.apply(phase);
        String model = phaseCalls.model();
        double temperature = phaseCalls.temperature();
        GenerationRequest request = phaseCalls.request(spec);
        recordLineage(unit, phaseCalls, spec);
        request = request.withMaxTokens(outputLimits.maxTokens(spec.arc()));
        boolean truncationRetried = false;
        boolean repairRetried = false;
        Runnable prefixWritten = awaitPrefix(model + "\n" + request.system().getFirst().text());
        int attemptNo = 0;
        while (true) {
            Attempt attempt;
            try {
                attempt = call(unit, request, claimedAt, ++attemptNo, httpAttempts);
            } finally {
                prefixWritten.run();
            }
            if (attempt == null) return;
            GenerationResult r = attempt.result();
            Generation generation = ingest.generation(model, temperature, r, attempt.cost()).withAttempts(httpAttempts.get());
            if (databaseLost()) {
                // no store to try: every write would wait for a connection that will not come
                keep(unit, model, temperature, attempt, httpAttempts.get());
                return;
            }
            Next next;
            try {
                next = ingestReply(unit, spec, model, r, generation, request, truncationRetried, repairRetried);
            } catch (RuntimeException e) {
                if (!Database.unavailable(e) && !databaseLost()) throw e;
                keep(unit, model, temperature, attempt, httpAttempts.get());
                lose(e);
                return;
            }
            switch (next) {
                case SETTLED -> { return; }
                case ASK_WITH_MORE_TOKENS -> {
                    truncationRetried = true;
                    request = request.withMaxTokens(OutputBudget.retryMaxTokens(request.maxTokens()));
                }
                case ASK_AGAIN -> repairRetried = true;
            }
        }
    }

    /** A paid reply the database cannot take: kept on disk (synced) for the next run, or at least said. */
    private void keep(UnitRecord unit, String model, double temperature, Attempt attempt, int httpAttempts) {
        GenerationResult r = attempt.result();
        GenerationResult counted = new GenerationResult(r.toolInput(), r.text(), r.stopReason(), r.usage(), r.requestId(),
                r.latencyMillis(), httpAttempts, r.rateLimit());
        if (spool == null) {
            LOG.warn("unit {}: the database stopped answering; its paid reply ({}) could not be kept", unit.key(), r.requestId());
            return;
        }
        spool.append(new ReplySpool.Spooled(unit.key(), model, temperature, attempt.cost(), counted));
        spooled.incrementAndGet();
    }

    /** What follows a reply: the unit is settled (stored or failed), or asked again once. */
    private enum Next { SETTLED, ASK_WITH_MORE_TOKENS, ASK_AGAIN }

    /** Stores or charges one reply by its verdict (one truncation retry, one repair retry). */
    private Next ingestReply(UnitRecord unit, UnitSpec spec, String model, GenerationResult r, Generation generation,
                             GenerationRequest request, boolean truncationRetried, boolean repairRetried) {
        long oneHour = r.usage().cacheWrite1hTokens();
        switch (ingest.judge(r, spec, model)) {
            case ReplyIngest.Judgement.Truncated t -> {
                if (!truncationRetried) {
                    ingest.charge(unit, generation, oneHour, false, LedgerOutcome.RETRIED);
                    return Next.ASK_WITH_MORE_TOKENS;
                }
                ingest.charge(unit, generation, oneHour, false, LedgerOutcome.FAILED);
                fail(unit, "truncated", "stopped at max_tokens twice (last limit " + request.maxTokens() + ")");
            }
            case ReplyIngest.Judgement.Refused refused -> {
                ingest.charge(unit, generation, oneHour, false, LedgerOutcome.FAILED);
                fail(unit, "refusal", refused.detail());
            }
            case ReplyIngest.Judgement.NotJson notJson -> {
                if (!repairRetried) {
                    ingest.charge(unit, generation, oneHour, false, LedgerOutcome.RETRIED);
                    return Next.ASK_AGAIN;
                }
                ingest.charge(unit, generation, oneHour, false, LedgerOutcome.FAILED);
                fail(unit, "invalid_json", notJson.detail());
            }
            case ReplyIngest.Judgement.Invalid inv -> {
                ingest.charge(unit, generation, oneHour, false, LedgerOutcome.FAILED);
                fail(unit, inv.reason(), inv.detail());
            }
            case ReplyIngest.Judgement.Valid v -> {
                ingest.store(unit, v, generation, oneHour, false);
                done.incrementAndGet();
            }
        }
        return Next.SETTLED;
    }

    /**
     * Calls that share a cached prefix wait until the first of them has returned: sent together, each would
     * miss the cache and pay for writing it. Returns what the caller runs once its call has returned.
     */
    private Runnable awaitPrefix(String prefixKey) {
        var mine = new java.util.concurrent.CompletableFuture<Void>();
        var first = prefixes.putIfAbsent(prefixKey, mine);
        if (first == null) return () -> mine.complete(null);
        try {
            first.get(settings.primeDeadline().toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.CancellationException ignored) {
            // the first call failed: this one writes the prefix instead
        } catch (java.util.concurrent.TimeoutException slow) {
            // the first call is slow or hung: waiting longer would hold the run; this one may pay for writing the prefix
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return () -> {};
    }

    private record Attempt(GenerationResult result, double cost) {}

    /**
     * One call under the project's budget; null when the unit was given back (budget) or failed (provider error).
     * The reservation is the call's in-flight line in the database, so every process on the project shares one
     * cap; a call that does not fit waits while calls of any process are in flight, since they usually settle
     * below their worst case, and ends the run only when it cannot fit with nothing in flight.
     */
    private Attempt call(UnitRecord unit, GenerationRequest request, long claimedAt, int attemptNo, AtomicInteger httpAttempts) {
        double worst = prices.worstCase(request.model(), request.estimatedInputTokens(), request.maxTokens(), request.cacheTtl());
        double expected = Math.min(worst, prices.expected(request.model(), request.estimatedInputTokens(), request.maxTokens()));
        InFlightCall line = new InFlightCall(unit.key(), unit.phase(), attemptNo, request.model(), owner.id(), expected, worst, false);
        Reservation reservation;
        while (!(reservation = db.ledger().reserve(line, settings.budgetUsd())).granted()) {
            boolean waiting = reservation.inFlight() > 0 && !stopping();
            // wait, reading only, until settled calls leave room (or none is left in flight anywhere)
            while (waiting && !db.ledger().mightFit(worst, settings.budgetUsd()))
                waiting = pause(200) && !stopping() && db.ledger().callsInFlight() > 0;
            if (!waiting) {
                db.units().releaseLease(unit.key(), owner.id());
                claimed.decrementAndGet();
                double cap = settings.budgetUsd();
                stopReason.compareAndSet(null, String.format("budget: the next call could cost up to $%.4f and only $%.4f of the $%.2f cap is left",
                        worst, Math.max(0, cap - reservation.spentUsd() - reservation.reservedUsd()), cap));
                return null;
            }
        }
        long inFlightId = reservation.id();
        // Waits for a cached prefix or for budget could outlast the lease and let another run take the unit: past
        // half the lease, renew it first, and if it is already gone, do not pay for a call another run will store.
        if (Duration.ofNanos(System.nanoTime() - claimedAt).compareTo(settings.lease().dividedBy(2)) > 0
                && !db.units().extendLease(unit.key(), owner.id(), settings.lease())) {
            db.ledger().release(inFlightId);
            LOG.info("unit {}: lease lost while waiting for budget; another run has it", unit.key());
            return null;
        }
        GenerationResult r;
        callsSentAt.put(inFlightId, System.nanoTime());
        try {
            r = client.generate(request);
        } catch (LlmException e) {
            callsSentAt.remove(inFlightId);
            httpAttempts.addAndGet(e.attempts());
            // a call abandoned at a timeout may still be billed by the provider: it counts at its expected cost
            if (e.kind() == LlmException.Kind.TIMEOUT) db.ledger().markUnconfirmed(inFlightId);
            else db.ledger().release(inFlightId);
            if (e.kind() == LlmException.Kind.STOPPED) {
                db.units().releaseLease(unit.key(), owner.id());
                claimed.decrementAndGet();
                return null;
            }
            if (e.stopsRun()) {
                db.units().releaseLease(unit.key(), owner.id());
                stopReason.compareAndSet(null, "provider refused the credentials: " + e.getMessage());
                return null;
            }
            fail(unit, e.kind().name().toLowerCase(java.util.Locale.ROOT), e.getMessage());
            return null;
        }
        callsSentAt.remove(inFlightId);
        httpAttempts.addAndGet(r.attempts());
        double cost = prices.cost(request.model(), r.usage(), false);
        synchronized (this) { runSpend += cost; }
        usage.accumulateAndGet(r.usage(), Usage::plus);
        return new Attempt(r, cost);
    }

    /** False when interrupted: the run is being torn down. */
    private static boolean pause(long millis) {
        try {
            Thread.sleep(millis);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private void fail(UnitRecord unit, String reason, String detail) {
        db.units().markFailed(unit.key(), reason, detail);
        failures.merge(reason, 1, Integer::sum);
        failed.incrementAndGet();
        LOG.debug("unit {} failed: {} ({})", unit.key(), reason, detail);
    }

}
