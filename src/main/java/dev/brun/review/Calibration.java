package dev.brun.review;

import dev.brun.store.ReviewHistoryDao;
import dev.brun.store.ReviewedConversation;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeMap;

/**
 * How far each automated verdict agrees with people, measured on the conversations a person approved or
 * rejected (an edit before approval counts as a defect): every error-severity check code ("the flag says
 * reject"), the heuristic overall score and each LLM judge's score ("reject below the threshold", at the
 * threshold that maximises kappa). Only a signal passing {@link Agreement#mayRejectAutomatically()} may
 * reject on its own; every other one is shown for information and never applied.
 */
public record Calibration(int decisions, int defects, List<Signal> signals) {

    public enum Kind {
        CHECK, SCORE;
        public String wire() { return name().toLowerCase(Locale.ROOT); }
    }

    /**
     * One signal's agreement with reviewers. name: "check:CODE", "score:heuristic" or "score:judge:MODEL";
     * threshold: for a score, reject when the overall score is below it (null for a check, or for a score
     * nobody reviewed yet).
     */
    public record Signal(String name, Kind kind, Double threshold, Agreement agreement) {
        /** Whether this signal may reject conversations automatically (kappa and decision count both pass the gate). */
        public boolean qualifies() { return agreement.mayRejectAutomatically(); }

        /** Why it qualifies or not, in words a reviewer can check against the numbers. */
        public String gateReason() {
            if (agreement.decisions() < Agreement.GATE_DECISIONS)
                return "only " + agreement.decisions() + " reviewed decisions (needs " + Agreement.GATE_DECISIONS + ")";
            if (!agreement.measurable())
                return "not measurable yet: the signal and the reviewers each said only one thing";
            if (agreement.kappa() < Agreement.GATE_KAPPA)
                return String.format(Locale.ROOT, "kappa %.2f is below %.1f", agreement.kappa(), Agreement.GATE_KAPPA);
            return String.format(Locale.ROOT, "kappa %.2f over %d decisions", agreement.kappa(), agreement.decisions());
        }
    }

    public Calibration {
        signals = List.copyOf(signals);
    }

    /** The rule, stated once for reports and manifests. */
    public static final String GATE_RULE = String.format(Locale.ROOT,
            "a signal may reject automatically only when Cohen's kappa with reviewers is >= %.1f over >= %d reviewed decisions;"
                    + " every other signal is shown for information and never applied", Agreement.GATE_KAPPA, Agreement.GATE_DECISIONS);

    /** Measures every signal against what people decided, as stored. */
    public static Calibration measure(ReviewHistoryDao history) {
        return of(history.reviewed(), history.errorCodes());
    }

    /** Measures every signal over these reviewed conversations; errorCodes = every error check code known (one that never fired counts too). */
    public static Calibration of(List<ReviewedConversation> reviewed, List<String> errorCodes) {
        List<Signal> signals = new ArrayList<>();
        TreeMap<String, Boolean> codes = new TreeMap<>();
        errorCodes.forEach(c -> codes.put(c, true));
        reviewed.forEach(r -> r.errorCodes().forEach(c -> codes.put(c, true)));
        for (String code : codes.keySet()) {
            Agreement a = Agreement.of(reviewed.stream()
                    .map(r -> new Agreement.Pair(r.errorCodes().contains(code), r.defect())).toList());
            signals.add(new Signal("check:" + code, Kind.CHECK, null, a));
        }
        TreeMap<String, List<Agreement.Scored>> byMethod = new TreeMap<>();
        for (ReviewedConversation r : reviewed) {
            if (r.overall() == null || r.scoreMethod() == null) continue;
            byMethod.computeIfAbsent(r.scoreMethod(), k -> new ArrayList<>()).add(new Agreement.Scored(r.overall(), r.defect()));
        }
        byMethod.forEach((method, scored) -> {
            Agreement.Threshold best = Agreement.bestThreshold(scored);
            signals.add(new Signal("score:" + method, Kind.SCORE, best.threshold(), best.agreement()));
        });
        int defects = (int) reviewed.stream().filter(ReviewedConversation::defect).count();
        return new Calibration(reviewed.size(), defects, signals);
    }

    /** The signals that pass the gate: the only ones an automatic rejection may use. */
    public List<Signal> qualifyingSignals() {
        return signals.stream().filter(Signal::qualifies).toList();
    }

    /**
     * The qualifying signal that rejects a conversation with these error codes and this score (method as stored:
     * "heuristic" or "judge:MODEL"; both null when unscored), or empty when none does. A signal that does not
     * qualify is never consulted, so an unmeasured or weak signal can never discard a conversation.
     */
    public java.util.Optional<Signal> automaticRejection(java.util.Set<String> errorCodes, Double overall, String scoreMethod) {
        for (Signal s : qualifyingSignals()) {
            if (s.kind() == Kind.CHECK && errorCodes.contains(s.name().substring("check:".length()))) return java.util.Optional.of(s);
            if (s.kind() == Kind.SCORE && overall != null && s.threshold() != null && s.name().equals("score:" + scoreMethod)
                    && overall < s.threshold()) return java.util.Optional.of(s);
        }
        return java.util.Optional.empty();
    }

    /** The calibration of automated verdicts: per signal its confusion counts, precision, recall, kappa, n and the gate. */
    public java.util.Map<String, Object> facts() {
        Calibration c = this;
        java.util.Map<String, Object> doc = new java.util.LinkedHashMap<>();
        doc.put("decisions", c.decisions());
        doc.put("defects", c.defects());
        doc.put("rule", Calibration.GATE_RULE);
        doc.put("gate_kappa", Agreement.GATE_KAPPA);
        doc.put("gate_decisions", Agreement.GATE_DECISIONS);
        doc.put("signals", c.signals().stream().map(s -> {
            java.util.Map<String, Object> m = new java.util.LinkedHashMap<>();
            Agreement a = s.agreement();
            m.put("signal", s.name());
            m.put("kind", s.kind().wire());
            m.put("threshold", s.threshold());
            m.put("true_positive", a.truePositive());
            m.put("false_positive", a.falsePositive());
            m.put("false_negative", a.falseNegative());
            m.put("true_negative", a.trueNegative());
            m.put("precision", round3(a.precision()));
            m.put("recall", round3(a.recall()));
            m.put("kappa", round3(a.kappa()));
            m.put("n", a.decisions());
            m.put("qualifies", s.qualifies());
            m.put("gate_reason", s.gateReason());
            return m;
        }).toList());
        doc.put("qualifying_signals", c.qualifyingSignals().stream().map(Calibration.Signal::name).toList());
        return doc;
    }

    private static double round3(double x) {
        return Math.round(x * 1000) / 1000.0;
    }
}
