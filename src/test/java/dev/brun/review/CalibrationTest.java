package dev.brun.review;

import dev.brun.store.ReviewedConversation;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class CalibrationTest {

    /** n conversations; the first `defects` are defects; the check flags the first `flagged`. */
    private static List<ReviewedConversation> set(int n, int defects, int flagged) {
        List<ReviewedConversation> out = new ArrayList<>();
        for (int i = 0; i < n; i++)
            out.add(new ReviewedConversation("c" + i, i < defects, i < flagged ? Set.of("truncated") : Set.of(), null, null));
        return out;
    }

    private static Calibration.Signal check(Calibration c) {
        return c.signals().stream().filter(s -> s.name().equals("check:truncated")).findFirst().orElseThrow();
    }

    @Test
    void aSignalThatAgreesOverFiftyDecisionsQualifies() {
        Calibration c = Calibration.of(set(60, 10, 10), List.of("truncated"));
        assertThat(check(c).agreement()).isEqualTo(new Agreement(10, 0, 0, 50));
        assertThat(check(c).qualifies()).isTrue();
        assertThat(c.qualifyingSignals()).extracting(Calibration.Signal::name).containsExactly("check:truncated");
    }

    @Test
    void theGateRefusesTooFewDecisionsEvenAtPerfectAgreement() {
        Calibration c = Calibration.of(set(49, 10, 10), List.of("truncated"));
        assertThat(check(c).agreement().kappa()).isEqualTo(1.0);
        assertThat(check(c).qualifies()).isFalse();
        assertThat(check(c).gateReason()).isEqualTo("only 49 reviewed decisions (needs 50)");
        assertThat(c.qualifyingSignals()).isEmpty();
    }

    @Test
    void theGateRefusesAWeakSignalOverManyDecisions() {
        // 60 decisions, 10 defects; the check flags the 10 defects and 10 clean ones: TP 10, FP 10, FN 0, TN 40.
        // po = 50/60, signal yes = 1/3, reviewer yes = 1/6, pe = 1/18 + 10/18 = 11/18; kappa = (15/18 - 11/18) / (7/18) = 4/7.
        Calibration c = Calibration.of(set(60, 10, 20), List.of("truncated"));
        assertThat(check(c).agreement()).isEqualTo(new Agreement(10, 10, 0, 40));
        assertThat(check(c).agreement().kappa()).isCloseTo(4.0 / 7, org.assertj.core.data.Offset.offset(1e-12));
        assertThat(check(c).qualifies()).isFalse();
        assertThat(check(c).gateReason()).isEqualTo("kappa 0.57 is below 0.6");
    }

    @Test
    void aCodeThatNeverFiredOnReviewedConversationsIsMeasuredAsSilent() {
        Calibration c = Calibration.of(set(5, 2, 0), List.of("truncated", "role_order"));
        assertThat(c.signals()).extracting(Calibration.Signal::name).containsExactly("check:role_order", "check:truncated");
        assertThat(check(c).agreement()).isEqualTo(new Agreement(0, 0, 2, 3));
    }

    @Test
    void eachScoringMethodIsItsOwnSignalAtItsBestThreshold() {
        List<ReviewedConversation> r = List.of(
                new ReviewedConversation("a", true, Set.of(), 2.0, "heuristic"),
                new ReviewedConversation("b", false, Set.of(), 4.0, "heuristic"),
                new ReviewedConversation("c", true, Set.of(), 1.5, "judge:claude-haiku-4-5"),
                new ReviewedConversation("d", false, Set.of(), 4.5, "judge:claude-haiku-4-5"),
                new ReviewedConversation("e", false, Set.of(), null, null));
        Calibration c = Calibration.of(r, List.of());
        assertThat(c.decisions()).isEqualTo(5);
        assertThat(c.defects()).isEqualTo(2);
        assertThat(c.signals()).extracting(Calibration.Signal::name).containsExactly("score:heuristic", "score:judge:claude-haiku-4-5");
        Calibration.Signal heuristic = c.signals().getFirst();
        assertThat(heuristic.threshold()).isGreaterThan(2.0).isLessThan(4.0);
        assertThat(heuristic.agreement()).isEqualTo(new Agreement(1, 0, 0, 1));
    }

    @Test
    void onlyAQualifyingSignalEverRejectsAConversationAutomatically() {
        List<ReviewedConversation> r = new ArrayList<>();
        // 60 decisions: truncated agrees perfectly (qualifies); role_order fires on one clean conversation only (does not).
        for (int i = 0; i < 60; i++)
            r.add(new ReviewedConversation("c" + i, i < 10, i < 10 ? Set.of("truncated") : i == 30 ? Set.of("role_order") : Set.of(),
                    i < 10 ? 2.0 : 4.0, "heuristic"));
        Calibration c = Calibration.of(r, List.of());
        assertThat(c.qualifyingSignals()).extracting(Calibration.Signal::name).containsExactly("check:truncated", "score:heuristic");
        assertThat(c.automaticRejection(Set.of("truncated"), null, null)).map(Calibration.Signal::name).hasValue("check:truncated");
        assertThat(c.automaticRejection(Set.of("role_order"), 4.5, "heuristic")).isEmpty();
        assertThat(c.automaticRejection(Set.of(), 2.0, "heuristic")).map(Calibration.Signal::name).hasValue("score:heuristic");
        assertThat(c.automaticRejection(Set.of(), 2.0, "judge:claude-haiku-4-5")).isEmpty(); // that judge was never measured
        assertThat(c.automaticRejection(Set.of(), 4.0, "heuristic")).isEmpty();
    }
}
