package dev.brun.quality;

import dev.brun.conversation.Conversation;
import dev.brun.conversation.QualityFlag;
import dev.brun.conversation.Severity;
import dev.brun.conversation.Turn;
import dev.brun.pack.Consultant;
import dev.brun.pack.Pack;
import dev.brun.pack.Principle;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The consultant's voice, as the pack describes it. Each part runs only when the pack asks for it: a
 * principle about feelings before facts, a technique of asking permission, an avoid-list entry about
 * jargon, judgment or platitudes. Another pack gets another voice, with its own {@link VoiceLexicon}.
 */
public final class VoiceCheck implements Check {
    public static final String FACTS_BEFORE_FEELINGS = "facts_before_feelings";
    public static final String NO_PERMISSION = "no_permission";
    public static final String UNEXPLAINED_JARGON = "unexplained_jargon";
    public static final String JUDGMENT = "judgment";
    public static final String PLATITUDE = "platitude";
    private static final Pattern FACT = Pattern.compile("\\$\\s?\\d|\\d+(?:\\.\\d+)?\\s?%|\\b\\d{2,}\\b");
    private static final Pattern LIST_LINE = Pattern.compile("(?m)^\\s*(?:[-*•]|\\d[.)])\\s+\\S");

    private final VoiceLexicon lexicon;
    /** All jargon terms in one alternation, longest first, so each text is scanned once. */
    private final Pattern jargonPattern;

    public VoiceCheck(VoiceLexicon lexicon) {
        this.lexicon = lexicon;
        List<String> terms = lexicon.jargon().keySet().stream().sorted(java.util.Comparator.comparingInt(String::length).reversed()
                .thenComparing(java.util.Comparator.naturalOrder())).map(Pattern::quote).toList();
        jargonPattern = terms.isEmpty() ? null : Pattern.compile("\\b(" + String.join("|", terms) + ")(?:e|s|es|ing|ed)?\\b");
    }

    public VoiceCheck() { this(VoiceLexicon.defaults()); }

    @Override public List<String> codes() { return List.of(FACTS_BEFORE_FEELINGS, NO_PERMISSION, UNEXPLAINED_JARGON, JUDGMENT, PLATITUDE); }

    @Override
    public List<QualityFlag> check(Conversation c, Pack pack) {
        String voice = describe(pack.consultant());
        List<QualityFlag> flags = new ArrayList<>();
        // a reply answers a user turn: an assistant greeting before the user spoke is the format check's business
        List<Turn> replies = c.assistantTurns().stream().filter(t -> t.index() > 0 && t.content() != null && !t.content().isBlank()).toList();
        if (replies.isEmpty()) return flags;
        if (voice.contains("feelings before facts") || voice.contains("acknowledge feelings")) feelingsFirst(replies.getFirst(), flags);
        if (voice.contains("permission")) permission(replies, flags);
        if (voice.contains("jargon")) jargon(c, flags);
        if (voice.contains("judgment") || voice.contains("judgement")) phrases(replies, lexicon.judgmentPhrases(), JUDGMENT, Severity.ERROR,
                "Judges the client (the pack asks for a judgment-free space): ", flags);
        if (voice.contains("platitude")) phrases(replies, lexicon.platitudes(), PLATITUDE, Severity.WARNING,
                "Generic platitude without specifics: ", flags);
        return flags;
    }

    private static String describe(Consultant consultant) {
        if (consultant == null) return "";
        StringBuilder b = new StringBuilder();
        for (Principle p : consultant.principles()) b.append(p.key()).append(' ').append(p.name()).append(' ').append(p.description()).append('\n');
        consultant.techniques().forEach(t -> b.append(t).append('\n'));
        consultant.avoid().forEach(a -> b.append(a).append('\n'));
        return b.toString().toLowerCase(Locale.ROOT).replace('-', ' ').replace('_', ' ');
    }

    private void feelingsFirst(Turn first, List<QualityFlag> flags) {
        List<String> sentences = Words.sentences(first.content());
        int feeling = -1, fact = -1;
        for (int i = 0; i < sentences.size(); i++) {
            String s = sentences.get(i).toLowerCase(Locale.ROOT).replace('’', '\'');
            if (feeling < 0 && lexicon.feelingMarkers().stream().anyMatch(s::contains)) feeling = i;
            if (fact < 0 && (FACT.matcher(s).find() || educates(s))) fact = i;
        }
        if (feeling < 0) {
            flags.add(QualityFlag.of(FACTS_BEFORE_FEELINGS, Severity.WARNING,
                    "The first reply never acknowledges how the client feels (the pack asks for feelings before facts)", first.index()));
        } else if (fact >= 0 && fact < feeling) {
            flags.add(QualityFlag.of(FACTS_BEFORE_FEELINGS, Severity.WARNING, "The first reply gives facts (sentence " + (fact + 1)
                    + ") before acknowledging feelings (sentence " + (feeling + 1) + ")", first.index()));
        }
    }

    private void permission(List<Turn> replies, List<QualityFlag> flags) {
        // only the early replies: once permission was given, later teaching needs no new ask
        boolean asked = false;
        for (int i = 0; i < Math.min(2, replies.size()); i++) {
            Turn t = replies.get(i);
            String text = t.content().toLowerCase(Locale.ROOT).replace('’', '\'');
            int firstAsk = indexOfAny(text, lexicon.permissionMarkers());
            boolean teaches = teachingWeight(text) >= 3;
            if (teaches && !asked && firstAsk < 0) {
                flags.add(QualityFlag.of(NO_PERMISSION, Severity.WARNING,
                        "Launches into teaching before asking whether the client wants it (the pack asks for permission before educating)", t.index()));
                return;
            }
            if (firstAsk >= 0) asked = true;
        }
    }

    private int teachingWeight(String text) {
        int weight = 0;
        for (String m : lexicon.educatingMarkers()) if (text.contains(m)) weight++;
        var lists = LIST_LINE.matcher(text);
        int items = 0;
        while (lists.find()) items++;
        if (items >= 3) weight += 2;
        var facts = FACT.matcher(text);
        int numbers = 0;
        while (facts.find()) numbers++;
        if (numbers >= 3) weight += 2;
        return weight;
    }

    private boolean educates(String sentence) {
        return lexicon.educatingMarkers().stream().anyMatch(sentence::contains);
    }

    private void jargon(Conversation c, List<QualityFlag> flags) {
        if (jargonPattern == null) return;
        java.util.Set<String> introduced = new java.util.HashSet<>();
        for (Turn t : c.turns()) {
            String text = t.content() == null ? "" : t.content().toLowerCase(Locale.ROOT).replace('’', '\'');
            // indexOf is vectorised; the alternation regex would try every position of every text
            if (lexicon.jargon().keySet().stream().noneMatch(text::contains)) continue;
            var m = jargonPattern.matcher(text);
            while (m.find()) {
                String term = m.group(1);
                // only where it first comes up: that is where the explanation belongs; a client who used it first knows it
                if (!introduced.add(term) || t.isUser()) continue;
                if (explained(text, m.start(), lexicon.jargon().get(term))) continue;
                flags.add(QualityFlag.of(UNEXPLAINED_JARGON, Severity.WARNING, "Uses \"" + term
                        + "\" without explaining it (the pack avoids unexplained jargon)", t.index()));
                return;
            }
        }
    }

    private static boolean explained(String text, int at, List<String> explanations) {
        if (explanations.stream().anyMatch(text::contains)) return true;
        int from = Math.max(0, at - 40), to = Math.min(text.length(), at + 160);
        String near = text.substring(from, to);
        return VoiceLexicon.EXPLAINERS.stream().anyMatch(near::contains);
    }

    private static void phrases(List<Turn> replies, List<String> phrases, String code, Severity severity, String prefix,
                                List<QualityFlag> flags) {
        for (Turn t : replies) {
            String text = t.content().toLowerCase(Locale.ROOT).replace('’', '\'');
            for (String phrase : phrases) {
                if (text.contains(phrase)) {
                    flags.add(QualityFlag.of(code, severity, prefix + "\"" + phrase + "\"", t.index()));
                    return;
                }
            }
        }
    }

    private static int indexOfAny(String text, List<String> needles) {
        int best = -1;
        for (String n : needles) {
            int i = text.indexOf(n);
            if (i >= 0 && (best < 0 || i < best)) best = i;
        }
        return best;
    }
}
