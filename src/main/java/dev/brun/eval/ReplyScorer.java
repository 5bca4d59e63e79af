package dev.brun.eval;

import dev.brun.conversation.Conversation;
import dev.brun.conversation.QualityFlag;
import dev.brun.conversation.Severity;
import dev.brun.conversation.Turn;
import dev.brun.pack.Pack;
import dev.brun.quality.Check;
import dev.brun.quality.FormatCheck;
import dev.brun.quality.PersonaCheck;
import dev.brun.quality.TruncationCheck;
import dev.brun.quality.VoiceCheck;
import dev.brun.quality.VoiceLexicon;

import java.util.ArrayList;
import java.util.List;

/**
 * Scores one model reply with the checks that guard the training data, where they apply to a single reply:
 * the reply is put in place of the teacher's at its turn, after the recorded history, and only the flags
 * raised on that turn count, so the history the model did not write cannot lower its score.
 */
public final class ReplyScorer {
    private final List<Check> checks;

    public ReplyScorer(List<Check> checks) { this.checks = List.copyOf(checks); }

    public static ReplyScorer standard(VoiceLexicon lexicon) {
        // format: an adapter that answers empty, or leaks JSON or markdown into a chat reply, did not learn the format
        return new ReplyScorer(List.of(new VoiceCheck(lexicon), new TruncationCheck(), new PersonaCheck(), new FormatCheck()));
    }

    /** The reply of the model at the assistant turn {@code turnIndex} of a recorded conversation. */
    public ReplyScore score(Conversation recorded, int turnIndex, String reply, Pack pack) {
        List<Turn> turns = new ArrayList<>();
        Turn teacher = null;
        for (Turn t : recorded.turns()) {
            if (t.index() < turnIndex) turns.add(t);
            else if (t.index() == turnIndex) { teacher = t; turns.add(t.withContent(reply)); }
        }
        if (teacher == null || !teacher.isAssistant()) throw new IllegalArgumentException("turn " + turnIndex + " of " + recorded.id() + " is not a consultant turn");
        Conversation replayed = recorded.withTurns(turns);
        List<QualityFlag> flags = new ArrayList<>();
        for (Check c : checks) for (QualityFlag f : c.check(replayed, pack)) if (f.turnIndex() != null && f.turnIndex() == turnIndex) flags.add(f);
        // an error costs the reply half its score, a warning a quarter: the same weight the quality report gives them
        double penalty = 0;
        for (QualityFlag f : flags) penalty += f.severity() == Severity.ERROR ? 0.5 : 0.25;
        var s = recorded.scaffolding();
        return new ReplyScore(recorded.id(), turnIndex, s.personaKey(), s.arcKey(), s.topicKey(), teacher.phase(),
                reply, teacher.content(), Math.max(0, 1 - penalty), flags.stream().map(QualityFlag::code).toList());
    }
}
