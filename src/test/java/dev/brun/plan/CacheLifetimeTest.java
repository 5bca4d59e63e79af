package dev.brun.plan;

import dev.brun.llm.Usage;
import dev.brun.llm.CacheTtl;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class CacheLifetimeTest {
    private static final ModelPrice SONNET = PriceTable.defaults().price("claude-sonnet-4-5");
    private static final List<CacheLifetime.Group> SEED_GROUP = List.of(new CacheLifetime.Group(3000, 150));

    @Test
    void oneHourWritesCostTwiceTheInputPriceAndFiveMinuteWritesOneAndAQuarter() {
        PriceTable prices = PriceTable.defaults();
        double in = 3.0 / 1e6;
        assertThat(prices.cost("claude-sonnet-4-5", new Usage(0, 0, 0, 1_000_000, 1_000_000), false)).isCloseTo(2.0 * 3.0, within(1e-9));
        assertThat(prices.cost("claude-sonnet-4-5", new Usage(0, 0, 0, 1_000_000, 0), false)).isCloseTo(1.25 * 3.0, within(1e-9));
        // a mixed call: 1,000 uncached, 400 written for 5 minutes, 600 for an hour, 2,000 read, 500 out
        double mixed = prices.cost("claude-sonnet-4-5", new Usage(1000, 500, 2000, 1000, 600), false);
        assertThat(mixed).isCloseTo(1000 * in + 400 * in * 1.25 + 600 * in * 2.0 + 2000 * in * 0.1 + 500 * 15.0 / 1e6, within(1e-12));
        assertThat(prices.cost("claude-sonnet-4-5", new Usage(1000, 500, 2000, 1000, 600), true)).isCloseTo(mixed / 2, within(1e-12));
        assertThat(SONNET.cacheWritePerMillion(CacheTtl.ONE_HOUR)).isEqualTo(6.0);
        assertThat(SONNET.cacheWritePerMillion(CacheTtl.FIVE_MINUTES)).isEqualTo(3.75);
    }

    @Test
    void worstCaseOfAOneHourCallPricesThePromptAtTheOneHourWrite() {
        PriceTable prices = PriceTable.defaults();
        assertThat(prices.worstCase("claude-sonnet-4-5", 1_000_000, 0, CacheTtl.ONE_HOUR)).isCloseTo(6.0, within(1e-9));
        assertThat(prices.worstCase("claude-sonnet-4-5", 1_000_000, 0)).isCloseTo(3.75, within(1e-9));
    }

    @Test
    void autoPicksOneHourForMessageBatches() {
        CacheLifetime.Choice choice = CacheLifetime.auto().choose(SONNET, SEED_GROUP, CacheLifetime.batch());
        assertThat(choice.ttl()).isEqualTo(CacheTtl.ONE_HOUR);
        assertThat(choice.automatic()).isTrue();
        // 5m: every request rewrites the prefix at 1.25x; 1h: one write at 2x, 149 reads at 0.1x; all at the batch price
        assertThat(choice.prefixCost5m()).isCloseTo(3000 * 150 * 3.75 / 1e6 * 0.5, within(1e-9));
        assertThat(choice.prefixCost1h()).isCloseTo((3000 * 6.0 + 3000 * 149 * 0.3) / 1e6 * 0.5, within(1e-9));
        assertThat(choice.reason()).contains("Message Batches");
    }

    @Test
    void autoPicksFiveMinutesForAFastSynchronousRun() {
        // 4 workers, ~3,300 output tokens per call: calls of a prefix ~17 s apart, far inside 5 minutes
        CacheLifetime.Synchronous pace = CacheLifetime.synchronous(3300, 4);
        assertThat(pace.gap()).isLessThan(Duration.ofSeconds(30));
        CacheLifetime.Choice choice = CacheLifetime.auto().choose(SONNET, SEED_GROUP, pace);
        assertThat(choice.ttl()).isEqualTo(CacheTtl.FIVE_MINUTES);
        assertThat(choice.prefixCost5m()).isLessThan(choice.prefixCost1h());
    }

    @Test
    void autoPicksOneHourWhenOneSlowWorkerWouldLetFiveMinuteEntriesLapse() {
        // one worker, 12,000-token calls: ~4 minutes per call, so a 5-minute entry often lapses between calls
        CacheLifetime.Synchronous pace = CacheLifetime.synchronous(12_000, 1);
        assertThat(pace.gap()).isGreaterThan(Duration.ofMinutes(3));
        assertThat(CacheLifetime.auto().choose(SONNET, SEED_GROUP, pace).ttl()).isEqualTo(CacheTtl.ONE_HOUR);
    }

    @Test
    void nothingReusedKeepsFiveMinutesEvenForBatches() {
        assertThat(CacheLifetime.auto().choose(SONNET, List.of(), CacheLifetime.batch()).ttl()).isEqualTo(CacheTtl.FIVE_MINUTES);
    }

    @Test
    void aFixedSettingWinsOverTheCostComparison() {
        CacheLifetime.Choice choice = CacheLifetime.fixed(CacheTtl.ONE_HOUR).choose(SONNET, SEED_GROUP, CacheLifetime.synchronous(3300, 4));
        assertThat(choice.ttl()).isEqualTo(CacheTtl.ONE_HOUR);
        assertThat(choice.automatic()).isFalse();
        assertThat(choice.reason()).contains("cache_ttl: 1h");
        assertThat(CacheLifetime.fixed(CacheTtl.FIVE_MINUTES).choose(SONNET, SEED_GROUP, CacheLifetime.batch()).ttl())
                .isEqualTo(CacheTtl.FIVE_MINUTES);
    }

    @Test
    void estimatorUsesTheConfiguredLifetimeForBothWaysOfRunning() {
        var pack = dev.brun.pack.TinyPacks.of(2, 2, 5, List.of());
        var matrix = new CoverageMatrix(pack);
        var units = matrix.units(dev.brun.pack.Phase.SEED, matrix.combinations(PlanFilter.ALL), 0, 1);
        var builder = new dev.brun.prompt.PromptBuilder(pack);
        var models = java.util.Map.of(dev.brun.pack.Phase.SEED, "claude-sonnet-4-5");
        EstimateLine auto = new CostEstimator(pack, PriceTable.defaults(), p -> builder).estimate(units, models).lines().getFirst();
        EstimateLine fixed = new CostEstimator(pack, PriceTable.defaults(), p -> builder, CacheLifetime.fixed(CacheTtl.ONE_HOUR), 4)
                .estimate(units, models).lines().getFirst();
        assertThat(auto.cacheTtl()).isEqualTo("5m");
        assertThat(fixed.cacheTtl()).isEqualTo("1h");
        assertThat(fixed.batchCacheTtl()).isEqualTo("1h");
        // the same writes (the static prefix once, each persona and arc block once), priced at 2x instead of 1.25x input
        assertThat(fixed.cacheWriteTokens()).isEqualTo(auto.cacheWriteTokens()).isGreaterThan(fixed.prefixTokens());
        assertThat(fixed.costCached() - auto.costCached()).isCloseTo(fixed.cacheWriteTokens() * 0.75 * 3.0 / 1e6, within(1e-9));
        assertThat(fixed.note()).contains("cache ttl 1h");
    }
}
