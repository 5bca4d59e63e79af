package dev.brun.run;

import dev.brun.conversation.Generation;
import dev.brun.llm.GenerationRequest;
import dev.brun.llm.GenerationResult;
import dev.brun.llm.LlmException;
import dev.brun.llm.Sleeper;
import dev.brun.llm.Usage;
import dev.brun.llm.anthropic.AnthropicBatchClient;
import dev.brun.llm.anthropic.AnthropicBatchClient.BatchItem;
import dev.brun.llm.anthropic.AnthropicBatchClient.BatchResult;
import dev.brun.llm.anthropic.AnthropicBatchClient.BatchStatus;
import dev.brun.pack.Pack;
import dev.brun.pack.Phase;
import dev.brun.plan.PriceTable;
import dev.brun.prompt.UnitSpec;
import dev.brun.store.BatchRecord;
import dev.brun.store.Database;
import dev.brun.store.LedgerOutcome;
import dev.brun.store.UnitRecord;
import dev.brun.store.UnitState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Generates pending units through the Message Batches API at half the price. The order of events is what
 * makes it safe to stop anywhere: units are leased to the submitting process, the batch id is stored the
 * moment the provider returns it (before anything else), polling reads only the database's list of
 * unfinished batches (so any new runner resumes it), and results are ingested exactly like synchronous
 * replies. Errored, expired and canceled requests go back to pending; a unit stored meanwhile by a
 * synchronous run is not stored twice (its batch call is recorded as a paid duplicate); a result already
 * ingested (a crash during ingest) is skipped by its request id.
 */
public final class BatchRunner {
    private static final Logger LOG = LoggerFactory.getLogger(BatchRunner.class);
    /** Lease owners of units handed to a batch: the prefix keeps the synchronous engine's crash recovery off them. */
    public static final String OWNER_PREFIX = "batch@";

    /**
     * @param pollInterval how long to wait between two rounds of status checks
     * @param maxWait      stop polling after this long (batches keep running; poll again later)
     * @param lease        how long units stay with a batch; longer than the API's 24-hour expiry
     */
    public record Settings(Phase phase, int limit, double budgetUsd, Duration pollInterval, Duration maxWait,
                           int maxRequests, long maxBytes, Duration lease) {
        public static Settings defaults() {
            return new Settings(null, Integer.MAX_VALUE, Double.POSITIVE_INFINITY, Duration.ofSeconds(60), Duration.ofHours(25),
                    AnthropicBatchClient.MAX_REQUESTS, AnthropicBatchClient.MAX_BYTES - 1024, Duration.ofHours(30));
        }

        public Settings withPhase(Phase p) { return new Settings(p, limit, budgetUsd, pollInterval, maxWait, maxRequests, maxBytes, lease); }
        public Settings withLimit(int n) { return new Settings(phase, n, budgetUsd, pollInterval, maxWait, maxRequests, maxBytes, lease); }
        public Settings withBudget(double usd) { return new Settings(phase, limit, usd, pollInterval, maxWait, maxRequests, maxBytes, lease); }
        public Settings withPolling(Duration interval, Duration max) { return new Settings(phase, limit, budgetUsd, interval, max, maxRequests, maxBytes, lease); }
        public Settings withSplit(int requests, long bytes) { return new Settings(phase, limit, budgetUsd, pollInterval, maxWait, requests, bytes, lease); }
    }

    /** What a runner did: units submitted, results ingested by kind, spend, and why it stopped early (null if it did not). */
    public record Report(int submitted, List<String> createdBatches, int stored, int duplicates, int failed,
                         int returnedToPending, int unfinishedBatches, double spentUsd, Usage usage,
                         Map<String, Integer> failuresByReason, String stopReason) {}

    private final Database db;
    private final AnthropicBatchClient api;
    private final PriceTable prices;
    private final Function<Phase, PhaseCalls> calls;
    private final String provider;
    private final Settings settings;
    private final Clock clock;
    private final Sleeper sleeper;
    private final Consumer<String> log;
    private final ReplyIngest ingest;
    private final LeaseOwner owner = LeaseOwner.current();

    private int submitted, stored, duplicates, failed, returned;
    private final List<String> created = new ArrayList<>();
    private final Map<String, Integer> failures = new TreeMap<>();
    private double spent;
    private Usage usage = Usage.ZERO;
    private String stopReason;

    /**
     * @param calls how each phase's requests are made; a batch's requests run in no set order over minutes to
     *              hours, so their cache lifetime is usually one hour (see {@link GenerationRuns#batchRunner})
     */
    public BatchRunner(Database db, Pack pack, AnthropicBatchClient api, PriceTable prices, Function<Phase, PhaseCalls> calls,
                       String provider, ConversationHook hook, Settings settings, Clock clock, Sleeper sleeper, Consumer<String> log) {
        this.db = db;
        this.api = api;
        this.prices = prices;
        this.calls = calls;
        this.provider = provider;
        this.settings = settings;
        this.clock = clock;
        this.sleeper = sleeper;
        this.log = log;
        this.ingest = new ReplyIngest(db, pack, provider, hook);
    }

    /** Resumes the stored unfinished batches, submits the pending units, and polls until everything ended (or maxWait). */
    public Report run() {
        reclaimAbandonedSubmissions();
        if (!db.batches().unfinished().isEmpty()) {
            log.accept("Resuming " + db.batches().unfinished().size() + " unfinished batch(es) first.");
            pollRound();
        }
        submit();
        return poll();
    }

    /** Polls the stored unfinished batches until they end (or maxWait), ingesting each as it ends. */
    public Report poll() {
        reclaimAbandonedSubmissions();
        Instant deadline = clock.instant().plus(settings.maxWait());
        while (pollRound() > 0) {
            if (!clock.instant().isBefore(deadline)) {
                stopReason = "batches still in progress after " + settings.maxWait().toSeconds()
                        + " s of polling; resume with 'brun batches --poll' (their ids are stored)";
                break;
            }
            sleeper.sleep(settings.pollInterval());
        }
        return report();
    }

    public Report report() {
        return new Report(submitted, List.copyOf(created), stored, duplicates, failed, returned,
                db.batches().unfinished().size(), spent, usage, Map.copyOf(failures), stopReason);
    }

    /**
     * Leases the pending units (ordered by persona and arc, so requests sharing a cached prefix sit together),
     * builds each unit's request exactly as the synchronous engine would, splits them within the API's
     * limits and creates the batches; returns the stored batch records.
     */
    public List<BatchRecord> submit() {
        String phase = settings.phase() == null ? null : settings.phase().wire();
        String leaseOwner = OWNER_PREFIX + owner.id();
        List<UnitRecord> claimed = db.units().claim(leaseOwner, settings.limit(), settings.lease(), phase).stream()
                .sorted(Comparator.comparing(UnitRecord::phase).thenComparing(UnitRecord::personaKey)
                        .thenComparing(UnitRecord::arcKey).thenComparing(UnitRecord::key))
                .toList();
        BudgetGuard budget = new BudgetGuard(settings.budgetUsd(), db.ledger().totalSpend() + reservedByLiveBatches());
        Map<String, List<BatchItem>> byPhase = new LinkedHashMap<>();
        Map<String, String> unitByCustomId = new LinkedHashMap<>();
        int deferred = 0;
        for (UnitRecord unit : claimed) {
            Optional<UnitSpec> spec = ingest.spec(unit);
            if (spec.isEmpty()) {
                markFailed(unit.key(), "pack_changed", ReplyIngest.packChangedDetail(unit));
                continue;
            }
            Phase p = spec.get().phase();
            GenerationRequest request = calls.apply(p).request(spec.get());
            List<String> seeds = calls.apply(p).seedIds(spec.get());
            if (!seeds.isEmpty()) db.lineage().recordPrompt(unit.key(), seeds);
            double worst = prices.worstCase(request.model(), request.estimatedInputTokens(), request.maxTokens(), request.cacheTtl()) * PriceTable.BATCH;
            if (!budget.tryReserve(worst)) {
                db.units().releaseLease(unit.key(), leaseOwner);
                deferred++;
                continue;
            }
            String customId = AnthropicBatchClient.customIdFor(unit.key());
            unitByCustomId.put(customId, unit.key());
            byPhase.computeIfAbsent(p.wire(), k -> new ArrayList<>()).add(new BatchItem(customId, request));
        }
        if (deferred > 0 && stopReason == null)
            stopReason = String.format("budget: the $%.2f cap left room for %d batch request(s) at their worst case (max_tokens of output); "
                    + "%d stay pending. Real costs are usually far below the worst case: raise --budget or budget_usd in brun.yaml to send them",
                    budget.cap(), unitByCustomId.size(), deferred);
        List<BatchRecord> records = new ArrayList<>();
        for (var entry : byPhase.entrySet()) {
            for (List<BatchItem> chunk : AnthropicBatchClient.split(entry.getValue(), settings.maxRequests(), settings.maxBytes())) {
                Map<String, String> units = new LinkedHashMap<>();
                for (BatchItem item : chunk) units.put(item.customId(), unitByCustomId.get(item.customId()));
                BatchStatus status;
                try {
                    status = api.create(chunk);
                } catch (LlmException e) {
                    units.values().forEach(db.units()::returnToPending);
                    stopReason = "could not create a batch of " + chunk.size() + " request(s): " + e.getMessage();
                    LOG.warn(stopReason);
                    continue;
                }
                BatchRecord record = new BatchRecord(status.id(), provider, entry.getKey(), status.processingStatus(), chunk.size(),
                        status.createdAt() == null ? clock.instant() : status.createdAt(), null, false);
                db.batches().create(record, units);
                records.add(record);
                created.add(status.id());
                submitted += chunk.size();
                log.accept("Submitted batch " + status.id() + " (" + entry.getKey() + ", " + chunk.size() + " request(s)).");
            }
        }
        return records;
    }

    /** One status check of every unfinished batch, ingesting those that ended; returns how many are still running. */
    public int pollRound() {
        int running = 0;
        for (BatchRecord batch : db.batches().unfinished()) {
            BatchStatus status;
            try {
                status = api.retrieve(batch.id());
            } catch (LlmException e) {
                if (e.status() == 404 && "simulated".equals(batch.provider())) {
                    forgetLostBatch(batch);
                    continue;
                }
                if (e.status() == 404 || e.stopsRun()) {
                    // another workspace's key, or a revoked one: polling again cannot help, and regenerating could pay twice
                    stopReason = "batch " + batch.id() + " cannot be read with this API key (HTTP " + e.status() + "): " + e.getMessage()
                            + "; its units stay leased until the batch lease ends";
                    continue;
                }
                LOG.warn("could not check batch {}: {}", batch.id(), e.getMessage());
                running++;
                continue;
            }
            db.batches().updateStatus(batch.id(), status.processingStatus(), status.endedAt());
            if (!status.ended()) {
                running++;
                continue;
            }
            ingest(batch, status);
        }
        return running;
    }

    /** The simulated provider keeps batches in memory only: after a restart they are gone and their units go back to pending. */
    private void forgetLostBatch(BatchRecord batch) {
        for (String unitKey : db.batches().units(batch.id()).values())
            if (db.units().returnToPending(unitKey)) returned++;
        db.batches().updateStatus(batch.id(), "lost", clock.instant());
        db.batches().markResultsFetched(batch.id());
        log.accept("Batch " + batch.id() + " is unknown to the simulated provider (it was restarted); its units are pending again.");
    }

    private void ingest(BatchRecord batch, BatchStatus status) {
        List<BatchResult> results = api.results(status);
        Map<String, String> units = db.batches().units(batch.id());
        int before = stored;
        for (BatchResult result : results) {
            String unitKey = units.get(result.customId());
            Optional<UnitRecord> unit = unitKey == null ? Optional.empty() : db.units().find(unitKey);
            if (unit.isEmpty()) {
                LOG.warn("batch {} returned custom_id {} that belongs to no stored unit; ignored", batch.id(), result.customId());
                continue;
            }
            switch (result.type()) {
                case SUCCEEDED -> succeeded(unit.get(), result.result());
                case ERRORED, EXPIRED, CANCELED -> {
                    if (db.units().returnToPending(unit.get().key())) returned++;
                    LOG.debug("unit {}: batch request {} ({}); back to pending", unit.get().key(), result.type(), result.error());
                }
            }
        }
        db.batches().markResultsFetched(batch.id());
        log.accept("Batch " + batch.id() + " ended: " + results.size() + " result(s), " + (stored - before) + " stored.");
    }

    private void succeeded(UnitRecord unit, GenerationResult r) {
        boolean seen = db.ledger().forUnit(unit.key()).stream()
                .anyMatch(e -> e.batch() && !r.requestId().isEmpty() && r.requestId().equals(e.requestId()));
        if (seen) return; // ingested before a crash or an interrupted poll: billed and recorded already
        Optional<UnitSpec> spec = ingest.spec(unit);
        Phase phase = Phase.fromWire(unit.phase());
        String model = calls.apply(phase).model();
        double temperature = calls.apply(phase).temperature();
        Usage tokens = r.usage();
        double cost = prices.cost(model, tokens, true);
        spent += cost;
        usage = usage.plus(tokens);
        Generation generation = ingest.generation(model, temperature, r, cost);
        if (unit.state() == UnitState.DONE) {
            // generated synchronously while this batch was out: paid for, never stored twice
            ingest.charge(unit, generation, r.usage().cacheWrite1hTokens(), true, LedgerOutcome.RETRIED);
            duplicates++;
            return;
        }
        if (spec.isEmpty()) {
            ingest.charge(unit, generation, r.usage().cacheWrite1hTokens(), true, LedgerOutcome.FAILED);
            markFailed(unit.key(), "pack_changed", ReplyIngest.packChangedDetail(unit));
            return;
        }
        switch (ingest.judge(r, spec.get(), model)) {
            case ReplyIngest.Judgement.Valid v -> {
                if (ingest.store(unit, v, generation, r.usage().cacheWrite1hTokens(), true)) stored++;
                else duplicates++;
            }
            case ReplyIngest.Judgement.Truncated t -> {
                ingest.charge(unit, generation, r.usage().cacheWrite1hTokens(), true, LedgerOutcome.FAILED);
                markFailed(unit.key(), "truncated", "stopped at max_tokens in a batch; 'brun generate --retry-failed' retries it with a larger limit");
            }
            case ReplyIngest.Judgement.Refused refused -> {
                ingest.charge(unit, generation, r.usage().cacheWrite1hTokens(), true, LedgerOutcome.FAILED);
                markFailed(unit.key(), "refusal", refused.detail());
            }
            case ReplyIngest.Judgement.NotJson notJson -> {
                ingest.charge(unit, generation, r.usage().cacheWrite1hTokens(), true, LedgerOutcome.FAILED);
                markFailed(unit.key(), "invalid_json", notJson.detail());
            }
            case ReplyIngest.Judgement.Invalid inv -> {
                ingest.charge(unit, generation, r.usage().cacheWrite1hTokens(), true, LedgerOutcome.FAILED);
                markFailed(unit.key(), inv.reason(), inv.detail());
            }
        }
    }

    private void markFailed(String unitKey, String reason, String detail) {
        db.units().markFailed(unitKey, reason, detail);
        failures.merge(reason, 1, Integer::sum);
        failed++;
    }

    /**
     * Units leased to a batch submission whose process died before the batch id was stored (or whose batch
     * is no longer running) would otherwise wait for the long batch lease: give them back now.
     */
    private void reclaimAbandonedSubmissions() {
        Set<String> live = db.batches().unfinished().stream().map(BatchRecord::id).collect(Collectors.toSet());
        for (UnitRecord u : db.units().leased()) {
            String leaseOwner = u.leaseOwner();
            if (leaseOwner == null || !leaseOwner.startsWith(OWNER_PREFIX)) continue;
            if (u.batchId() != null && live.contains(u.batchId())) continue;
            boolean dead = LeaseOwner.parse(leaseOwner.substring(OWNER_PREFIX.length())).map(LeaseOwner::deadOnThisHost).orElse(false);
            if (dead && db.units().returnToPending(u.key()))
                LOG.info("unit {} was leased by a batch submission that never stored its batch; returned to pending", u.key());
        }
    }

    /** Worst-case cost of requests still out in batches, so a new submission cannot push past the cap with them. */
    private double reservedByLiveBatches() {
        double reserved = 0;
        for (BatchRecord batch : db.batches().unfinished())
            for (String unitKey : db.batches().units(batch.id()).values()) {
                Optional<UnitRecord> unit = db.units().find(unitKey);
                if (unit.isEmpty() || unit.get().state() != UnitState.LEASED) continue;
                Optional<UnitSpec> spec = ingest.spec(unit.get());
                if (spec.isEmpty()) continue;
                Phase p = spec.get().phase();
                GenerationRequest request = calls.apply(p).request(spec.get());
                reserved += prices.worstCase(request.model(), request.estimatedInputTokens(), request.maxTokens(), request.cacheTtl()) * PriceTable.BATCH;
            }
        return reserved;
    }
}
