package dev.brun.run;

import dev.brun.llm.CacheTtl;
import dev.brun.llm.Resilience;
import dev.brun.llm.anthropic.AnthropicBatchClient;
import dev.brun.llm.sim.FakeProviderServer;
import dev.brun.llm.sim.FakeProviderServer.BatchOutcome;
import dev.brun.llm.sim.FakeProviderServer.BatchScript;
import dev.brun.llm.sim.SimulatedProvider;
import dev.brun.pack.Pack;
import dev.brun.pack.PackLoader;
import dev.brun.pack.Phase;
import dev.brun.plan.CoverageMatrix;
import dev.brun.plan.PlanFilter;
import dev.brun.plan.PlannedUnit;
import dev.brun.plan.PriceTable;
import dev.brun.llm.Usage;
import dev.brun.prompt.PromptBuilder;
import dev.brun.store.ConversationFilter;
import dev.brun.store.Database;
import dev.brun.store.LedgerEntry;
import dev.brun.store.LedgerOutcome;
import dev.brun.store.UnitState;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;

class BatchRunnerTest {
    private static final Pack PACK = PackLoader.loadBuiltin("financial-planning");
    private static final PriceTable PRICES = PriceTable.defaults();

    @TempDir Path dir;
    private Database db;
    private SimulatedProvider sim;
    private AnthropicBatchClient api;
    private final List<String> log = new ArrayList<>();

    @BeforeEach
    void open() {
        db = Database.openSqlite(dir.resolve("brun.db"));
        sim = new SimulatedProvider(SimulatedProvider.Settings.DEFAULT.withLatency(Duration.ZERO, Duration.ZERO), SimulatedUnits.of(PACK));
        api = new AnthropicBatchClient(sim.start(), "sk-ant-test", Duration.ofSeconds(20), Resilience.defaults());
    }

    @AfterEach
    void close() {
        sim.close();
        db.close();
    }

    private List<String> plan(int combinations) {
        CoverageMatrix matrix = new CoverageMatrix(PACK);
        List<PlannedUnit> units = matrix.units(Phase.SEED, matrix.combinations(PlanFilter.ALL).subList(0, combinations), 0, 1);
        db.units().insertIfAbsent(units.stream().map(u -> new dev.brun.store.PlannedUnit(u.key(), u.packHash(), u.phase().wire(),
                u.personaKey(), u.arcKey(), u.topicKey(), u.variationIndex())).toList());
        return units.stream().map(PlannedUnit::key).toList();
    }

    /** The pack's phase defaults, prompts without seed examples. */
    private Function<Phase, PhaseCalls> calls(CacheTtl ttl) {
        return PhaseCalls.perPhase(p -> PACK.rules().defaults(p).model(), p -> PACK.rules().defaults(p).temperature(),
                GenerationRuns.builders(db, PACK, 0), p -> ttl);
    }

    private BatchRunner runner(BatchRunner.Settings settings) {
        return new BatchRunner(db, PACK, api, PRICES, calls(CacheTtl.ONE_HOUR), "simulated", ConversationHook.NONE, settings, Clock.systemUTC(),
                d -> { try { Thread.sleep(1); } catch (InterruptedException e) { Thread.currentThread().interrupt(); } }, log::add);
    }

    private static BatchRunner.Settings fast() {
        return BatchRunner.Settings.defaults().withPolling(Duration.ofMillis(1), Duration.ofSeconds(20));
    }

    private int batchCreates() {
        return (int) sim.server().requests(FakeProviderServer.BATCHES).stream().filter(r -> r.method().equals("POST")).count();
    }

    private List<LedgerEntry> ledger(List<String> keys) {
        List<LedgerEntry> out = new ArrayList<>();
        keys.forEach(k -> out.addAll(db.ledger().forUnit(k)));
        return out;
    }

    @Test
    void pollsFromInProgressToEndedAndStoresEveryConversationAtHalfPrice() {
        List<String> keys = plan(6);
        sim.server().batchScript(new BatchScript(2, id -> BatchOutcome.SUCCEEDED));

        BatchRunner.Report report = runner(fast()).run();

        assertThat(report.submitted()).isEqualTo(6);
        assertThat(report.stored()).isEqualTo(6);
        assertThat(report.unfinishedBatches()).isZero();
        assertThat(report.stopReason()).isNull();
        assertThat(keys).allSatisfy(k -> assertThat(db.units().find(k).orElseThrow().state()).isEqualTo(UnitState.DONE));
        assertThat(db.conversations().count(ConversationFilter.all())).isEqualTo(6);
        var batch = db.batches().all().getFirst();
        assertThat(batch.status()).isEqualTo("ended");
        assertThat(batch.resultsFetched()).isTrue();
        assertThat(sim.server().requests().stream().filter(r -> r.method().equals("GET") && r.path().equals(FakeProviderServer.BATCHES + "/" + batch.id())))
                .hasSizeGreaterThanOrEqualTo(3);
        List<LedgerEntry> lines = ledger(keys);
        assertThat(lines).hasSize(6).allSatisfy(l -> {
            assertThat(l.batch()).isTrue();
            assertThat(l.outcome()).isEqualTo(LedgerOutcome.STORED);
            // a batch asks for the one-hour cache lifetime, so its writes are priced at 2x input
            assertThat(l.cacheWrite1hTokens()).isEqualTo(l.cacheWriteTokens());
            double listPrice = PRICES.cost(l.model(), new Usage(l.inputTokens(), l.outputTokens(), l.cacheReadTokens(),
                    l.cacheWriteTokens(), l.cacheWrite1hTokens()), false);
            assertThat(l.costUsd()).isCloseTo(listPrice * 0.5, org.assertj.core.data.Offset.offset(1e-12));
        });
        assertThat(db.ledger().totalSpend()).isCloseTo(report.spentUsd(), org.assertj.core.data.Offset.offset(1e-9));
    }

    @Test
    void erroredExpiredAndCanceledRequestsReturnToPendingAndTheNextRunFinishesThem() {
        List<String> keys = plan(8);
        Map<String, BatchOutcome> outcomes = new HashMap<>();
        BatchOutcome[] kinds = {BatchOutcome.SUCCEEDED, BatchOutcome.ERRORED, BatchOutcome.EXPIRED, BatchOutcome.CANCELED};
        for (int i = 0; i < keys.size(); i++) outcomes.put(keys.get(i), kinds[i % 4]);
        sim.server().batchScript(new BatchScript(1, outcomes::get));

        BatchRunner.Report first = runner(fast()).run();

        assertThat(first.stored()).isEqualTo(2);
        assertThat(first.returnedToPending()).isEqualTo(6);
        for (String k : keys)
            assertThat(db.units().find(k).orElseThrow().state())
                    .isEqualTo(outcomes.get(k) == BatchOutcome.SUCCEEDED ? UnitState.DONE : UnitState.PENDING);
        assertThat(ledger(keys)).hasSize(2); // errored, expired and canceled requests are not billed

        sim.server().batchScript(BatchScript.IMMEDIATE);
        BatchRunner.Report second = runner(fast()).run();

        assertThat(second.submitted()).isEqualTo(6);
        assertThat(second.stored()).isEqualTo(6);
        assertThat(db.conversations().count(ConversationFilter.all())).isEqualTo(8);
        assertThat(ledger(keys)).hasSize(8).allSatisfy(l -> assertThat(l.outcome()).isEqualTo(LedgerOutcome.STORED));
    }

    @Test
    void aNewRunnerResumesPollingFromTheDatabaseAfterARestart() {
        List<String> keys = plan(5);
        sim.server().batchScript(new BatchScript(3, id -> BatchOutcome.SUCCEEDED));
        BatchRunner first = runner(fast());
        first.submit();
        assertThat(first.pollRound()).isEqualTo(1); // still in progress when the process "dies"
        assertThat(keys).allSatisfy(k -> assertThat(db.units().find(k).orElseThrow().state()).isEqualTo(UnitState.LEASED));

        BatchRunner.Report resumed = runner(fast()).run();

        assertThat(batchCreates()).isEqualTo(1);
        assertThat(resumed.submitted()).isZero();
        assertThat(resumed.stored()).isEqualTo(5);
        assertThat(log).anyMatch(line -> line.startsWith("Resuming 1 unfinished batch"));
        assertThat(db.conversations().count(ConversationFilter.all())).isEqualTo(5);
    }

    @Test
    void aSubmissionOverTheRequestLimitIsSplitInTwo() {
        plan(5);
        BatchRunner.Report report = runner(fast().withSplit(3, AnthropicBatchClient.MAX_BYTES)).run();

        assertThat(report.createdBatches()).hasSize(2);
        assertThat(sim.server().batchSizes().values()).containsExactly(3, 2);
        assertThat(report.stored()).isEqualTo(5);
    }

    @Test
    void aSubmissionOverTheByteLimitIsSplitInTwo() {
        List<String> keys = plan(4);
        long largest = 0;
        for (String key : keys) {
            var unit = db.units().find(key).orElseThrow();
            var spec = new ReplyIngest(db, PACK, "simulated", ConversationHook.NONE).spec(unit).orElseThrow();
            var request = ReplyIngest.request(spec, new PromptBuilder(PACK).build(spec), "claude-sonnet-4-5", 0.75);
            largest = Math.max(largest, dev.brun.llm.WireJson.MAPPER.writeValueAsBytes(
                    new dev.brun.llm.anthropic.AnthropicRequestMapper().toWire(request)).length + key.length() + 32);
        }
        // room for two requests but not three
        BatchRunner.Report report = runner(fast().withSplit(100_000, largest * 5 / 2)).run();

        assertThat(report.createdBatches()).hasSize(2);
        assertThat(sim.server().batchSizes().values()).containsExactly(2, 2);
        assertThat(db.batches().all()).extracting(b -> b.requestCount()).containsExactly(2, 2);
    }

    @Test
    void theSameUnitIsNeverInTwoLiveBatches() {
        List<String> keys = plan(4);
        sim.server().batchScript(new BatchScript(100, id -> BatchOutcome.SUCCEEDED));
        BatchRunner a = runner(fast());
        BatchRunner b = runner(fast());

        assertThat(a.submit()).hasSize(1);
        assertThat(b.submit()).isEmpty();

        assertThat(batchCreates()).isEqualTo(1);
        Map<String, String> units = db.batches().units(db.batches().all().getFirst().id());
        assertThat(units.values()).containsExactlyInAnyOrderElementsOf(keys);
    }

    @Test
    void aUnitGeneratedSynchronouslyMeanwhileIsNotIngestedTwice() {
        List<String> keys = plan(3);
        sim.server().batchScript(new BatchScript(100, id -> BatchOutcome.SUCCEEDED));
        BatchRunner batch = runner(fast());
        batch.submit();
        // the batch lease ran out (a batch left for days) and a synchronous run took the unit
        String taken = keys.getFirst();
        db.units().returnToPending(taken);
        var client = sim.client(Duration.ofSeconds(20), Resilience.defaults());
        RunSummary sync = new GenerationEngine(db, PACK, client, PRICES, calls(CacheTtl.FIVE_MINUTES),
                EngineSettings.defaults().withWorkers(1), ProgressListener.NONE, ConversationHook.NONE).run();
        assertThat(sync.done()).isEqualTo(1);
        String syncRequest = db.conversations().findByUnitKey(taken).orElseThrow().generation().orElseThrow().requestId();

        sim.server().batchScript(BatchScript.IMMEDIATE);
        BatchRunner.Report report = runner(fast()).poll();

        assertThat(report.stored()).isEqualTo(2);
        assertThat(report.duplicates()).isEqualTo(1);
        assertThat(db.conversations().count(ConversationFilter.all())).isEqualTo(3);
        assertThat(db.conversations().findByUnitKey(taken).orElseThrow().generation().orElseThrow().requestId()).isEqualTo(syncRequest);
        List<LedgerEntry> lines = db.ledger().forUnit(taken);
        assertThat(lines).extracting(LedgerEntry::outcome).containsExactly(LedgerOutcome.STORED, LedgerOutcome.RETRIED);
        assertThat(lines).extracting(LedgerEntry::batch).containsExactly(false, true);
    }

    @Test
    void resultsFetchedAgainAfterACrashDuringIngestAreNotChargedTwice() {
        List<String> keys = plan(4);
        runner(fast()).run();
        double spent = db.ledger().totalSpend();
        // a crash after storing the conversations but before the batch was marked fetched
        db.jdbi().useHandle(h -> h.execute("UPDATE batches SET results_fetched = FALSE"));

        BatchRunner.Report again = runner(fast()).poll();

        assertThat(again.stored()).isZero();
        assertThat(again.duplicates()).isZero();
        assertThat(db.ledger().totalSpend()).isEqualTo(spent);
        assertThat(ledger(keys)).hasSize(4);
        assertThat(db.batches().unfinished()).isEmpty();
    }

    @Test
    void theBudgetCapLimitsWhatIsSubmitted() {
        List<String> keys = plan(6);
        // one Sonnet request's worst case at the batch price (prefix written to the one-hour cache) is a few cents: room for one or two
        BatchRunner.Report report = runner(fast().withBudget(0.06)).run();

        assertThat(report.submitted()).isBetween(1, 5);
        assertThat(report.stopReason()).startsWith("budget:")
                .contains("room for " + report.submitted() + " batch request(s)")
                .contains((6 - report.submitted()) + " stay pending");
        assertThat(db.ledger().totalSpend()).isLessThanOrEqualTo(0.06);
        long pending = keys.stream().filter(k -> db.units().find(k).orElseThrow().state() == UnitState.PENDING).count();
        assertThat(pending).isEqualTo(6 - report.submitted());
    }

    @Test
    void requestsOutInABatchHoldTheirWorstCaseInTheDatabaseUntilTheirResultsSettleThem() {
        List<String> keys = plan(8);
        Map<String, BatchOutcome> outcomes = new HashMap<>();
        for (int i = 0; i < keys.size(); i++) outcomes.put(keys.get(i), i % 2 == 0 ? BatchOutcome.SUCCEEDED : BatchOutcome.ERRORED);
        sim.server().batchScript(new BatchScript(2, outcomes::get));
        BatchRunner runner = runner(fast());
        runner.submit();

        // while the batch is out, every process on the project sees its requests reserved
        assertThat(db.ledger().callsInFlight()).as("batch lines are not waited for by one-by-one calls").isZero();
        assertThat(db.ledger().mightFit(0, 0)).isFalse();
        var refused = db.ledger().reserve(new dev.brun.store.InFlightCall("other", "seed", 1, "claude-sonnet-4-5",
                "h:1:x", 0.001, 0.001, false), 0.001);
        assertThat(refused.granted()).isFalse();
        assertThat(refused.reservedUsd()).as("the batch's worst cases count for a call of another process").isPositive();

        BatchRunner.Report report = runner.poll();

        assertThat(report.stored()).isEqualTo(4);
        assertThat(db.ledger().mightFit(0, 0)).as("stored results settle their lines, errored ones release them")
                .isEqualTo(db.ledger().totalSpend() <= 1e-12);
        var after = db.ledger().reserve(new dev.brun.store.InFlightCall("other", "seed", 1, "claude-sonnet-4-5",
                "h:1:x", 0.001, 0.001, false), 1000);
        assertThat(after.reservedUsd()).as("nothing of the batch is still reserved").isZero();
        assertThat(after.spentUsd()).isCloseTo(report.spentUsd(), org.assertj.core.data.Offset.offset(1e-9));
        db.ledger().release(after.id());
    }

    @Test
    void aSecondRunnerCannotSubmitPastTheCapThatALiveBatchAlreadyReserved() {
        plan(6);
        sim.server().batchScript(new BatchScript(50, id -> BatchOutcome.SUCCEEDED));
        BatchRunner first = runner(fast().withBudget(0.06));
        first.submit();
        int out = first.report().submitted();
        assertThat(out).isBetween(1, 5);

        BatchRunner secondRunner = runner(fast().withBudget(0.06));
        secondRunner.submit();
        BatchRunner.Report second = secondRunner.report();

        assertThat(second.submitted()).as("the first batch's reservations leave no room").isZero();
        assertThat(second.stopReason()).startsWith("budget:");
    }
}
