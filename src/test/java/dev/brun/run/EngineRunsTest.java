package dev.brun.run;

import dev.brun.llm.AdaptiveConcurrency;
import dev.brun.llm.LlmClient;
import dev.brun.llm.Resilience;
import dev.brun.llm.RetryPolicy;
import dev.brun.llm.Sleeper;
import dev.brun.llm.sim.FakeProviderServer;
import dev.brun.llm.sim.SimulatedProvider;
import dev.brun.plan.PriceTable;
import dev.brun.plan.TokenUsage;
import dev.brun.project.Project;
import dev.brun.store.ConversationFilter;
import dev.brun.store.UnitRecord;
import dev.brun.store.UnitState;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** Whole runs against the simulated provider: the budget cap under concurrency, throttling with faults, reruns. */
class EngineRunsTest {
    @TempDir Path tmp;

    /** One billed call as the ledger holds it. */
    record Line(String unitKey, String model, long input, long output, long cacheRead, long cacheWrite, double cost,
                boolean batch, String outcome) {}

    static List<Line> ledger(Project project) {
        return project.db().jdbi().withHandle(h -> h.createQuery("SELECT * FROM ledger ORDER BY id")
                .map((rs, ctx) -> new Line(rs.getString("unit_key"), rs.getString("model"), rs.getLong("input_tokens"),
                        rs.getLong("output_tokens"), rs.getLong("cache_read_tokens"), rs.getLong("cache_write_tokens"),
                        rs.getDouble("cost_usd"), rs.getBoolean("batch"), rs.getString("outcome")))
                .list());
    }

    static Map<UnitState, Long> countStates(Project project) {
        Map<UnitState, Long> out = new java.util.EnumMap<>(UnitState.class);
        for (UnitState s : UnitState.values()) out.put(s, 0L);
        project.db().units().countsByStateAndPhase().forEach(c -> out.merge(c.state(), c.count(), Long::sum));
        return out;
    }

    private static LlmClient client(SimulatedProvider sim, AdaptiveConcurrency concurrency, int maxAttempts) {
        return sim.client(Duration.ofSeconds(30), Resilience.of(
                new RetryPolicy(maxAttempts, Duration.ofMillis(50), Duration.ofSeconds(1), Duration.ofSeconds(5)),
                concurrency, Clock.systemUTC(), Sleeper.SYSTEM));
    }

    @Test
    void budgetCapHoldsUnderConcurrencyAndUnstartedUnitsStayPending() {
        Path dir = EngineFixtures.plannedProject(tmp.resolve("p"), "persona=marcus_chen");
        double cap = 0.60;
        try (Project project = Project.open(dir);
             SimulatedProvider sim = new SimulatedProvider(SimulatedProvider.Settings.DEFAULT
                     .withLatency(Duration.ofMillis(30), Duration.ofMillis(80)))) {
            LlmClient client = client(sim, AdaptiveConcurrency.fixed(8), 4);
            RunSummary s = EngineFixtures.engine(project, client, EngineSettings.defaults().withWorkers(8).withBudget(cap)).run();

            double spent = project.db().ledger().totalSpend();
            assertThat(spent).as("ledger total under the cap").isLessThanOrEqualTo(cap).isPositive();
            assertThat(s.projectSpendUsd()).isCloseTo(spent, within(1e-9));
            assertThat(s.stopReason()).startsWith("budget");
            assertThat(s.done()).as("the cap allows a good number of calls").isGreaterThanOrEqualTo(5);
            assertThat(s.failed()).isZero();
            Map<UnitState, Long> states = countStates(project);
            assertThat(states.get(UnitState.LEASED)).as("no unit keeps a lease").isZero();
            assertThat(states.get(UnitState.FAILED)).isZero();
            assertThat(states.get(UnitState.DONE)).isEqualTo(s.done());
            assertThat(states.get(UnitState.PENDING)).as("units never started stay pending").isEqualTo(100 - s.done());
            int answered = sim.server().requests(FakeProviderServer.MESSAGES).size();
            assertThat(ledger(project)).as("every answered call is in the ledger, nothing else").hasSize(answered);
            assertThat(answered).isEqualTo(s.done());
        }
    }

    @Test
    void throttledServerWithOverloadFaultsEndsEveryUnitAndBillsEachOnceAtTablePrices() {
        // Issue 4's done-when on compressed time: 50 requests per 2 s instead of per minute, 10% answered 529.
        Path dir = EngineFixtures.plannedProject(tmp.resolve("p"), "persona=marcus_chen");
        SimulatedProvider.Settings settings = SimulatedProvider.Settings.DEFAULT
                .withLatency(Duration.ofMillis(5), Duration.ofMillis(20))
                .withRequestLimit(50, Duration.ofSeconds(2))
                .withFaultRate(0.10, 42);
        try (Project project = Project.open(dir); SimulatedProvider sim = new SimulatedProvider(settings)) {
            LlmClient client = client(sim, AdaptiveConcurrency.auto(), 6);
            RunSummary s = EngineFixtures.engine(project, client, EngineSettings.defaults().withWorkers(64)).run();

            FakeProviderServer server = sim.server();
            assertThat(server.faultCount()).as("the 529s really happened").isPositive();
            assertThat(server.rateLimitedCount()).as("the window really throttled").isPositive();
            assertThat(s.complete()).isTrue();

            List<UnitRecord> units = project.db().jdbi().withHandle(h -> h.createQuery("SELECT unit_key FROM units")
                    .mapTo(String.class).list()).stream().map(k -> project.db().units().find(k).orElseThrow()).toList();
            assertThat(units).hasSize(100);
            assertThat(units).allSatisfy(u -> {
                assertThat(u.state()).isIn(UnitState.DONE, UnitState.FAILED);
                if (u.state() == UnitState.FAILED) assertThat(u.failureReason()).isNotBlank();
            });
            assertThat(s.done()).as("faults are retried, not given up on").isGreaterThanOrEqualTo(95);
            assertThat(project.db().conversations().count(ConversationFilter.all())).isEqualTo(s.done());

            List<Line> ledger = ledger(project);
            assertThat(ledger.stream().map(Line::unitKey).distinct().count()).as("no unit billed twice").isEqualTo(ledger.size());
            int answered = server.requests(FakeProviderServer.MESSAGES).size() - server.faultCount() - server.rateLimitedCount();
            assertThat(ledger).as("one line per answered call").hasSize(answered);

            PriceTable prices = PriceTable.defaults();
            double recomputed = 0;
            for (Line l : ledger) {
                double cost = prices.cost(l.model(), new TokenUsage(l.input(), l.output(), l.cacheRead(), l.cacheWrite()), l.batch());
                assertThat(l.cost()).as("line of %s", l.unitKey()).isCloseTo(cost, within(1e-12));
                recomputed += cost;
            }
            assertThat(project.db().ledger().totalSpend()).isCloseTo(recomputed, within(1e-9));
            assertThat(recomputed).isPositive();
        }
    }

    @Test
    void rerunAfterCompletionCallsNothingAndAddsNoLedgerLines() {
        Path dir = EngineFixtures.plannedProject(tmp.resolve("p"), "persona=marcus_chen,arc=confusion_to_clarity");
        try (Project project = Project.open(dir); SimulatedProvider sim = new SimulatedProvider()) {
            LlmClient client = client(sim, AdaptiveConcurrency.fixed(8), 4);
            RunSummary first = EngineFixtures.engine(project, client, EngineSettings.defaults().withWorkers(8)).run();
            assertThat(first.done()).isEqualTo(20);
            int requests = sim.server().requests().size();
            List<Line> ledger = ledger(project);
            assertThat(ledger).hasSize(20);

            RunSummary second = EngineFixtures.engine(project, client, EngineSettings.defaults().withWorkers(8)).run();

            assertThat(second.planned()).isZero();
            assertThat(second.done()).isZero();
            assertThat(second.spentUsd()).isZero();
            assertThat(sim.server().requests()).as("no call at all").hasSize(requests);
            assertThat(ledger(project)).isEqualTo(ledger);
            assertThat(project.db().conversations().count(ConversationFilter.all())).isEqualTo(20);
        }
    }
}
