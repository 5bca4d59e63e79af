package dev.brun.quality;

import dev.brun.conversation.Conversation;
import dev.brun.conversation.QualityFlag;
import dev.brun.conversation.Severity;
import dev.brun.conversation.Turn;
import dev.brun.pack.Pack;
import dev.brun.pack.Topic;

import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/** A conversation on a topic uses at least one of the topic's key terms (or its name). */
public final class TopicCheck implements Check {
    public static final String CODE = "topic_drift";

    @Override public List<String> codes() { return List.of(CODE); }

    @Override
    public List<QualityFlag> check(Conversation c, Pack pack) {
        if (c.scaffolding() == null) return List.of();
        var topic = pack.topic(c.scaffolding().topicKey());
        if (topic.isEmpty() || topic.get().keyTerms().isEmpty()) return List.of();
        String text = " " + Words.norm(c.turns().stream().map(Turn::content).collect(Collectors.joining(" "))) + " ";
        if (mentions(text, topic.get())) return List.of();
        return List.of(QualityFlag.of(CODE, Severity.WARNING, "None of the key terms of topic '" + topic.get().key() + "' ("
                + String.join(", ", topic.get().keyTerms()) + ") appears in the conversation", null));
    }

    private static boolean mentions(String normText, Topic topic) {
        for (String term : topic.keyTerms()) {
            String t = Words.norm(term);
            if (t.isEmpty()) continue;
            // a light stem: "premiums" and "premium" both count
            String stem = t.endsWith("s") && t.length() > 4 ? t.substring(0, t.length() - 1) : t;
            if (normText.contains(" " + stem)) return true;
        }
        return normText.contains(" " + Words.norm(topic.name()).toLowerCase(Locale.ROOT) + " ");
    }
}
