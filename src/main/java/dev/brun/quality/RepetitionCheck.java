package dev.brun.quality;

import dev.brun.conversation.Conversation;
import dev.brun.conversation.QualityFlag;
import dev.brun.conversation.Severity;
import dev.brun.conversation.Turn;
import dev.brun.pack.Pack;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Loops a model falls into: the same long phrase again, the same opening line, parroting the user. */
public final class RepetitionCheck implements Check {
    public static final String REPEATED_NGRAM = "repeated_ngram";
    public static final String REPEATED_OPENING = "repeated_opening";
    public static final String ECHOES_USER = "echoes_user";
    private static final int NGRAM = 8;
    private static final int ECHO_NGRAM = 5;
    /** Eight overlapping 8-grams = a copied run of at least 15 words; one shared phrase is often a deliberate callback. */
    private static final int MIN_REPEATED_NGRAMS = 8;

    @Override public List<String> codes() { return List.of(REPEATED_NGRAM, REPEATED_OPENING, ECHOES_USER); }

    @Override
    public List<QualityFlag> check(Conversation c, Pack pack) {
        List<QualityFlag> flags = new ArrayList<>();
        Map<String, Integer> firstSeen = new HashMap<>();
        Map<String, Integer> openings = new HashMap<>();
        Turn previousUser = null;
        for (Turn t : c.turns()) {
            if (t.isUser()) { previousUser = t; continue; }
            List<String> words = Words.of(t.content());
            Set<String> seenHere = new HashSet<>();
            int repeated = 0;
            String example = null;
            Integer exampleTurn = null;
            for (String g : Words.ngrams(words, NGRAM)) {
                Integer where = firstSeen.get(g);
                if (where != null || !seenHere.add(g)) {
                    if (repeated++ == 0) { example = g; exampleTurn = where == null ? t.index() : where; }
                }
            }
            if (repeated >= MIN_REPEATED_NGRAMS) {
                flags.add(QualityFlag.of(REPEATED_NGRAM, Severity.WARNING, "Repeats a passage of " + (repeated + NGRAM - 1)
                        + "+ words already used in turn " + exampleTurn + ", starting \"" + example + "\"", t.index()));
            }
            for (String g : seenHere) firstSeen.putIfAbsent(g, t.index());
            List<String> sentences = Words.sentences(t.content());
            if (!sentences.isEmpty()) {
                String opening = Words.norm(sentences.getFirst());
                if (Words.of(opening).size() >= 3) {
                    Integer where = openings.putIfAbsent(opening, t.index());
                    if (where != null) flags.add(QualityFlag.of(REPEATED_OPENING, Severity.WARNING,
                            "Opens with the same sentence as turn " + where + ": " + Words.quote(sentences.getFirst(), 80), t.index()));
                }
            }
            if (previousUser != null) {
                List<String> userGrams = Words.ngrams(Words.of(previousUser.content()), ECHO_NGRAM);
                if (userGrams.size() >= 6) {
                    Set<String> mine = new HashSet<>(Words.ngrams(words, ECHO_NGRAM));
                    long shared = userGrams.stream().filter(mine::contains).count();
                    double share = (double) shared / userGrams.size();
                    if (share >= 0.5) flags.add(QualityFlag.of(ECHOES_USER, Severity.WARNING, String.format(
                            "Repeats %.0f%% of the user's previous message back instead of answering it", share * 100), t.index()));
                }
            }
        }
        return flags;
    }
}
