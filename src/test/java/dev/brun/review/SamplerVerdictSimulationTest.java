package dev.brun.review;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Issue 12, "Done when" 2: the sampler and the verdict together, over many seeded draws. The stratum is spread over
 * persona x arc x topic combinations as a real one is, defects are placed at random each time, and the sample is
 * drawn by the {@link Sampler} the plans use (not by the hypergeometric formula the plan was sized with).
 */
class SamplerVerdictSimulationTest {
    private static final int DRAWS = 3000;
    private static final int STRATUM = 1200;

    private record Item(String id, String combination, boolean defective) {}

    /** Share of draws in which the stratum is accepted, with the given number of defective conversations. */
    private static double acceptedShare(SamplingPlan plan, int defective, long seedBase) {
        int accepted = 0;
        for (int draw = 0; draw < DRAWS; draw++) {
            Random placement = new Random(seedBase + draw);
            List<Integer> order = new ArrayList<>();
            for (int i = 0; i < STRATUM; i++) order.add(i);
            Collections.shuffle(order, placement);
            Set<Integer> bad = new HashSet<>(order.subList(0, defective));
            List<Item> items = new ArrayList<>();
            // 3 personas x 5 arcs x 20 topics = 300 combinations, 4 conversations each, as in the default pack.
            for (int i = 0; i < STRATUM; i++)
                items.add(new Item(String.format("c%05d", i), (i % 3) + "/" + (i % 5) + "/" + (i % 20), bad.contains(i)));
            List<Item> sample = new Sampler(seedBase * 7919 + draw).sample(items, Item::id, Item::combination, plan.sampleSize(), "expansion");
            int defects = (int) sample.stream().filter(Item::defective).count();
            if (plan.verdict(sample.size(), defects) == SamplingPlan.Verdict.ACCEPTED) accepted++;
        }
        return (double) accepted / DRAWS;
    }

    /** Three standard deviations of a share estimated from DRAWS independent draws. */
    private static double tolerance(double p) {
        return 3 * Math.sqrt(p * (1 - p) / DRAWS);
    }

    @Test
    void atThePlansDefectRateAStratumIsAcceptedAtMostOneMinusConfidenceOfTheTime() {
        SamplingPlan plan = SamplingPlan.of(STRATUM, 0.05, 0.95, 0);
        int defective = (int) Math.ceil(0.05 * STRATUM);
        double share = acceptedShare(plan, defective, 1);
        assertThat(plan.acceptanceProbability(defective)).isLessThanOrEqualTo(0.05);
        assertThat(share).isLessThanOrEqualTo(0.05 + tolerance(0.05));
    }

    @Test
    void atAFifthOfTheRateItIsAcceptedAsOftenAsTheOperatingCurvePredicts() {
        SamplingPlan plan = SamplingPlan.of(STRATUM, 0.05, 0.95, 0);
        int defective = (int) Math.ceil(0.01 * STRATUM);
        double predicted = plan.acceptanceProbability(defective);
        double share = acceptedShare(plan, defective, 2);
        assertThat(predicted).isBetween(0.4, 0.7); // a real middle of the curve, not a trivial 0 or 1
        assertThat(share).isBetween(predicted - tolerance(predicted), predicted + tolerance(predicted));
    }

    @Test
    void withAnAllowanceTheCurveStillHoldsAtBothPoints() {
        SamplingPlan plan = SamplingPlan.of(STRATUM, 0.05, 0.95, 2);
        int atRate = (int) Math.ceil(0.05 * STRATUM);
        assertThat(acceptedShare(plan, atRate, 3)).isLessThanOrEqualTo(0.05 + tolerance(0.05));
        int fifth = (int) Math.ceil(0.01 * STRATUM);
        double predicted = plan.acceptanceProbability(fifth);
        assertThat(acceptedShare(plan, fifth, 4)).isBetween(predicted - tolerance(predicted), predicted + tolerance(predicted));
    }
}
