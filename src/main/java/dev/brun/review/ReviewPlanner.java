package dev.brun.review;

import dev.brun.BadInputException;
import dev.brun.store.ReviewCandidate;
import dev.brun.store.ReviewPlanDao;
import dev.brun.store.ReviewPlanRecord;
import dev.brun.store.StratumMember;
import dev.brun.store.StratumRecord;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;

/**
 * Makes and stores review plans: splits the reviewable conversations into strata, sizes each stratum's sample
 * with an exact acceptance-sampling plan and draws it with the {@link Sampler}. Every member of a stratum gets a
 * place in one seeded reading order, the sample first, so the same seed gives the same walk.
 */
public final class ReviewPlanner {
    /** Reading speed for the time estimates. */
    public static final double WORDS_PER_MINUTE = 250;

    private final ReviewPlanDao plans;

    public ReviewPlanner(ReviewPlanDao plans) {
        this.plans = plans;
    }

    /** One stratum as planned, with its sample in reading order and its reading time: the sample's and the whole stratum's. */
    public record StratumLine(StratumRecord stratum, List<String> sample, long sampleWords, long allWords, boolean added) {
        public double sampleMinutes() { return sampleWords / WORDS_PER_MINUTE; }
        public double allMinutes() { return allWords / WORDS_PER_MINUTE; }
    }

    /** What {@link #plan} did: made a plan, replaced one, added strata for new conversations, or changed nothing. */
    public enum Action { CREATED, REPLACED, ADDED, UNCHANGED }

    public record Outcome(ReviewPlanRecord plan, Action action, List<StratumLine> strata) {
        public int conversations() { return strata.stream().mapToInt(s -> s.stratum().conversations()).sum(); }
        public int sampleSize() { return strata.stream().mapToInt(s -> s.stratum().sampleSize()).sum(); }
        public double sampleHours() { return strata.stream().mapToDouble(StratumLine::sampleMinutes).sum() / 60; }
        public double allHours() { return strata.stream().mapToDouble(StratumLine::allMinutes).sum() / 60; }
        public double hoursSaved() { return allHours() - sampleHours(); }
    }

    /**
     * Plans review. With an open plan and no {@code replace}, the same parameters add strata for conversations the
     * plan does not hold yet (a new batch never joins a stratum decided without it); other parameters are refused.
     */
    public Outcome plan(PlanParameters p, boolean replace) {
        var open = plans.openPlan();
        if (open.isPresent() && !replace) {
            ReviewPlanRecord current = open.get();
            if (!sameParameters(current, p))
                throw new BadInputException("review plan " + current.id() + " is open (by " + current.strataBy() + ", defect rate "
                        + current.defectRate() + ", confidence " + current.confidence() + ", accept defects " + current.acceptDefects()
                        + ", seed " + current.seed() + ", overlap " + current.overlap() + "); pass --replace to replace it with these"
                        + " settings, or repeat its settings to add new conversations to it");
            List<StratumRecord> existing = plans.strata(current.id());
            List<ReviewCandidate> fresh = plans.candidates(current.id());
            Set<Long> before = new HashSet<>();
            existing.forEach(s -> before.add(s.id()));
            if (!fresh.isEmpty()) plans.addStrata(current.id(), strata(p, fresh, existing));
            return outcome(current, fresh.isEmpty() ? Action.UNCHANGED : Action.ADDED, before);
        }
        List<ReviewCandidate> candidates = plans.candidates(null);
        if (candidates.isEmpty())
            throw new BadInputException("nothing to plan: no conversation is waiting for review (every one is approved, rejected, "
                    + "accepted or has an error flag); generate or import some first");
        long id = plans.createPlan(new ReviewPlanDao.NewPlan(p.strataBy(), p.defectRate(), p.confidence(), p.acceptDefects(),
                p.seed(), p.overlap()), strata(p, candidates, List.of()), open.isPresent());
        return outcome(plans.plan(id).orElseThrow(), open.isPresent() ? Action.REPLACED : Action.CREATED, Set.of());
    }

    /** The open plan as it stands, or empty. */
    public java.util.Optional<Outcome> current() {
        return plans.openPlan().map(p -> outcome(p, Action.UNCHANGED, null));
    }

    private Outcome outcome(ReviewPlanRecord plan, Action action, Set<Long> before) {
        List<StratumLine> lines = new ArrayList<>();
        for (StratumRecord s : plans.strata(plan.id())) {
            Map<Boolean, Long> words = plans.wordsBySampled(s.id());
            List<String> sample = plans.sampleDecisions(s.id()).stream().map(dev.brun.store.SampleDecision::conversationId).toList();
            lines.add(new StratumLine(s, sample, words.get(true), words.get(true) + words.get(false), before != null && !before.contains(s.id())));
        }
        return new Outcome(plan, action, lines);
    }

    private static boolean sameParameters(ReviewPlanRecord r, PlanParameters p) {
        return r.strataBy().equals(p.strataBy()) && r.defectRate() == p.defectRate() && r.confidence() == p.confidence()
                && r.acceptDefects() == p.acceptDefects() && r.seed() == p.seed() && r.overlap() == p.overlap();
    }

    /** Strata for the candidates; a key that an existing stratum already has gets a batch number in its label. */
    static List<ReviewPlanDao.NewStratum> strata(PlanParameters p, List<ReviewCandidate> candidates, List<StratumRecord> existing) {
        Map<String, List<ReviewCandidate>> byKey = new TreeMap<>();
        for (ReviewCandidate c : candidates) byKey.computeIfAbsent(StratumDimension.key(p.by(), c), k -> new ArrayList<>()).add(c);
        Sampler sampler = new Sampler(p.seed());
        List<ReviewPlanDao.NewStratum> out = new ArrayList<>();
        for (var e : byKey.entrySet()) {
            String key = e.getKey();
            long earlier = existing.stream().filter(s -> s.key().equals(key)).count();
            String label = earlier == 0 ? key : key + " (batch " + (earlier + 1) + ")";
            List<ReviewCandidate> members = e.getValue();
            SamplingPlan sp = SamplingPlan.of(members.size(), p.defectRate(), p.confidence(), p.acceptDefects());
            List<ReviewCandidate> sample = sampler.sample(members, ReviewCandidate::id, ReviewCandidate::combination, sp.sampleSize(), label);
            Set<String> sampled = new HashSet<>();
            sample.forEach(c -> sampled.add(c.id()));
            List<ReviewCandidate> rest = new ArrayList<>(members.stream().filter(c -> !sampled.contains(c.id())).toList());
            rest.sort(Comparator.comparing(ReviewCandidate::id));
            Collections.shuffle(rest, new Random(p.seed() * 31 + label.hashCode()));
            int twice = p.overlap() == 0 ? 0 : (int) Math.ceil(p.overlap() * sample.size());
            List<StratumMember> list = new ArrayList<>();
            for (int i = 0; i < sample.size(); i++) list.add(new StratumMember(sample.get(i).id(), i, true, i < twice ? 2 : 1));
            for (int i = 0; i < rest.size(); i++) list.add(new StratumMember(rest.get(i).id(), sample.size() + i, false, 1));
            out.add(new ReviewPlanDao.NewStratum(key, label, sp.sampleSize(), list));
        }
        return out;
    }
}
