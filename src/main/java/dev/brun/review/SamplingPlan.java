package dev.brun.review;

/**
 * An exact single-sampling acceptance plan for one finite stratum: read {@code sampleSize}
 * conversations, accept the stratum when at most {@code acceptDefects} are defective. The sample
 * size is the smallest n for which a stratum whose true defect count is ceil(rate * N) is accepted
 * with probability at most 1 - confidence; when even reading everything cannot tell such a
 * stratum apart (ceil(rate * N) <= acceptDefects), the whole stratum is read.
 */
public record SamplingPlan(int conversations, int sampleSize, double defectRate, double confidence, int acceptDefects) {

    public static SamplingPlan of(int conversations, double defectRate, double confidence, int acceptDefects) {
        if (defectRate <= 0 || defectRate >= 1) throw new IllegalArgumentException("defect rate must be in (0, 1)");
        if (confidence <= 0 || confidence >= 1) throw new IllegalArgumentException("confidence must be in (0, 1)");
        if (acceptDefects < 0) throw new IllegalArgumentException("accepted defects must be >= 0");
        if (conversations == 0) return new SamplingPlan(0, 0, defectRate, confidence, acceptDefects);
        Hypergeometric h = new Hypergeometric(conversations);
        int defective = (int) Math.ceil(defectRate * conversations - 1e-9);
        double consumerRisk = 1 - confidence;
        int size = conversations;
        if (defective > acceptDefects) {
            for (int n = acceptDefects + 1; n <= conversations; n++) {
                if (h.cumulative(defective, n, acceptDefects) <= consumerRisk) {
                    size = n;
                    break;
                }
            }
        }
        return new SamplingPlan(conversations, size, defectRate, confidence, acceptDefects);
    }

    /** Probability that a stratum with {@code defective} defective conversations is accepted (operating curve). */
    public double acceptanceProbability(int defective) {
        if (sampleSize == conversations) return defective <= acceptDefects ? 1 : 0;
        return new Hypergeometric(conversations).cumulative(defective, sampleSize, acceptDefects);
    }

    /**
     * One-sided exact upper confidence bound on the stratum's defect rate after finding
     * {@code defects} in {@code reviewed} read conversations: the largest D/N for which seeing so
     * few defects still has probability at least 1 - confidence (hypergeometric Clopper-Pearson).
     */
    public double upperBound(int reviewed, int defects) {
        if (conversations == 0) return 0;
        if (reviewed >= conversations) return (double) defects / conversations;
        Hypergeometric h = new Hypergeometric(conversations);
        double alpha = 1 - confidence;
        int unread = conversations - reviewed;
        int best = defects;
        for (int d = defects; d <= defects + unread; d++) {
            if (h.cumulative(d, reviewed, defects) >= alpha) best = d;
            else break;
        }
        return (double) best / conversations;
    }

    /** The verdict once {@code reviewed} sampled conversations are decided with {@code defects} defects. */
    public Verdict verdict(int reviewed, int defects) {
        // More defects than the plan allows cannot be undone by reading further.
        if (defects > acceptDefects) return Verdict.REJECTED;
        return reviewed >= sampleSize ? Verdict.ACCEPTED : Verdict.OPEN;
    }

    public enum Verdict {
        OPEN, ACCEPTED, REJECTED;

        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }
}
