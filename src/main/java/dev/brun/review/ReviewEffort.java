package dev.brun.review;

import java.util.List;

/**
 * The human reading a plan asks for under the default sampling plan: per stratum (phase and model), the
 * sample a reviewer reads before the stratum is certified, at a reading pace of {@value #WORDS_PER_MINUTE}
 * words a minute.
 */
public record ReviewEffort(List<Stratum> strata) {
    public static final double DEFECT_RATE = 0.05;
    public static final double CONFIDENCE = 0.95;
    public static final int ACCEPT_DEFECTS = 0;
    public static final int WORDS_PER_MINUTE = 250;

    /** One stratum: its conversations, the sample read, the words of one conversation, and the minutes. */
    public record Stratum(String name, int conversations, int sampleSize, long wordsPerConversation, double minutes) {}

    /** The reading for strata given as name, conversations and words per conversation. */
    public static ReviewEffort of(List<Stratum> sizes) {
        return new ReviewEffort(sizes.stream().map(s -> {
            int n = SamplingPlan.of(s.conversations(), DEFECT_RATE, CONFIDENCE, ACCEPT_DEFECTS).sampleSize();
            return new Stratum(s.name(), s.conversations(), n, s.wordsPerConversation(),
                    (double) n * s.wordsPerConversation() / WORDS_PER_MINUTE);
        }).toList());
    }

    /** A stratum before its sample is worked out. */
    public static Stratum stratum(String name, int conversations, long wordsPerConversation) {
        return new Stratum(name, conversations, 0, wordsPerConversation, 0);
    }

    public int sampled() { return strata.stream().mapToInt(Stratum::sampleSize).sum(); }

    public double hours() { return strata.stream().mapToDouble(Stratum::minutes).sum() / 60; }

    public static String describeDefault() {
        return String.format("a sample per stratum (phase and model) that bounds the defect rate under %.0f%% at %.0f%% confidence"
                + " with %d defects allowed, read at %d words a minute", DEFECT_RATE * 100, CONFIDENCE * 100, ACCEPT_DEFECTS, WORDS_PER_MINUTE);
    }
}
