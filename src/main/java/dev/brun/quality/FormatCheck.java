package dev.brun.quality;

import dev.brun.conversation.Conversation;
import dev.brun.conversation.QualityFlag;
import dev.brun.conversation.Role;
import dev.brun.conversation.Severity;
import dev.brun.conversation.Turn;
import dev.brun.pack.Pack;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/** Shape of the conversation: roles alternate from user to assistant, no empty turns, no markup leaking in. */
public final class FormatCheck implements Check {
    public static final String ROLE_ORDER = "role_order";
    public static final String EMPTY_TURN = "empty_turn";
    public static final String MARKUP_LEAK = "markup_leak";
    private static final Pattern MARKDOWN = Pattern.compile(
            "(?m)^#{1,6} \\S|^```|\\[[^\\]\\n]+\\]\\(https?://|^\\|.*\\|\\s*$|</?(?:p|br|div|b|i|strong|em|ul|li)>");
    private static final Pattern JSON = Pattern.compile(
            "\\{\\s*\"[a-z_]+\"\\s*:|\"(?:role|content|turns|emotion|phase)\"\\s*:");

    @Override public List<String> codes() { return List.of(ROLE_ORDER, EMPTY_TURN, MARKUP_LEAK); }

    @Override
    public List<QualityFlag> check(Conversation c, Pack pack) {
        List<QualityFlag> flags = new ArrayList<>();
        List<Turn> turns = c.turns();
        if (turns.isEmpty()) {
            flags.add(QualityFlag.of(EMPTY_TURN, Severity.ERROR, "The conversation has no turns", null));
            return flags;
        }
        for (int i = 0; i < turns.size(); i++) {
            Turn t = turns.get(i);
            Role expected = i % 2 == 0 ? Role.USER : Role.ASSISTANT;
            if (t.role() != expected) {
                flags.add(QualityFlag.of(ROLE_ORDER, Severity.ERROR, "Turn " + (i + 1) + " is spoken by the " + t.role().wire()
                        + " where the " + expected.wire() + " should speak (turns alternate, starting with the user)", i));
                break;
            }
        }
        if (turns.getLast().isUser()) {
            flags.add(QualityFlag.of(ROLE_ORDER, Severity.ERROR, "The conversation ends on a user turn: the consultant's last reply is missing",
                    turns.size() - 1));
        }
        for (int i = 0; i < turns.size(); i++) {
            Turn t = turns.get(i);
            if (t.content() == null || t.content().isBlank()) {
                flags.add(QualityFlag.of(EMPTY_TURN, Severity.ERROR, "The " + t.role().wire() + " turn is empty", i));
            } else if (t.content().indexOf('"') >= 0 && JSON.matcher(t.content()).find()) {
                flags.add(QualityFlag.of(MARKUP_LEAK, Severity.WARNING, "JSON leaked into the " + t.role().wire() + " text", i));
            } else if (mayHoldMarkup(t.content()) && MARKDOWN.matcher(t.content()).find()) {
                flags.add(QualityFlag.of(MARKUP_LEAK, Severity.WARNING, "Markdown or HTML (headers, code fences, links, tables, tags) in the "
                        + t.role().wire() + " text; chat replies should be plain prose", i));
            }
        }
        return flags;
    }

    private static boolean mayHoldMarkup(String text) {
        for (int i = 0; i < text.length(); i++) {
            char ch = text.charAt(i);
            if (ch == '#' || ch == '`' || ch == '[' || ch == '|' || ch == '<') return true;
        }
        return false;
    }
}
