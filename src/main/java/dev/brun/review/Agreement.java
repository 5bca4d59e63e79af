package dev.brun.review;

import java.util.List;
import java.util.TreeSet;

/**
 * Agreement between an automated signal ("reject this") and reviewers' decisions ("defect"):
 * confusion counts, precision and recall of the signal, and Cohen's kappa. A signal may reject
 * conversations on its own only when kappa >= {@link #GATE_KAPPA} over at least
 * {@link #GATE_DECISIONS} decisions, so an unmeasured or weak signal never discards work.
 */
public record Agreement(int truePositive, int falsePositive, int falseNegative, int trueNegative) {

    public static final double GATE_KAPPA = 0.6;
    public static final int GATE_DECISIONS = 50;

    /** One reviewed conversation: what the signal said and what the reviewer decided. */
    public record Pair(boolean signalRejects, boolean reviewerDefect) {}

    /** A score together with the reviewer's decision; low scores mean "reject". */
    public record Scored(double score, boolean reviewerDefect) {}

    /** The threshold (reject when score < threshold) with the highest kappa, and its agreement. */
    public record Threshold(double threshold, Agreement agreement) {}

    public static Agreement of(List<Pair> pairs) {
        int tp = 0, fp = 0, fn = 0, tn = 0;
        for (Pair p : pairs) {
            if (p.signalRejects() && p.reviewerDefect()) tp++;
            else if (p.signalRejects()) fp++;
            else if (p.reviewerDefect()) fn++;
            else tn++;
        }
        return new Agreement(tp, fp, fn, tn);
    }

    public static Agreement atThreshold(List<Scored> scored, double threshold) {
        return of(scored.stream().map(s -> new Pair(s.score() < threshold, s.reviewerDefect())).toList());
    }

    public static Threshold bestThreshold(List<Scored> scored) {
        TreeSet<Double> candidates = new TreeSet<>();
        for (Scored s : scored) candidates.add(s.score());
        Threshold best = null;
        for (double t : candidates) {
            // Rejecting below a score just above each observed value covers every distinct cut.
            double cut = Math.nextUp(t);
            Agreement a = atThreshold(scored, cut);
            if (best == null || a.kappa() > best.agreement().kappa()) best = new Threshold(cut, a);
        }
        return best;
    }

    public int decisions() {
        return truePositive + falsePositive + falseNegative + trueNegative;
    }

    public double precision() {
        int said = truePositive + falsePositive;
        return said == 0 ? 0 : (double) truePositive / said;
    }

    public double recall() {
        int defects = truePositive + falseNegative;
        return defects == 0 ? 0 : (double) truePositive / defects;
    }

    public double kappa() {
        double n = decisions();
        if (n == 0) return 0;
        double observed = (truePositive + trueNegative) / n;
        double signalYes = (truePositive + falsePositive) / n;
        double reviewerYes = (truePositive + falseNegative) / n;
        double expected = signalYes * reviewerYes + (1 - signalYes) * (1 - reviewerYes);
        // Both sides saw only one class (say, no defect and a signal that never fired): agreement is certain by
        // chance, so kappa carries no evidence and counts as none.
        return expected >= 1 ? 0 : (observed - expected) / (1 - expected);
    }

    /** Whether kappa means anything here: at least one side saw both classes. */
    public boolean measurable() {
        double n = decisions();
        if (n == 0) return false;
        double signalYes = (truePositive + falsePositive) / n;
        double reviewerYes = (truePositive + falseNegative) / n;
        return signalYes * reviewerYes + (1 - signalYes) * (1 - reviewerYes) < 1;
    }

    /** Whether the measured agreement allows this signal to reject automatically. */
    public boolean mayRejectAutomatically() {
        return decisions() >= GATE_DECISIONS && kappa() >= GATE_KAPPA;
    }
}
