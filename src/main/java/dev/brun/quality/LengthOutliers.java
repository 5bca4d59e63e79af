package dev.brun.quality;

import dev.brun.conversation.Conversation;
import dev.brun.conversation.QualityFlag;
import dev.brun.conversation.Severity;
import dev.brun.conversation.Turn;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns far shorter or longer than the other turns of the same role in the same combination, by the
 * robust (median/MAD) z-score, which one freak reply cannot drag the way it drags a mean.
 */
public final class LengthOutliers {
    public static final String CODE = "length_outlier";
    private final double threshold;
    private final int minSamples;

    public LengthOutliers(double threshold, int minSamples) {
        this.threshold = threshold;
        this.minSamples = minSamples;
    }

    public LengthOutliers() { this(3.5, 8); }

    /** Flags per conversation id; conversations are grouped by combination (persona|arc|topic). */
    public Map<String, List<QualityFlag>> check(List<Conversation> group) {
        Map<String, List<Conversation>> byCombination = new HashMap<>();
        for (Conversation c : group) {
            String key = c.scaffolding() == null ? "" : c.scaffolding().combination();
            byCombination.computeIfAbsent(key, k -> new ArrayList<>()).add(c);
        }
        Map<String, List<QualityFlag>> out = new HashMap<>();
        for (List<Conversation> combo : byCombination.values()) {
            for (boolean assistant : new boolean[] {true, false}) {
                double[] lengths = combo.stream().flatMap(c -> c.turns().stream())
                        .filter(t -> t.isAssistant() == assistant).mapToDouble(t -> Words.of(t.content()).size()).toArray();
                if (lengths.length < minSamples) continue;
                double median = median(lengths);
                double[] dev = Arrays.stream(lengths).map(x -> Math.abs(x - median)).toArray();
                // a floor keeps near-identical lengths from turning a few words into a huge z
                double mad = Math.max(median(dev), Math.max(3, median * 0.05));
                for (Conversation c : combo) {
                    for (Turn t : c.turns()) {
                        if (t.isAssistant() != assistant) continue;
                        int len = Words.of(t.content()).size();
                        double z = 0.6745 * (len - median) / mad;
                        if (Math.abs(z) > threshold) {
                            out.computeIfAbsent(c.id(), k -> new ArrayList<>()).add(QualityFlag.of(CODE, Severity.WARNING,
                                    String.format("%s turn of %d words is far %s than this combination's others (median %.0f, robust z %.1f)",
                                            assistant ? "Assistant" : "User", len, z < 0 ? "shorter" : "longer", median, z), t.index()));
                        }
                    }
                }
            }
        }
        return out;
    }

    private static double median(double[] values) {
        double[] v = values.clone();
        Arrays.sort(v);
        int n = v.length;
        return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
    }
}
