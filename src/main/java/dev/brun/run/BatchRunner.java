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
import dev.brun.plan.OutputBudget;
import dev.brun.plan.PriceTable;
import dev.brun.prompt.UnitSpec;
import dev.brun.store.BatchRecord;
import dev.brun.store.Database;
import dev.brun.store.InFlightCall;
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
import java.util.HashMap;
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
    private final OutputLimits outputLimits;
    private final LeaseOwner owner = LeaseOwner.current();
    /** Units whose batch reply stopped at max_tokens once in this run, with the limit they stopped at. */
    private final Map<String, Integer> truncatedAt = new HashMap<>();
    /** The max_tokens each unit's request was last sent with by this run (a truncation's retry asks for more than that). */
    private final Map<String, Integer> sentMaxTokens = new HashMap<>();
    /** Of those, the ones to send again (with a larger limit) once the batch they came in has been ingested. */
    private final Map<String, UnitRecord> retryWithMoreTokens = new LinkedHashMap<>();

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
        this.outputLimits = new OutputLimits(db, clock);
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
        List<UnitRecord> claimed = db.units().claim(leaseOwner, settings.limit(), settings.lease(), phase);
        return submit(claimed, leaseOwner);
    }

    /** Builds, reserves and sends these units (leased to leaseOwner) in as few batches as the API's limits allow. */
    private List<BatchRecord> submit(List<UnitRecord> leased, String leaseOwner) {
        List<UnitRecord> claimed = leased.stream()
                .sorted(Comparator.comparing(UnitRecord::phase).thenComparing(UnitRecord::personaKey)
                        .thenComparing(UnitRecord::arcKey).thenComparing(UnitRecord::key))
                .toList();
        // first build every request, then reserve their worst cases in the database in one go: the lines stay
        // until each result settles them, so every process on the project (and this one's next run) sees them
        List<UnitRecord> buildable = new ArrayList<>();
        List<BatchItem> items = new ArrayList<>();
        List<String> phases = new ArrayList<>();
        List<InFlightCall> lines = new ArrayList<>();
        for (UnitRecord unit : claimed) {
            Optional<UnitSpec> spec = ingest.spec(unit);
            if (spec.isEmpty()) {
                markFailed(unit.key(), "pack_changed", ReplyIngest.packChangedDetail(unit));
                continue;
            }
            Phase p = spec.get().phase();
            GenerationRequest request = calls.apply(p).request(spec.get()).withMaxTokens(maxTokens(unit, spec.get()));
            sentMaxTokens.put(unit.key(), request.maxTokens());
            List<String> seeds = calls.apply(p).seedIds(spec.get());
            if (!seeds.isEmpty()) db.lineage().recordPrompt(unit.key(), seeds);
            double worst = prices.worstCase(request.model(), request.estimatedInputTokens(), request.maxTokens(), request.cacheTtl()) * PriceTable.BATCH;
            double expected = Math.min(worst, prices.expected(request.model(), request.estimatedInputTokens(), request.maxTokens()) * PriceTable.BATCH);
            buildable.add(unit);
            items.add(new BatchItem(AnthropicBatchClient.customIdFor(unit.key()), request));
            phases.add(p.wire());
            lines.add(new InFlightCall(unit.key(), unit.phase(), 1, request.model(), leaseOwner, expected, worst, true));
        }
        int granted = db.ledger().reserveAll(lines, settings.budgetUsd()).size();
        Map<String, List<BatchItem>> byPhase = new LinkedHashMap<>();
        Map<String, String> unitByCustomId = new LinkedHashMap<>();
        for (int i = 0; i < buildable.size(); i++) {
            if (i >= granted) {
                db.units().releaseLease(buildable.get(i).key(), leaseOwner);
                continue;
            }
            unitByCustomId.put(items.get(i).customId(), buildable.get(i).key());
            byPhase.computeIfAbsent(phases.get(i), k -> new ArrayList<>()).add(items.get(i));
        }
        int deferred = buildable.size() - granted;
        if (deferred > 0 && stopReason == null)
            stopReason = String.format("budget: the $%.2f cap left room for %d batch request(s) at their worst case (max_tokens of output); "
                    + "%d stay pending. Real costs are usually far below the worst case: raise --budget or budget_usd in brun.yaml to send them",
                    settings.budgetUsd(), granted, deferred);
        List<BatchRecord> records = new ArrayList<>();
        for (var entry : byPhase.entrySet()) {
            for (List<BatchItem> chunk : AnthropicBatchClient.split(entry.getValue(), settings.maxRequests(), settings.maxBytes())) {
                Map<String, String> units = new LinkedHashMap<>();
                for (BatchItem item : chunk) units.put(item.customId(), unitByCustomId.get(item.customId()));
                BatchStatus status;
                try {
                    status = api.create(chunk);
                } catch (LlmException e) {
                    for (String unitKey : units.values()) {
                        db.units().returnToPending(unitKey);
                        db.ledger().releaseBatchRequest(unitKey);
                    }
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
            running += ingest(batch, status);
        }
        return running;
    }

    /** The simulated provider keeps batches in memory only: after a restart they are gone and their units go back to pending. */
    private void forgetLostBatch(BatchRecord batch) {
        for (String unitKey : db.batches().units(batch.id()).values()) {
            db.ledger().releaseBatchRequest(unitKey);
            if (db.units().returnToPending(unitKey)) returned++;
        }
        db.batches().updateStatus(batch.id(), "lost", clock.instant());
        db.batches().markResultsFetched(batch.id());
        log.accept("Batch " + batch.id() + " is unknown to the simulated provider (it was restarted); its units are pending again.");
    }

    /** Stores an ended batch's results; returns the number of batches sent again for its truncated replies. */
    private int ingest(BatchRecord batch, BatchStatus status) {
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
                    db.ledger().releaseBatchRequest(unit.get().key());
                    if (db.units().returnToPending(unit.get().key())) returned++;
                    LOG.debug("unit {}: batch request {} ({}); back to pending", unit.get().key(), result.type(), result.error());
                }
            }
        }
        db.batches().markResultsFetched(batch.id());
        log.accept("Batch " + batch.id() + " ended: " + results.size() + " result(s), " + (stored - before) + " stored.");
        return resubmitTruncated();
    }

    /**
     * Sends the units truncated in the batch just ingested again, with a larger max_tokens. A unit another
     * process leased (a resumed batch of a run that died) goes back to pending instead: the next run sends it.
     */
    private int resubmitTruncated() {
        if (retryWithMoreTokens.isEmpty()) return 0;
        String leaseOwner = OWNER_PREFIX + owner.id();
        List<UnitRecord> again = new ArrayList<>();
        for (UnitRecord unit : retryWithMoreTokens.values()) {
            if (db.units().extendLease(unit.key(), leaseOwner, settings.lease())) again.add(unit);
            else if (db.units().returnToPending(unit.key())) returned++;
        }
        retryWithMoreTokens.clear();
        if (again.isEmpty()) return 0;
        log.accept("Sending " + again.size() + " request(s) that stopped at max_tokens again with a larger limit.");
        return submit(again, leaseOwner).size();
    }

    /**
     * max_tokens of a unit's batch request: as the synchronous engine asks (the arc's stored outputs once there
     * are enough, else the calibrated estimate), or after a truncation in this run the engine's larger retry limit.
     */
    private int maxTokens(UnitRecord unit, UnitSpec spec) {
        int fromEvidence = outputLimits.maxTokens(spec.arc());
        Integer stoppedAt = truncatedAt.get(unit.key());
        return stoppedAt == null ? fromEvidence : Math.max(fromEvidence, OutputBudget.retryMaxTokens(stoppedAt));
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
                Integer before = truncatedAt.get(unit.key());
                if (before == null) {
                    // as the engine does: paid, and asked once more with a larger limit, in a batch of its own
                    ingest.charge(unit, generation, r.usage().cacheWrite1hTokens(), true, LedgerOutcome.RETRIED);
                    truncatedAt.put(unit.key(), sentMaxTokens.getOrDefault(unit.key(), (int) Math.max(1, tokens.outputTokens())));
                    retryWithMoreTokens.put(unit.key(), unit);
                } else {
                    ingest.charge(unit, generation, r.usage().cacheWrite1hTokens(), true, LedgerOutcome.FAILED);
                    markFailed(unit.key(), "truncated", "stopped at max_tokens twice in batches (last limit "
                            + OutputBudget.retryMaxTokens(before) + "); 'brun generate --retry-failed' retries it");
                }
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
            if (!dead) continue;
            // the process may have died after the provider accepted the batch: its reservation may have been billed
            db.ledger().markBatchRequestUnconfirmed(u.key());
            if (db.units().returnToPending(u.key()))
                LOG.info("unit {} was leased by a batch submission that never stored its batch; returned to pending", u.key());
        }
    }
}
