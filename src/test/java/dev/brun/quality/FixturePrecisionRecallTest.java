package dev.brun.quality;

import dev.brun.conversation.QualityFlag;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Precision and recall of every check on the labelled fixture set. The minimums are the figures recorded
 * in docs/benchmarks-quality.md: a change that loses accuracy fails here.
 */
class FixturePrecisionRecallTest {
    record Score(int tp, int fp, int fn) {
        double precision() { return tp + fp == 0 ? 1 : (double) tp / (tp + fp); }
        double recall() { return tp + fn == 0 ? 1 : (double) tp / (tp + fn); }
    }

    /** code -> {min precision, min recall}, as recorded in docs/benchmarks-quality.md. */
    static final Map<String, double[]> MINIMUMS = Map.ofEntries(
            Map.entry("truncated", new double[] {1.0, 1.0}),
            Map.entry("role_order", new double[] {1.0, 1.0}),
            Map.entry("empty_turn", new double[] {1.0, 1.0}),
            Map.entry("markup_leak", new double[] {1.0, 1.0}),
            Map.entry("turn_count", new double[] {1.0, 1.0}),
            Map.entry("repeated_ngram", new double[] {1.0, 1.0}),
            Map.entry("repeated_opening", new double[] {1.0, 1.0}),
            Map.entry("echoes_user", new double[] {1.0, 1.0}),
            Map.entry("persona_mismatch", new double[] {1.0, 1.0}),
            Map.entry("arc_mismatch", new double[] {1.0, 1.0}),
            Map.entry("topic_drift", new double[] {1.0, 1.0}),
            Map.entry("facts_before_feelings", new double[] {1.0, 1.0}),
            Map.entry("no_permission", new double[] {1.0, 1.0}),
            Map.entry("unexplained_jargon", new double[] {1.0, 1.0}),
            Map.entry("judgment", new double[] {1.0, 1.0}),
            Map.entry("platitude", new double[] {1.0, 1.0}));

    static Map<String, Score> evaluate() {
        ConversationChecker checker = ConversationChecker.standard();
        var pack = TestPack.financialPlanning();
        Map<String, int[]> counts = new TreeMap<>();
        for (Fixtures.Labelled f : Fixtures.all()) {
            Set<String> flagged = checker.check(f.conversation(), pack).stream().map(QualityFlag::code).collect(Collectors.toSet());
            for (String code : checker.codes()) {
                if (code.equals(LengthOutliers.CODE)) continue; // a group check, measured in LengthOutliersTest
                int[] c = counts.computeIfAbsent(code, k -> new int[3]);
                boolean labelled = f.labels().contains(code), found = flagged.contains(code);
                if (labelled && found) c[0]++;
                else if (found) c[1]++;
                else if (labelled) c[2]++;
            }
        }
        Map<String, Score> out = new TreeMap<>();
        counts.forEach((code, c) -> out.put(code, new Score(c[0], c[1], c[2])));
        return out;
    }

    @Test
    void fixtureSetHasAtLeastSixtyConversationsWithRealOnesAmongThem() {
        List<Fixtures.Labelled> all = Fixtures.all();
        assertThat(all).hasSizeGreaterThanOrEqualTo(60);
        assertThat(all).filteredOn(f -> f.conversation().id().startsWith("real-")).hasSize(18);
        assertThat(all).filteredOn(f -> f.labels().isEmpty()).hasSizeGreaterThanOrEqualTo(10);
    }

    @Test
    void everyCheckKeepsTheRecordedPrecisionAndRecall() {
        Map<String, Score> scores = evaluate();
        StringBuilder table = new StringBuilder("| code | TP | FP | FN | precision | recall |\n|---|---|---|---|---|---|\n");
        scores.forEach((code, s) -> table.append(String.format("| %s | %d | %d | %d | %.2f | %.2f |%n", code, s.tp(), s.fp(), s.fn(), s.precision(), s.recall())));
        System.out.println(table);
        assertThat(scores.keySet()).containsAll(MINIMUMS.keySet());
        MINIMUMS.forEach((code, min) -> {
            Score s = scores.get(code);
            assertThat(s.tp()).as("%s has positives in the fixture set", code).isGreaterThanOrEqualTo(2);
            assertThat(s.precision()).as("precision of %s (%s)", code, s).isGreaterThanOrEqualTo(min[0]);
            assertThat(s.recall()).as("recall of %s (%s)", code, s).isGreaterThanOrEqualTo(min[1]);
        });
    }

    @Test
    void theRealAgeContradictionOfTheReferenceFileIsFoundWithItsReason() {
        var real0 = Fixtures.all().stream().filter(f -> f.conversation().id().equals("real-00")).findFirst().orElseThrow();
        List<QualityFlag> flags = ConversationChecker.standard().check(real0.conversation(), TestPack.financialPlanning());
        assertThat(flags).filteredOn(f -> f.code().equals("persona_mismatch"))
                .singleElement().satisfies(f -> {
                    assertThat(f.reason()).contains("52").contains("42");
                    assertThat(f.turnIndex()).isZero();
                });
    }
}
