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

/**
 * Loops a model falls into: the same long passage again, the same opening line, parroting the user.
 * N-grams are compared as 64-bit hashes of their words: the check runs on every generated conversation.
 */
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
        Map<Long, Integer> firstSeen = new HashMap<>();
        Map<String, Integer> openings = new HashMap<>();
        Turn previousUser = null;
        for (Turn t : c.turns()) {
            if (t.isUser()) { previousUser = t; continue; }
            List<String> words = Words.of(t.content());
            long[] grams = hashedNgrams(words, NGRAM);
            Set<Long> seenHere = new HashSet<>();
            int repeated = 0, exampleAt = -1;
            Integer exampleTurn = null;
            for (int g = 0; g < grams.length; g++) {
                Integer where = firstSeen.get(grams[g]);
                if (where != null || !seenHere.add(grams[g])) {
                    if (repeated++ == 0) { exampleAt = g; exampleTurn = where == null ? t.index() : where; }
                }
            }
            if (repeated >= MIN_REPEATED_NGRAMS) {
                flags.add(QualityFlag.of(REPEATED_NGRAM, Severity.WARNING, "Repeats a passage of " + (repeated + NGRAM - 1)
                        + "+ words already used in turn " + (exampleTurn + 1) + ", starting \"" + String.join(" ", words.subList(exampleAt, exampleAt + NGRAM)) + "\"",
                        t.index()));
            }
            for (Long g : seenHere) firstSeen.putIfAbsent(g, t.index());
            List<String> sentences = Words.sentences(t.content());
            if (!sentences.isEmpty()) {
                String opening = Words.norm(sentences.getFirst());
                if (Words.of(opening).size() >= 3) {
                    Integer where = openings.putIfAbsent(opening, t.index());
                    if (where != null) flags.add(QualityFlag.of(REPEATED_OPENING, Severity.WARNING,
                            "Opens with the same sentence as turn " + (where + 1) + ": " + Words.quote(sentences.getFirst(), 80), t.index()));
                }
            }
            if (previousUser != null) {
                long[] userGrams = hashedNgrams(Words.of(previousUser.content()), ECHO_NGRAM);
                if (userGrams.length >= 6) {
                    Set<Long> mine = new HashSet<>();
                    for (long g : hashedNgrams(words, ECHO_NGRAM)) mine.add(g);
                    long shared = 0;
                    for (long g : userGrams) if (mine.contains(g)) shared++;
                    double share = (double) shared / userGrams.length;
                    if (share >= 0.5) flags.add(QualityFlag.of(ECHOES_USER, Severity.WARNING, String.format(
                            "Repeats %.0f%% of the user's previous message back instead of answering it", share * 100), t.index()));
                }
            }
        }
        return flags;
    }

    /** 64-bit hashes of every run of n words; two different runs colliding is vanishingly rare at this length. */
    static long[] hashedNgrams(List<String> words, int n) {
        if (words.size() < n) return new long[0];
        long[] wordHash = new long[words.size()];
        for (int i = 0; i < wordHash.length; i++) wordHash[i] = mix(words.get(i).hashCode() * 0x9e3779b97f4a7c15L + words.get(i).length());
        long[] out = new long[words.size() - n + 1];
        for (int i = 0; i < out.length; i++) {
            long h = 0;
            for (int k = 0; k < n; k++) h = mix(h ^ wordHash[i + k]) + k;
            out[i] = h;
        }
        return out;
    }

    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }
}
