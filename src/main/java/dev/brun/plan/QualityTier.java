package dev.brun.plan;

import dev.brun.conversation.ReviewStatus;

import java.util.List;
import java.util.Locale;

/**
 * How well a combination's seeds came out, after review: what decides its share of the expansion. A
 * combination whose seeds were all rejected gets no variations until a new seed is approved; a strong one
 * gets more than an even share, a weak one fewer.
 */
public enum QualityTier {
    /** An approved seed scoring at least {@value #STRONG_SCORE} overall. */
    STRONG(1.5),
    /** An approved seed, or an unread one that passed every check. */
    STANDARD(1.0),
    /** Seeds that passed, but whose best overall score is below {@value #WEAK_SCORE}, or that carry an error flag unread. */
    WEAK(0.5),
    /** Every seed read was rejected and none is approved: no expansion until a new seed is approved. */
    REJECTED(0),
    /** No seed conversation yet: nothing to expand from. */
    UNSEEDED(0);

    public static final double STRONG_SCORE = 4.0;
    public static final double WEAK_SCORE = 3.0;

    /** Relative share of the expansion's variations. */
    public final double weight;

    QualityTier(double weight) { this.weight = weight; }

    public String wire() { return name().toLowerCase(Locale.ROOT); }

    /** One seed conversation of the combination as review left it. overall is null when not scored. */
    public record Seed(ReviewStatus status, Double overall, int errorFlags) {}

    public static QualityTier of(List<Seed> seeds) {
        if (seeds.isEmpty()) return UNSEEDED;
        List<Seed> approved = seeds.stream().filter(s -> s.status() == ReviewStatus.APPROVED).toList();
        if (!approved.isEmpty()) {
            double best = approved.stream().mapToDouble(s -> s.overall() == null ? WEAK_SCORE : s.overall()).max().orElse(WEAK_SCORE);
            return best >= STRONG_SCORE ? STRONG : best >= WEAK_SCORE ? STANDARD : WEAK;
        }
        if (seeds.stream().anyMatch(s -> s.status() == ReviewStatus.REJECTED)) return REJECTED;
        // unread seeds only: the checks and scores are all there is to go on
        List<Seed> passing = seeds.stream().filter(s -> s.errorFlags() == 0).toList();
        if (passing.isEmpty()) return WEAK;
        double best = passing.stream().mapToDouble(s -> s.overall() == null ? WEAK_SCORE : s.overall()).max().orElse(WEAK_SCORE);
        return best >= WEAK_SCORE ? STANDARD : WEAK;
    }
}
