package dev.brun.quality;

import dev.brun.conversation.Conversation;
import dev.brun.conversation.QualityFlag;
import dev.brun.conversation.Severity;
import dev.brun.conversation.Turn;
import dev.brun.pack.Pack;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Replies cut off by a token limit. The original platform flagged every reply that did not end in a
 * full stop, so replies ending in a question, a list, an emoji or a closing quote are accepted here.
 */
public final class TruncationCheck implements Check {
    public static final String CODE = "truncated";
    private static final Pattern LIST_ITEM = Pattern.compile("^\\s*(?:[-*•]|\\d{1,2}[.)])\\s*(.*)$");
    private static final Set<String> DANGLING = Set.of("the", "a", "an", "and", "or", "but", "to", "of", "for", "with",
            "in", "on", "at", "by", "your", "my", "our", "their", "is", "are", "was", "be", "that", "which", "if",
            "because", "so", "as", "from", "into", "about", "than", "then", "can", "will");

    @Override public List<String> codes() { return List.of(CODE); }

    @Override
    public List<QualityFlag> check(Conversation c, Pack pack) {
        List<QualityFlag> flags = new ArrayList<>();
        for (Turn t : c.turns()) {
            if (!t.isAssistant() || t.content() == null || t.content().isBlank()) continue;
            String why = reason(t.content());
            if (why != null) flags.add(QualityFlag.of(CODE, Severity.ERROR,
                    "Reply " + why + ": " + Words.quote(tail(t.content()), 80), t.index()));
        }
        return flags;
    }

    /** Why the text looks cut off, or null when it ends properly; the import's defect report asks the same question. */
    public static String reason(String content) {
        String text = content.strip();
        if (text.endsWith("\\")) return "ends with a backslash";
        String unbalanced = unbalanced(text);
        String[] lines = text.split("\n");
        String last = lines[lines.length - 1].strip();
        var item = LIST_ITEM.matcher(last);
        if (item.matches()) {
            String body = item.group(1).strip();
            if (body.isEmpty()) return "ends with an empty list item";
            if (endsDangling(body)) return "ends in the middle of a list item";
            return unbalanced;
        }
        // a reply ending in a code fence, a table row or a JSON object is the format check's business
        if (last.startsWith("```") || last.startsWith("|") || last.endsWith("}")) return unbalanced;
        int cp = text.codePointBefore(text.length());
        if (isEmoji(cp)) return unbalanced;
        char end = text.charAt(text.length() - 1);
        if (".!?…".indexOf(end) >= 0) return unbalanced;
        if ("\"”’')]*_".indexOf(end) >= 0) {
            String inner = text.substring(0, text.length() - 1).stripTrailing();
            if (unbalanced != null) return unbalanced;
            if (end == ')' || end == ']' || !endsDangling(inner)) return null;
        }
        if (end == ':' ) return "ends with a colon, before what it announces";
        if (end == ',' || end == ';' || end == '-' || end == '—') return "ends mid-sentence after '" + end + "'";
        return "ends mid-sentence, without closing punctuation";
    }

    private static boolean endsDangling(String text) {
        List<String> w = Words.of(text);
        if (text.endsWith(",") || text.endsWith("—") || text.endsWith("-") || text.endsWith(":")) return true;
        return !w.isEmpty() && DANGLING.contains(w.get(w.size() - 1));
    }

    private static String unbalanced(String text) {
        if (count(text, '(') > count(text, ')')) return "leaves a parenthesis open";
        if (count(text, '[') > count(text, ']')) return "leaves a bracket open";
        if (count(text, '“') > count(text, '”')) return "leaves a quotation open";
        // straight quotes double as inch marks; only an odd count at the very end is telling
        if (count(text, '"') % 2 == 1 && text.lastIndexOf('"') > text.length() - 200
                && !text.endsWith("\"")) return "leaves a quotation open";
        return null;
    }

    private static int count(String s, char ch) {
        int n = 0;
        for (int i = 0; i < s.length(); i++) if (s.charAt(i) == ch) n++;
        return n;
    }

    private static boolean isEmoji(int cp) {
        return (cp >= 0x1F300 && cp <= 0x1FAFF) || (cp >= 0x2600 && cp <= 0x27BF) || cp == 0xFE0F || cp == 0x200D;
    }

    private static String tail(String text) {
        String t = text.strip();
        return t.length() <= 60 ? t : "…" + t.substring(t.length() - 60);
    }
}
