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
    private final LeaseOwner owner = LeaseOwner.current();

    /** One future per cached prefix (model and static block), completed when its first call has returned. */
    private final Map<String, java.util.concurrent.CompletableFuture<Void>> prefixes = new ConcurrentHashMap<>();
    private final AtomicInteger claimed = new AtomicInteger();
    private final AtomicInteger done = new AtomicInteger();
    private final AtomicInteger failed = new AtomicInteger();
    private final Map<String, Integer> failures = new ConcurrentHashMap<>();
    private final AtomicReference<String> stopReason = new AtomicReference<>();
    private final AtomicReference<Usage> usage = new AtomicReference<>(Usage.ZERO);
    private volatile double runSpend;
    private volatile int total;
    private volatile int workerCount = 1;
    private volatile long startedAt;

    /** @param calls how each phase's calls are made: model, temperature, prompt builder, cache lifetime */
    public GenerationEngine(Database db, Pack pack, LlmClient client, PriceTable prices, Function<Phase, PhaseCalls> calls,
                            EngineSettings settings, ProgressListener listener, ConversationHook hook) {
        this.db = db;
        this.pack = pack;
        this.client = client;
        this.prices = prices;
        this.calls = calls;
        this.settings = settings;
        this.listener = listener;
        this.hook = hook;
        this.ingest = new ReplyIngest(db, pack, client.provider(), hook);
    }

    /** Stops claiming; calls already sent finish and are stored, calls still waiting to be sent give their unit back. */
    public void requestStop() {
        stopReason.compareAndSet(null, "stopped by request");
        client.stopSending();
    }

    public boolean stopping() { return stopReason.get() != null; }

    /** Number of units this run will attempt (known once {@link #run()} has started). */
    public int total() { return total; }

    public RunSummary run() {
        startedAt = System.currentTimeMillis();
        reclaimOrphanedLeases();
        String phase = settings.phase() == null ? null : settings.phase().wire();
        int pending = db.units().pending(phase).size();
        total = Math.min(pending, settings.limit());
        if (total > 0 && settings.primeCache()) worker(1);
        List<Thread> threads = new ArrayList<>();
        int workers = Math.max(1, Math.min(settings.workers(), total));
        workerCount = workers;
        for (int i = 0; i < workers; i++) threads.add(Thread.ofVirtual().name("brun-worker-" + i).start(() -> worker(Integer.MAX_VALUE)));
        for (Thread t : threads) {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                requestStop();
            }
        }
        var stats = client.stats().snapshot();
        return new RunSummary(total, done.get(), failed.get(), new TreeMap<>(failures), runSpend,
                db.ledger().totalSpend(), usage.get(), stats.retries(), stats.rateLimited(),
                System.currentTimeMillis() - startedAt, stopReason.get());
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
            List<UnitRecord> units = settings.spread() ? db.units().claimSpread(owner.id(), 1, settings.lease(), phase)
                    : db.units().claim(owner.id(), 1, settings.lease(), phase);
            if (units.isEmpty()) return;
            UnitRecord unit = units.getFirst();
            try {
                process(unit, System.nanoTime());
            } catch (RuntimeException e) {
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
        return new RunProgress(total, done.get(), failed.get(), runSpend, stats.retries(), stats.rateLimited(),
                usage.get().cacheHitRate(), elapsed, workerMillis <= 0 ? 0 : Math.min(1, stats.pacedMillis() / workerMillis));
    }

    /** Before the call: which seeds the prompt carries, so a later change to one of them reaches this unit's conversation. */
    private void recordLineage(UnitRecord unit, PhaseCalls phaseCalls, UnitSpec spec) {
        List<String> seeds = phaseCalls.seedIds(spec);
        if (!seeds.isEmpty()) db.lineage().recordPrompt(unit.key(), seeds);
    }

    private void process(UnitRecord unit, long claimedAt) {
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
        boolean truncationRetried = false;
        boolean repairRetried = false;
        Runnable prefixWritten = awaitPrefix(model + "\n" + request.system().getFirst().text());
        int attemptNo = 0;
        while (true) {
            Attempt attempt;
            try {
                attempt = call(unit, request, claimedAt, ++attemptNo);
            } finally {
                prefixWritten.run();
            }
            if (attempt == null) return;
            GenerationResult r = attempt.result();
            Generation generation = ingest.generation(model, temperature, r, attempt.cost());
            switch (ingest.judge(r, spec, model)) {
                case ReplyIngest.Judgement.Truncated t -> {
                    if (!truncationRetried) {
                        ingest.charge(unit, generation, r.usage().cacheWrite1hTokens(), false, LedgerOutcome.RETRIED);
                        truncationRetried = true;
                        request = request.withMaxTokens(OutputBudget.retryMaxTokens(request.maxTokens()));
                        continue;
                    }
                    ingest.charge(unit, generation, r.usage().cacheWrite1hTokens(), false, LedgerOutcome.FAILED);
                    fail(unit, "truncated", "stopped at max_tokens twice (last limit " + request.maxTokens() + ")");
                }
                case ReplyIngest.Judgement.Refused refused -> {
                    ingest.charge(unit, generation, r.usage().cacheWrite1hTokens(), false, LedgerOutcome.FAILED);
                    fail(unit, "refusal", refused.detail());
                }
                case ReplyIngest.Judgement.NotJson notJson -> {
                    if (!repairRetried) {
                        ingest.charge(unit, generation, r.usage().cacheWrite1hTokens(), false, LedgerOutcome.RETRIED);
                        repairRetried = true;
                        continue;
                    }
                    ingest.charge(unit, generation, r.usage().cacheWrite1hTokens(), false, LedgerOutcome.FAILED);
                    fail(unit, "invalid_json", notJson.detail());
                }
                case ReplyIngest.Judgement.Invalid inv -> {
                    ingest.charge(unit, generation, r.usage().cacheWrite1hTokens(), false, LedgerOutcome.FAILED);
                    fail(unit, inv.reason(), inv.detail());
                }
                case ReplyIngest.Judgement.Valid v -> {
                    ingest.store(unit, v, generation, r.usage().cacheWrite1hTokens(), false);
                    done.incrementAndGet();
                }
            }
            return;
        }
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
            first.join();
        } catch (java.util.concurrent.CompletionException | java.util.concurrent.CancellationException ignored) {
            // the first call failed: this one writes the prefix instead
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
    private Attempt call(UnitRecord unit, GenerationRequest request, long claimedAt, int attemptNo) {
        double worst = prices.worstCase(request.model(), request.estimatedInputTokens(), request.maxTokens(), request.cacheTtl());
        double expected = Math.min(worst, prices.expected(request.model(), request.estimatedInputTokens(), request.maxTokens()));
        InFlightCall line = new InFlightCall(unit.key(), unit.phase(), attemptNo, request.model(), owner.id(), expected, worst, false);
        Reservation reservation;
        while (!(reservation = db.ledger().reserve(line, settings.budgetUsd())).granted()) {
            boolean waiting = reservation.inFlight() > 0 && !stopping();
            // wait, reading only, until settled calls leave room (or none is left in flight anywhere)
            while (waiting && !db.ledger().mightFit(worst, settings.budgetUsd()))
                waiting = pause(200) && !stopping() && db.ledger().inFlightOwners().size() > 0;
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
        try {
            r = client.generate(request);
        } catch (LlmException e) {
            db.ledger().release(inFlightId);
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
