package dev.brun.plan;

import dev.brun.pack.Pack;
import dev.brun.pack.Phase;
import dev.brun.pack.TinyPacks;
import dev.brun.prompt.PromptBuilder;
import org.junit.jupiter.api.Test;

import java.util.Collections;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class CostEstimatorTest {
    private final Pack pack = TinyPacks.of(2, 2, 5, List.of());
    private final CoverageMatrix matrix = new CoverageMatrix(pack);
    private final List<PlannedUnit> units = matrix.units(Phase.SEED, matrix.combinations(PlanFilter.ALL), 0, 1);

    private Estimate estimate(PromptBuilder builder, String model) {
        return new CostEstimator(pack, PriceTable.defaults(), p -> builder).estimate(units, Map.of(Phase.SEED, model));
    }

    /** Tokens of each persona x arc pair's block as the estimator counts them: its second prefix less its first. */
    private Map<String, Long> pairStretches(PromptBuilder builder) {
        Map<String, Long> out = new java.util.LinkedHashMap<>();
        for (PlannedUnit u : units) {
            var spec = new dev.brun.prompt.UnitSpec(u.key(), u.phase(), pack.persona(u.personaKey()).orElseThrow(),
                    pack.arc(u.arcKey()).orElseThrow(), pack.topic(u.topicKey()).orElseThrow(), u.variationIndex());
            var p = builder.build(spec);
            out.put(u.personaKey() + "|" + u.arcKey(), TokenCounter.tokens(p.personaArcPrefixChars()) - TokenCounter.tokens(p.prefixChars()));
        }
        return out;
    }

    @Test
    void cachedEstimateWritesEachPrefixOnceAndReadsItForEveryOtherCallOfItsGroup() {
        PromptBuilder builder = new PromptBuilder(pack);
        EstimateLine l = estimate(builder, "claude-sonnet-4-5").lines().getFirst();
        assertThat(l.units()).isEqualTo(20);
        assertThat(l.prefixTokens()).isGreaterThanOrEqualTo(1024);
        assertThat(l.cacheApplies()).isTrue();
        // static prefix: written by the first of 20 calls; each of the 4 persona x arc blocks: by the first of its 5
        Map<String, Long> stretches = pairStretches(builder);
        assertThat(stretches).hasSize(4);
        long pairs = stretches.values().stream().mapToLong(Long::longValue).sum();
        assertThat(l.cacheWriteTokens()).isEqualTo(l.prefixTokens() + pairs);
        assertThat(l.cacheReadTokens()).isEqualTo(l.prefixTokens() * 19 + pairs * 4);
        assertThat(l.note()).contains("persona and arc blocks: 4 cached (16 reads)");
        double in = 3.0 / 1e6, out = 15.0 / 1e6;
        long uncachedInput = l.promptTokens() - l.prefixTokens() * 20 - pairs * 5;
        double expected = uncachedInput * in + (l.prefixTokens() + pairs) * in * 1.25 + (l.prefixTokens() * 19 + pairs * 4) * in * 0.1
                + l.outputTokens() * out;
        assertThat(l.costCached()).isCloseTo(expected, within(1e-9));
        assertThat(l.costPlain()).isCloseTo(l.promptTokens() * in + l.outputTokens() * out, within(1e-9));
        // through Message Batches the prefixes are written to the one-hour cache: 2x input instead of 1.25x, then half price
        double expectedBatch = (uncachedInput * in + (l.prefixTokens() + pairs) * in * 2.0 + (l.prefixTokens() * 19 + pairs * 4) * in * 0.1
                + l.outputTokens() * out) / 2;
        assertThat(l.costCachedBatch()).isCloseTo(expectedBatch, within(1e-9));
        assertThat(l.cacheTtl()).isEqualTo("5m");
        assertThat(l.batchCacheTtl()).isEqualTo("1h");
        assertThat(l.costCached()).isLessThan(l.costPlain());
    }

    @Test
    void prefixBelowTheModelsMinimumIsNotCachedAndSaysSo() {
        // Haiku 4.5 caches only prefixes of at least 4,096 tokens; the tiny pack's prefix is far smaller.
        EstimateLine l = estimate(new PromptBuilder(pack), "claude-haiku-4-5").lines().getFirst();
        assertThat(l.prefixTokens()).isLessThan(4096);
        assertThat(l.cacheApplies()).isFalse();
        assertThat(l.costCached()).isEqualTo(l.costPlain());
        assertThat(l.note()).contains("caching will not apply");
    }

    @Test
    void seedExamplesThatLiftThePrefixOverTheMinimumMakeHaikuCacheable() {
        String example = String.join(" ", Collections.nCopies(3500, "word"));
        EstimateLine l = estimate(new PromptBuilder(pack, List.of(example, example)), "claude-haiku-4-5").lines().getFirst();
        assertThat(l.prefixTokens()).isGreaterThanOrEqualTo(4096);
        assertThat(l.cacheApplies()).isTrue();
    }

    @Test
    void outputTokensFollowTheArcsExchangeRange() {
        EstimateLine l = estimate(new PromptBuilder(pack), "claude-sonnet-4-5").lines().getFirst();
        // tiny arcs: 3..5 exchanges -> 4 on average
        assertThat(l.outputTokens()).isEqualTo(20L * (4 * OutputBudget.TOKENS_PER_EXCHANGE + OutputBudget.OVERHEAD_TOKENS));
    }
}
