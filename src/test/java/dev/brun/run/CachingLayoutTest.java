package dev.brun.run;

import dev.brun.llm.GenerationRequest;
import dev.brun.llm.Resilience;
import dev.brun.llm.Usage;
import dev.brun.llm.anthropic.AnthropicClient;
import dev.brun.llm.sim.FakeProviderServer;
import dev.brun.llm.sim.RecordedRequest;
import dev.brun.llm.sim.SimulatedProvider;
import dev.brun.pack.Pack;
import dev.brun.pack.PackLoader;
import dev.brun.pack.Phase;
import dev.brun.plan.CostEstimator;
import dev.brun.plan.CoverageMatrix;
import dev.brun.plan.EstimateLine;
import dev.brun.plan.PlanFilter;
import dev.brun.plan.PlannedUnit;
import dev.brun.plan.PriceTable;
import dev.brun.prompt.PromptBuilder;
import dev.brun.prompt.UnitSpec;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The caching layout adopted in issue 14 (measured in BENCHMARKS.md, "Caching layout"): two cache breakpoints,
 * after the static block and after the persona and arc block. Consecutive units of one persona x arc pair, sent
 * in claim order to the simulated provider, read both prefixes; the next pair reads the static one and writes
 * only its own block; and the estimator's input dollars for those calls are within 2% of what was billed.
 */
class CachingLayoutTest {
    private static final Pack PACK = PackLoader.loadBuiltin("financial-planning");
    private static final String MODEL = "claude-sonnet-4-5";

    /** The seed units of the first persona's first two arcs, in claim order (persona, arc, unit key). */
    private static List<PlannedUnit> twoPairs() {
        CoverageMatrix matrix = new CoverageMatrix(PACK);
        List<PlannedUnit> all = new ArrayList<>(matrix.units(Phase.SEED, matrix.combinations(PlanFilter.ALL), 0, 1));
        all.sort(Comparator.comparing(PlannedUnit::personaKey).thenComparing(PlannedUnit::arcKey).thenComparing(PlannedUnit::key));
        String persona = all.getFirst().personaKey();
        List<String> arcs = all.stream().filter(u -> u.personaKey().equals(persona)).map(PlannedUnit::arcKey).distinct().limit(2).toList();
        return all.stream().filter(u -> u.personaKey().equals(persona) && arcs.contains(u.arcKey())).toList();
    }

    private static UnitSpec spec(PlannedUnit u) {
        return new UnitSpec(u.key(), u.phase(), PACK.persona(u.personaKey()).orElseThrow(), PACK.arc(u.arcKey()).orElseThrow(),
                PACK.topic(u.topicKey()).orElseThrow(), u.variationIndex());
    }

    @Test
    void consecutiveUnitsOfOnePersonaAndArcReadBothCachedPrefixes() {
        List<PlannedUnit> units = twoPairs();
        int pairSize = (int) units.stream().filter(u -> u.arcKey().equals(units.getFirst().arcKey())).count();
        assertThat(pairSize).isEqualTo(PACK.topics().size());
        PromptBuilder builder = new PromptBuilder(PACK);
        List<Usage> usages = new ArrayList<>();
        try (SimulatedProvider sim = new SimulatedProvider(SimulatedProvider.Settings.DEFAULT, SimulatedUnits.of(PACK))) {
            AnthropicClient client = sim.client(Duration.ofSeconds(30), Resilience.defaults());
            for (PlannedUnit u : units) {
                GenerationRequest request = ReplyIngest.request(spec(u), builder.build(spec(u)), MODEL, 0.8);
                usages.add(client.generate(request).usage());
            }
            // on the wire: cache_control on the static block and on the persona and arc block, not on the unit's own
            RecordedRequest sent = sim.server().requests(FakeProviderServer.MESSAGES).getFirst();
            JsonNode system = sent.json().path("system");
            assertThat(system.size()).isEqualTo(3);
            assertThat(system.get(0).has("cache_control")).isTrue();
            assertThat(system.get(1).has("cache_control")).isTrue();
            assertThat(system.get(2).has("cache_control")).isFalse();
            assertThat(system.get(1).path("text").asString()).startsWith("## This conversation").contains("### Emotional arc")
                    .doesNotContain("### Topic");
            assertThat(sent.body().split("cache_control", -1).length - 1).isEqualTo(2);
        }
        Usage first = usages.getFirst();
        assertThat(first.cacheReadTokens()).isZero();
        long bothPrefixes = first.cacheWriteTokens();
        for (Usage u : usages.subList(1, pairSize)) {
            assertThat(u.cacheReadTokens()).as("the rest of the first pair read static + persona/arc").isEqualTo(bothPrefixes);
            assertThat(u.cacheWriteTokens()).isZero();
        }
        Usage nextPair = usages.get(pairSize);
        assertThat(nextPair.cacheReadTokens()).as("the next pair reads the static prefix").isPositive().isLessThan(bothPrefixes);
        assertThat(nextPair.cacheWriteTokens()).as("and writes only its persona/arc block").isPositive()
                .isLessThan(nextPair.cacheReadTokens());
        for (Usage u : usages.subList(pairSize + 1, usages.size())) {
            assertThat(u.cacheReadTokens()).isEqualTo(nextPair.cacheReadTokens() + nextPair.cacheWriteTokens());
            assertThat(u.cacheWriteTokens()).isZero();
        }

        // the estimator's input side (uncached input, cache reads and writes) against what the simulator billed
        PriceTable prices = PriceTable.defaults();
        EstimateLine line = new CostEstimator(PACK, prices, p -> builder).estimate(units, Map.of(Phase.SEED, MODEL)).lines().getFirst();
        double estimatedInput = line.costCached() - line.outputTokens() * prices.price(MODEL).outputPerMillion() / 1e6;
        double billedInput = usages.stream().mapToDouble(u ->
                prices.cost(MODEL, new Usage(u.inputTokens(), 0, u.cacheReadTokens(), u.cacheWriteTokens()), false)).sum();
        assertThat(estimatedInput).isCloseTo(billedInput, within(billedInput * 0.02));
        assertThat(line.cacheWriteTokens()).isCloseTo(usages.stream().mapToLong(Usage::cacheWriteTokens).sum(),
                within((long) (line.cacheWriteTokens() * 0.02)));
    }
}
