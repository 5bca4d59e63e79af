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
                for (Position position : Position.values()) {
                    double[] lengths = combo.stream().flatMap(c -> turnsAt(c, assistant, position).stream())
                            .mapToDouble(t -> Words.of(t.content()).size()).toArray();
                    if (lengths.length < minSamples) continue;
                    double median = median(lengths);
                    double[] dev = Arrays.stream(lengths).map(x -> Math.abs(x - median)).toArray();
                    // a floor keeps near-identical lengths from turning a few words into a huge z
                    double mad = Math.max(median(dev), Math.max(3, median * 0.05));
                    for (Conversation c : combo) {
                        for (Turn t : turnsAt(c, assistant, position)) {
                            int len = Words.of(t.content()).size();
                            double z = 0.6745 * (len - median) / mad;
                            if (Math.abs(z) > threshold) {
                                String role = assistant ? "assistant" : "user";
                                out.computeIfAbsent(c.id(), k -> new ArrayList<>()).add(QualityFlag.of(CODE, Severity.WARNING,
                                        String.format("%s %s turn of %d words is far %s than this combination's other %s %s turns (median %.0f, robust z %.1f)",
                                                capitalised(position.label), role, len, z < 0 ? "shorter" : "longer", position.label, role, median, z), t.index()));
                            }
                        }
                    }
                }
            }
        }
        return out;
    }

    /**
     * Openings and closings are compared only with openings and closings: a short "thank you, that helps"
     * at the end of a conversation is how conversations end, not an outlier among long middle turns.
     */
    enum Position {
        OPENING("opening"), MIDDLE("middle"), CLOSING("closing");

        final String label;

        Position(String label) { this.label = label; }
    }

    static List<Turn> turnsAt(Conversation c, boolean assistant, Position position) {
        List<Turn> ofRole = c.turns().stream().filter(t -> t.isAssistant() == assistant).toList();
        if (ofRole.isEmpty()) return List.of();
        return switch (position) {
            case OPENING -> List.of(ofRole.getFirst());
            case CLOSING -> ofRole.size() > 1 ? List.of(ofRole.getLast()) : List.of();
            case MIDDLE -> ofRole.size() > 2 ? ofRole.subList(1, ofRole.size() - 1) : List.of();
        };
    }

    private static String capitalised(String s) { return Character.toUpperCase(s.charAt(0)) + s.substring(1); }

    private static double median(double[] values) {
        double[] v = values.clone();
        Arrays.sort(v);
        int n = v.length;
        return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
    }
}
