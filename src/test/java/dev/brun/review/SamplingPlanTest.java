package dev.brun.review;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SamplingPlanTest {

    @Test
    void sampleSizesMatchHandWorkedHypergeometricPlans() {
        // N=10, D=ceil(0.5)=1, c=0: P(accept) = (10-n)/10 <= 0.05 only at n=10.
        assertThat(SamplingPlan.of(10, 0.05, 0.95, 0).sampleSize()).isEqualTo(10);
        // N=20, D=2, c=0: P(accept) = (20-n)(19-n)/380; n=15 gives 20/380 > 0.05, n=16 gives 12/380.
        assertThat(SamplingPlan.of(20, 0.10, 0.95, 0).sampleSize()).isEqualTo(16);
        // Reading everything cannot separate a stratum whose defect count is within the allowance.
        assertThat(SamplingPlan.of(15, 0.05, 0.95, 1).sampleSize()).isEqualTo(15);
    }

    @Test
    void demoSizedProjectIsCertifiedReadingAtMostOneFifth() {
        int total = 0;
        for (int n : new int[] {150, 1200, 150}) {
            SamplingPlan plan = SamplingPlan.of(n, 0.05, 0.95, 0);
            assertThat(plan.acceptanceProbability((int) Math.ceil(0.05 * n))).isLessThanOrEqualTo(0.05);
            SamplingPlan smaller = new SamplingPlan(n, plan.sampleSize() - 1, 0.05, 0.95, 0);
            assertThat(smaller.acceptanceProbability((int) Math.ceil(0.05 * n))).isGreaterThan(0.05);
            total += plan.sampleSize();
        }
        assertThat(total).isLessThanOrEqualTo(1500 / 5);
    }

    @Test
    void upperBoundIsExactAndShrinksWithEvidence() {
        SamplingPlan plan = SamplingPlan.of(1200, 0.05, 0.95, 0);
        double bound = plan.upperBound(plan.sampleSize(), 0);
        // Zero defects in the full sample bounds the rate below the planned rate.
        assertThat(bound).isLessThan(0.05);
        assertThat(plan.upperBound(10, 0)).isGreaterThan(bound);
        assertThat(plan.upperBound(1200, 3)).isEqualTo(3 / 1200.0);
        assertThat(plan.verdict(plan.sampleSize(), 0)).isEqualTo(SamplingPlan.Verdict.ACCEPTED);
        assertThat(plan.verdict(3, 1)).isEqualTo(SamplingPlan.Verdict.REJECTED);
        assertThat(plan.verdict(3, 0)).isEqualTo(SamplingPlan.Verdict.OPEN);
    }

    record Item(String id, String combination, boolean defective) {}

    private static double simulatedAcceptance(int n, int defective, SamplingPlan plan, int draws) {
        List<Item> items = new ArrayList<>();
        for (int i = 0; i < n; i++) items.add(new Item(String.format("c%05d", i), "combo" + (i % 24), i % (n / Math.max(1, defective)) == 0 && countBelow(i, n, defective)));
        int accepted = 0;
        for (int s = 0; s < draws; s++) {
            List<Item> sample = new Sampler(s).sample(items, Item::id, Item::combination, plan.sampleSize(), "expansion");
            int defects = (int) sample.stream().filter(Item::defective).count();
            if (plan.verdict(sample.size(), defects) == SamplingPlan.Verdict.ACCEPTED) accepted++;
        }
        return (double) accepted / draws;
    }

    private static boolean countBelow(int i, int n, int defective) {
        return i / (n / Math.max(1, defective)) < defective;
    }

    @Test
    void operatingCharacteristicHoldsOverSeededDraws() {
        int n = 1200;
        SamplingPlan plan = SamplingPlan.of(n, 0.05, 0.95, 0);
        int draws = 2000;
        double atPlanRate = simulatedAcceptance(n, 60, plan, draws);
        assertThat(atPlanRate).isLessThanOrEqualTo(0.05 + 3 * Math.sqrt(0.05 * 0.95 / draws));
        double predicted = plan.acceptanceProbability(12);
        double atFifth = simulatedAcceptance(n, 12, plan, draws);
        assertThat(atFifth).isCloseTo(predicted, within(4 * Math.sqrt(predicted * (1 - predicted) / draws)));
    }

    @Test
    void sameSeedSameSampleSpreadOverCombinations() {
        List<Item> items = new ArrayList<>();
        for (int i = 0; i < 300; i++) items.add(new Item("c" + i, "combo" + (i / 10), false));
        List<Item> a = new Sampler(7).sample(items, Item::id, Item::combination, 30, "seed");
        List<Item> b = new Sampler(7).sample(new ArrayList<>(items.reversed()), Item::id, Item::combination, 30, "seed");
        assertThat(a).isEqualTo(b);
        Set<String> combos = new HashSet<>();
        a.forEach(i -> combos.add(i.combination()));
        assertThat(combos).hasSize(30);
    }
}
