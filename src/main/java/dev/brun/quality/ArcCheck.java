package dev.brun.quality;

import dev.brun.conversation.Conversation;
import dev.brun.conversation.QualityFlag;
import dev.brun.conversation.Severity;
import dev.brun.conversation.Turn;
import dev.brun.pack.Arc;
import dev.brun.pack.Pack;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** The user's emotion starts where the arc starts, ends where it ends, and intensity moves the arc's way. */
public final class ArcCheck implements Check {
    public static final String CODE = "arc_mismatch";
    private static final double MEANINGFUL_CHANGE = 0.2;
    private static final double TOLERANCE = 0.1;

    @Override public List<String> codes() { return List.of(CODE); }

    @Override
    public List<QualityFlag> check(Conversation c, Pack pack) {
        if (c.scaffolding() == null) return List.of();
        var found = pack.arc(c.scaffolding().arcKey());
        List<Turn> users = c.userTurns().stream().filter(t -> t.emotion() != null).toList();
        if (found.isEmpty() || users.isEmpty()) return List.of();
        Arc arc = found.get();
        List<QualityFlag> flags = new ArrayList<>();
        Turn first = users.getFirst(), last = users.getLast();
        if (!inFamily(first.emotion().primary(), arc.startEmotion(), arc.startFamily())) {
            flags.add(QualityFlag.of(CODE, Severity.WARNING, "The user starts " + first.emotion().primary() + ", but the arc '" + arc.key()
                    + "' starts in " + family(arc.startEmotion(), arc.startFamily()), first.index()));
        }
        if (users.size() > 1 && !inFamily(last.emotion().primary(), arc.endEmotion(), arc.endFamily())) {
            flags.add(QualityFlag.of(CODE, Severity.WARNING, "The user ends " + last.emotion().primary() + ", but the arc '" + arc.key()
                    + "' ends in " + family(arc.endEmotion(), arc.endFamily()), last.index()));
        }
        double expected = arc.endIntensity() - arc.startIntensity();
        double actual = last.emotion().intensity() - first.emotion().intensity();
        if (users.size() > 1 && Math.abs(expected) >= MEANINGFUL_CHANGE && Math.signum(actual) != Math.signum(expected)
                && Math.abs(actual) > TOLERANCE) {
            flags.add(QualityFlag.of(CODE, Severity.WARNING, String.format(
                    "Emotional intensity goes %s (%.2f → %.2f) where the arc '%s' takes it %s (%.2f → %.2f)",
                    actual > 0 ? "up" : "down", first.emotion().intensity(), last.emotion().intensity(), arc.key(),
                    expected > 0 ? "up" : "down", arc.startIntensity(), arc.endIntensity()), last.index()));
        }
        return flags;
    }

    /** "engaged_clarity" counts as clarity: a qualified emotion keeps its family. */
    static boolean inFamily(String emotion, String primary, List<String> family) {
        Set<String> allowed = new HashSet<>();
        allowed.add(Words.emotionKey(primary));
        family.forEach(f -> allowed.add(Words.emotionKey(f)));
        String key = Words.emotionKey(emotion);
        if (allowed.contains(key)) return true;
        return Arrays.stream(key.split("_")).anyMatch(allowed::contains);
    }

    private static String family(String primary, List<String> family) {
        Set<String> all = new java.util.LinkedHashSet<>();
        all.add(primary);
        all.addAll(family);
        return String.join("/", all);
    }
}
