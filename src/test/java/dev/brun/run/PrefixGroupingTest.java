package dev.brun.run;

import dev.brun.llm.CacheTtl;
import dev.brun.conversation.Conversation;
import dev.brun.conversation.Scaffolding;
import dev.brun.conversation.Source;
import dev.brun.conversation.Turn;
import dev.brun.llm.Resilience;
import dev.brun.llm.sim.SimulatedProvider;
import dev.brun.pack.Pack;
import dev.brun.pack.PackLoader;
import dev.brun.pack.Phase;
import dev.brun.plan.Combination;
import dev.brun.plan.CoverageMatrix;
import dev.brun.plan.PlanFilter;
import dev.brun.plan.PlannedUnit;
import dev.brun.plan.PriceTable;
import dev.brun.prompt.PromptBuilder;
import dev.brun.prompt.SeedExamples;
import dev.brun.store.Database;
import dev.brun.store.LedgerEntry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** Expansion units share a cached prefix per persona x arc: with many workers, each prefix is still written once. */
class PrefixGroupingTest {
    private static final Pack PACK = PackLoader.loadBuiltin("financial-planning");

    @TempDir Path dir;

    private static Conversation longSeed(String persona, String arc) {
        String text = String.join(" ", Collections.nCopies(3_000, "example"));
        return new Conversation("seed-" + persona + "-" + arc, "unit-" + persona + arc, new Scaffolding(persona, arc, "budget", 0, "seed"),
                "context", "outcome", List.of(Turn.user(0, text, null), Turn.assistant(1, text, "open", "greet", List.of("warmth"))),
                Source.GENERATED, "simulated", "claude-sonnet-4-5");
    }

    /** Counts calls that started while the first call with the same cached prefix was still out. */
    private static final class PrefixWatch implements dev.brun.llm.LlmClient {
        final java.util.concurrent.atomic.AtomicInteger overlaps = new java.util.concurrent.atomic.AtomicInteger();
        private final java.util.Map<String, Boolean> returned = new java.util.concurrent.ConcurrentHashMap<>();
        private final dev.brun.llm.LlmClient delegate;

        PrefixWatch(dev.brun.llm.LlmClient delegate) { this.delegate = delegate; }

        @Override
        public dev.brun.llm.GenerationResult generate(dev.brun.llm.GenerationRequest request) {
            String prefix = request.system().getFirst().text();
            Boolean previous = returned.putIfAbsent(prefix, false);
            if (previous != null && !previous) overlaps.incrementAndGet();
            try {
                Thread.sleep(15); // a real call takes long enough for other workers to start meanwhile
                return delegate.generate(request);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            } finally {
                returned.put(prefix, true);
            }
        }

        @Override public dev.brun.llm.ClientStats stats() { return delegate.stats(); }
        @Override public String provider() { return delegate.provider(); }
        @Override public void stopSending() { delegate.stopSending(); }
    }

    @Test
    void concurrentWorkersWriteEachPersonaArcPrefixOnceAndReadItEverywhereElse() {
        Set<String> personas = Set.of(PACK.personas().get(0).key(), PACK.personas().get(1).key());
        Set<String> arcs = Set.of(PACK.arcs().get(0).key(), PACK.arcs().get(1).key());
        Set<String> topics = Set.of(PACK.topics().get(0).key(), PACK.topics().get(1).key(), PACK.topics().get(2).key());
        CoverageMatrix matrix = new CoverageMatrix(PACK);
        List<Combination> combos = matrix.combinations(PlanFilter.ALL).stream()
                .filter(c -> personas.contains(c.personaKey()) && arcs.contains(c.arcKey()) && topics.contains(c.topicKey())).toList();
        List<PlannedUnit> units = matrix.units(Phase.EXPANSION, combos, 0, 3);
        assertThat(units).hasSize(36);
        List<Conversation> seeds = new ArrayList<>();
        for (String p : personas) for (String a : arcs) seeds.add(longSeed(p, a));
        PromptBuilder builder = new PromptBuilder(PACK, new SeedExamples(seeds, 1));

        try (Database db = Database.openSqlite(dir.resolve("brun.db"));
             SimulatedProvider sim = new SimulatedProvider(SimulatedProvider.Settings.DEFAULT.withLatency(Duration.ofMillis(20), Duration.ofMillis(20)), SimulatedUnits.of(PACK))) {
            db.units().insertIfAbsent(units.stream().map(u -> new dev.brun.store.PlannedUnit(u.key(), u.packHash(), u.phase().wire(),
                    u.personaKey(), u.arcKey(), u.topicKey(), u.variationIndex())).toList());
            PrefixWatch watch = new PrefixWatch(sim.client(Duration.ofSeconds(30), Resilience.defaults()));
            GenerationEngine engine = new GenerationEngine(db, PACK, watch, PriceTable.defaults(),
                    p -> new PhaseCalls("claude-haiku-4-5", 0.95, builder, CacheTtl.FIVE_MINUTES),
                    EngineSettings.defaults().withWorkers(12), ProgressListener.NONE, ConversationHook.NONE);

            RunSummary summary = engine.run();

            assertThat(summary.done()).isEqualTo(36);
            // the simulator answers one request at a time, so its bill alone cannot show a race: the client watches for one
            assertThat(watch.overlaps).hasValue(0);
            List<LedgerEntry> lines = new ArrayList<>();
            units.forEach(u -> lines.addAll(db.ledger().forUnit(u.key())));
            assertThat(lines.stream().filter(l -> l.cacheWriteTokens() > 0)).hasSize(4);
            assertThat(lines.stream().filter(l -> l.cacheReadTokens() >= 4096)).hasSize(lines.size() - 4);
        }
    }
}
