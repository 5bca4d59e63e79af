package dev.brun.review;

import dev.brun.store.ReviewPlanDao;
import dev.brun.store.ReviewPlanRecord;
import dev.brun.store.SampleDecision;
import dev.brun.store.StratumRecord;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Evaluates the open plan's strata from what people decided about their samples: reviewed, defects (rejected, or
 * edited before approval), the exact upper confidence bound on the defect rate, and the verdict. An accepted
 * stratum's undecided conversations become 'accepted'; the verdict and bound are stored with the stratum.
 */
public final class SignOff {
    /** Who certifies conversations by sample in the review log. */
    public static final String ACTOR = "sign-off";

    private final ReviewPlanDao plans;

    public SignOff(ReviewPlanDao plans) {
        this.plans = plans;
    }

    /** One stratum's state: counts, bound, verdict, what the latest evaluation accepted and who decided how many. */
    public record StratumResult(StratumRecord stratum, int reviewed, int defects, double upperBound,
                                SamplingPlan.Verdict verdict, int newlyAccepted, Map<String, Integer> byReviewer,
                                int firstUndecided) {
        public int left() { return Math.max(0, stratum.sampleSize() - reviewed); }
    }

    public record Result(ReviewPlanRecord plan, List<StratumResult> strata) {
        public int newlyAccepted() { return strata.stream().mapToInt(StratumResult::newlyAccepted).sum(); }
        public Map<String, Integer> byReviewer() {
            Map<String, Integer> out = new TreeMap<>();
            strata.forEach(s -> s.byReviewer().forEach((k, v) -> out.merge(k, v, Integer::sum)));
            return out;
        }
    }

    /** Evaluates (and applies) the open plan; empty when there is none. */
    public Optional<Result> evaluate() {
        return plans.openPlan().map(this::evaluate);
    }

    public Result evaluate(ReviewPlanRecord plan) {
        Map<Long, Map<String, Integer>> reviewers = plans.decisionsByReviewer(plan.id());
        List<StratumResult> out = new ArrayList<>();
        for (StratumRecord planned : plans.strata(plan.id())) {
            // A changed seed reopens every stratum holding its descendants: they join the sample, so the verdict waits
            // for a person to read them (and an accepted stratum's certification is taken back until then).
            StratumRecord s = plans.sampleSeedChanged(planned.id()) > 0 ? plans.stratum(planned.id()).orElse(planned) : planned;
            List<SampleDecision> decisions = plans.sampleDecisions(s.id());
            int reviewed = (int) decisions.stream().filter(SampleDecision::decided).count();
            int defects = (int) decisions.stream().filter(SampleDecision::defect).count();
            int firstUndecided = 0;
            while (firstUndecided < decisions.size() && decisions.get(firstUndecided).decided()) firstUndecided++;
            SamplingPlan sp = new SamplingPlan(s.conversations(), s.sampleSize(), plan.defectRate(), plan.confidence(), plan.acceptDefects());
            double bound = sp.upperBound(reviewed, defects);
            SamplingPlan.Verdict verdict = sp.verdict(reviewed, defects);
            plans.recordVerdict(s.id(), verdict.label(), reviewed, defects, bound);
            // An accepted stratum certifies its unread members; if a later decision undoes the verdict, they go back
            // to waiting rather than staying certified by a sample that no longer passes.
            int accepted = verdict == SamplingPlan.Verdict.ACCEPTED ? plans.acceptUndecided(s.id(), ACTOR)
                    : "accepted".equals(s.verdict()) ? -plans.revokeAccepted(s.id(), ACTOR) : 0;
            StratumRecord now = plans.stratum(s.id()).orElse(s);
            out.add(new StratumResult(now, reviewed, defects, bound, verdict, Math.max(0, accepted),
                    reviewers.getOrDefault(s.id(), Map.of()), firstUndecided));
        }
        return new Result(plan, out);
    }

    /**
     * The plan, each stratum's result and bound, the reviewers, and the automatic-rejection rule with the measured
     * agreement of every automated signal, as a certified export's manifest records them.
     */
    public static Map<String, Object> manifestFacts(Result r, Calibration calibration) {
        Map<String, Object> m = manifestFacts(r);
        m.put("automatic_rejection", calibration.facts());
        return m;
    }

    /** The plan, each stratum's result and bound, and the reviewers. */
    public static Map<String, Object> manifestFacts(Result r) {
        Map<String, Object> m = new LinkedHashMap<>();
        Map<String, Object> plan = new LinkedHashMap<>();
        plan.put("id", r.plan().id());
        plan.put("created_at", r.plan().createdAt().toString());
        plan.put("strata_by", r.plan().strataBy());
        plan.put("defect_rate", r.plan().defectRate());
        plan.put("confidence", r.plan().confidence());
        plan.put("accept_defects", r.plan().acceptDefects());
        plan.put("seed", r.plan().seed());
        plan.put("overlap", r.plan().overlap());
        m.put("plan", plan);
        m.put("rule", "a stratum is accepted when its whole sample is read with at most accept_defects defects (a defect is a"
                + " rejection or an edit before approval); its unread conversations are then 'accepted'. The bound is the exact"
                + " one-sided upper confidence bound on the stratum's defect rate at the plan's confidence (hypergeometric).");
        List<Map<String, Object>> strata = new ArrayList<>();
        for (StratumResult s : r.strata()) strata.add(row(s));
        m.put("strata", strata);
        m.put("reviewers", new ArrayList<>(new TreeSet<>(r.byReviewer().keySet())));
        return m;
    }

    /** The sign-off row of a stratum, with the keys `brun review signoff --json` prints. */
    public static Map<String, Object> row(StratumResult s) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("stratum", s.stratum().label());
        row.put("conversations", s.stratum().conversations());
        row.put("sample_size", s.stratum().sampleSize());
        row.put("reviewed", s.reviewed());
        row.put("defects", s.defects());
        row.put("defect_rate_upper_bound", Math.round(s.upperBound() * 10000) / 10000.0);
        row.put("verdict", s.verdict().label());
        return row;
    }

    /** What a rejected stratum means and the two ways on, in words for people. */
    public static String rejectedAdvice(StratumResult s, ReviewPlanRecord plan) {
        return "stratum '" + s.stratum().label() + "' is rejected: its sample holds " + s.defects() + " defect(s), more than the "
                + plan.acceptDefects() + " the plan accepts, so its defect rate may be above " + percent(plan.defectRate())
                + " (upper bound " + percent(s.upperBound()) + " at " + percent(plan.confidence()) + " confidence). Nothing in it is "
                + "accepted or discarded. Ways on: (1) review the whole stratum (Sign-off page, 'Review all'; each conversation is "
                + "exported once a person approves it), or (2) plan replacements: fix what made the defects, generate a new batch "
                + "and run 'brun review plan' again: the new conversations form a stratum of their own.";
    }

    static String percent(double x) {
        double p = x * 100;
        return (p == Math.rint(p) ? Long.toString(Math.round(p)) : String.format(java.util.Locale.ROOT, "%.1f", p)) + "%";
    }
}
