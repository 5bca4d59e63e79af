package dev.brun.review;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class AgreementTest {

    private static List<Agreement.Pair> pairs(int tp, int fp, int fn, int tn) {
        List<Agreement.Pair> out = new ArrayList<>();
        for (int i = 0; i < tp; i++) out.add(new Agreement.Pair(true, true));
        for (int i = 0; i < fp; i++) out.add(new Agreement.Pair(true, false));
        for (int i = 0; i < fn; i++) out.add(new Agreement.Pair(false, true));
        for (int i = 0; i < tn; i++) out.add(new Agreement.Pair(false, false));
        return out;
    }

    @Test
    void handLabelledSetMatchesHandWorkedValues() {
        // po = 35/50 = 0.7; signal says reject 25/50, reviewers 30/50; pe = .5*.6 + .5*.4 = .5;
        // kappa = (.7 - .5) / (1 - .5) = 0.4; precision 20/25; recall 20/30.
        Agreement a = Agreement.of(pairs(20, 5, 10, 15));
        assertThat(a).isEqualTo(new Agreement(20, 5, 10, 15));
        assertThat(a.decisions()).isEqualTo(50);
        assertThat(a.kappa()).isCloseTo(0.4, within(1e-12));
        assertThat(a.precision()).isCloseTo(0.8, within(1e-12));
        assertThat(a.recall()).isCloseTo(2 / 3.0, within(1e-12));
    }

    @Test
    void gateRefusesWeakOrUnderMeasuredSignals() {
        assertThat(Agreement.of(pairs(20, 5, 10, 15)).mayRejectAutomatically()).isFalse(); // kappa 0.4
        assertThat(Agreement.of(pairs(5, 0, 0, 5)).mayRejectAutomatically()).isFalse(); // kappa 1, n 10
        // po = .96, pe = .5, kappa = .92 over 50 decisions.
        Agreement strong = Agreement.of(pairs(24, 1, 1, 24));
        assertThat(strong.kappa()).isCloseTo(0.92, within(1e-12));
        assertThat(strong.mayRejectAutomatically()).isTrue();
    }

    @Test
    void aSignalThatNeverFiredOnDefectFreeDecisionsIsNotEvidenceAndNeverQualifies() {
        Agreement silent = new Agreement(0, 0, 0, 80);
        assertThat(silent.measurable()).isFalse();
        assertThat(silent.kappa()).isZero();
        assertThat(silent.mayRejectAutomatically()).isFalse();
        assertThat(new Agreement(0, 3, 0, 77).measurable()).isTrue();
    }

    @Test
    void bestThresholdSeparatesLowScoringDefects() {
        List<Agreement.Scored> scored = List.of(
                new Agreement.Scored(0.2, true), new Agreement.Scored(0.3, true), new Agreement.Scored(0.4, false),
                new Agreement.Scored(0.7, false), new Agreement.Scored(0.9, false));
        Agreement.Threshold best = Agreement.bestThreshold(scored);
        assertThat(best.agreement()).isEqualTo(new Agreement(2, 0, 0, 3));
        assertThat(best.agreement().kappa()).isEqualTo(1.0);
        assertThat(best.threshold()).isGreaterThan(0.3).isLessThan(0.4);
    }
}
