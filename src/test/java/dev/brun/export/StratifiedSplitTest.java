package dev.brun.export;

import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class StratifiedSplitTest {
    /** 4 personas x 5 arcs x 5 topics, 1-4 variations each: 100 combinations of uneven size. */
    private static Map<String, Integer> counts() {
        Map<String, Integer> counts = new HashMap<>();
        int i = 0;
        for (int p = 0; p < 4; p++)
            for (int a = 0; a < 5; a++)
                for (int t = 0; t < 5; t++) counts.put("p" + p + "|a" + a + "|t" + t, 1 + (i++ * 7) % 4);
        return counts;
    }

    @Test
    void sameSeedGivesTheSameSplitAndAnotherSeedUsuallyAnother() {
        Map<String, Integer> counts = counts();
        StratifiedSplit a = StratifiedSplit.plan(counts, 0.9, 7), b = StratifiedSplit.plan(counts, 0.9, 7), c = StratifiedSplit.plan(counts, 0.9, 8);
        assertThat(a.combinations(Split.VALIDATION)).isEqualTo(b.combinations(Split.VALIDATION)).isNotEmpty();
        assertThat(c.combinations(Split.VALIDATION)).isNotEqualTo(a.combinations(Split.VALIDATION));
    }

    @Test
    void proportionsHoldOverallAndPerPersonaArcAndTopic() {
        Map<String, Integer> counts = counts();
        for (long seed = 0; seed < 5; seed++) {
            StratifiedSplit split = StratifiedSplit.plan(counts, 0.8, seed);
            Map<String, int[]> perDimension = new HashMap<>();
            int total = 0, validation = 0;
            for (var e : counts.entrySet()) {
                boolean val = split.of(e.getKey()) == Split.VALIDATION;
                total += e.getValue();
                if (val) validation += e.getValue();
                for (String dim : e.getKey().split("\\|")) {
                    int[] tv = perDimension.computeIfAbsent(dim, k -> new int[2]);
                    tv[0] += e.getValue();
                    if (val) tv[1] += e.getValue();
                }
            }
            assertThat(validation / (double) total).as("overall, seed " + seed).isCloseTo(0.2, within(0.02));
            for (var e : perDimension.entrySet())
                assertThat(e.getValue()[1] / (double) e.getValue()[0]).as(e.getKey() + ", seed " + seed).isCloseTo(0.2, within(0.08));
        }
    }

    @Test
    void everyCombinationLandsInExactlyOneSplit() {
        Map<String, Integer> counts = counts();
        StratifiedSplit split = StratifiedSplit.plan(counts, 0.9, 1);
        assertThat(split.combinations(Split.TRAIN)).doesNotContainAnyElementsOf(split.combinations(Split.VALIDATION));
        assertThat(split.combinations(Split.TRAIN).size() + split.combinations(Split.VALIDATION).size()).isEqualTo(counts.size());
        assertThat(StratifiedSplit.plan(counts, 1.0, 1).combinations(Split.VALIDATION)).isEmpty();
    }
}
