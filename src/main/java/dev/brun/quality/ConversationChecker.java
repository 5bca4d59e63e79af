package dev.brun.quality;

import dev.brun.conversation.Conversation;
import dev.brun.conversation.QualityFlag;
import dev.brun.pack.Pack;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs every per-conversation check, and the checks that need the conversation's peers
 * (length outliers within a combination) over a group.
 */
public final class ConversationChecker {
    private final List<Check> checks;
    private final LengthOutliers lengthOutliers;

    public ConversationChecker(List<Check> checks, LengthOutliers lengthOutliers) {
        this.checks = List.copyOf(checks);
        this.lengthOutliers = lengthOutliers;
    }

    /** All checks with the default lexicon; pass a pack-specific {@link VoiceLexicon} to change the voice words. */
    public static ConversationChecker standard(VoiceLexicon lexicon) {
        return new ConversationChecker(List.of(new FormatCheck(), new TruncationCheck(), new TurnCountCheck(), new RepetitionCheck(),
                new PersonaCheck(), new ArcCheck(), new TopicCheck(), new VoiceCheck(lexicon)), new LengthOutliers());
    }

    public static ConversationChecker standard() { return standard(VoiceLexicon.defaults()); }

    public List<QualityFlag> check(Conversation conversation, Pack pack) {
        List<QualityFlag> flags = new ArrayList<>();
        for (Check check : checks) flags.addAll(check.check(conversation, pack));
        return flags;
    }

    /** Per-conversation checks plus group checks, keyed by conversation id (every id present, in input order). */
    public Map<String, List<QualityFlag>> checkGroup(List<Conversation> conversations, Pack pack) {
        Map<String, List<QualityFlag>> out = new LinkedHashMap<>();
        for (Conversation c : conversations) out.put(c.id(), check(c, pack));
        lengthOutliers.check(conversations).forEach((id, flags) -> out.get(id).addAll(flags));
        return out;
    }

    /** Every code these checks can raise. */
    public List<String> codes() {
        List<String> codes = new ArrayList<>();
        checks.forEach(c -> codes.addAll(c.codes()));
        codes.add(LengthOutliers.CODE);
        return codes;
    }
}
