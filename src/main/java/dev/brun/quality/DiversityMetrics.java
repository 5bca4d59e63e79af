package dev.brun.quality;

import dev.brun.conversation.Conversation;
import dev.brun.conversation.QualityFlag;
import dev.brun.conversation.Severity;
import dev.brun.conversation.Turn;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * How varied the data is, per combination (persona|arc|topic) and overall: distinct-n (unique n-grams
 * over all n-grams of the assistant text) and the mean pairwise similarity (Jaccard of word bigrams) of
 * first user messages and of the consultant's opening lines. Variations of one combination that open
 * alike teach the model one conversation many times: such a combination is flagged low_diversity.
 * Large groups are measured on an even sample (2,000 conversations for distinct-n, 100 for similarity).
 */
public final class DiversityMetrics {
    public static final String CODE = "low_diversity";
    /**
     * Pairwise similarity is quadratic; beyond this many conversations an even sample is compared. 100 give
     * 4,950 pairs, plenty for a mean, where 300 (44,850 pairs per combination) made similarity most of the
     * time of brun check at 100,000 conversations.
     */
    private static final int PAIRWISE_SAMPLE = 100;
    private static final int OPENING_WORDS = 30;
    /** distinct-n keeps every n-gram in memory; over 100,000 conversations that is gigabytes, so an even sample is measured. */
    private static final int DISTINCT_SAMPLE = 2_000;

    public record Diversity(String scope, int conversations, double distinct1, double distinct2, double distinct3,
                            double firstUserSimilarity, double openingSimilarity) {}

    /** perCombination is sorted by combination; flags are keyed by combination. */
    public record Report(Diversity overall, List<Diversity> perCombination, Map<String, QualityFlag> flags) {
        public Report {
            perCombination = List.copyOf(perCombination);
            flags = Map.copyOf(flags);
        }
    }

    private final double maxSimilarity;
    private final double minDistinct2;

    /** A combination is flagged when either mean similarity exceeds maxSimilarity or distinct-2 falls below minDistinct2. */
    public DiversityMetrics(double maxSimilarity, double minDistinct2) {
        this.maxSimilarity = maxSimilarity;
        this.minDistinct2 = minDistinct2;
    }

    public DiversityMetrics() { this(0.5, 0.35); }

    public Report measure(List<Conversation> conversations) {
        Map<String, List<Conversation>> byCombination = new TreeMap<>();
        for (Conversation c : conversations) {
            String key = c.scaffolding() == null ? "(none)" : c.scaffolding().combination();
            byCombination.computeIfAbsent(key, k -> new ArrayList<>()).add(c);
        }
        // combinations are independent: both cores measure them; the sorted order stays
        List<Diversity> per = byCombination.entrySet().parallelStream().map(e -> of(e.getKey(), e.getValue())).toList();
        Map<String, QualityFlag> flags = new LinkedHashMap<>();
        for (Diversity d : per) {
            if (d.conversations() < 2) continue;
            List<String> why = new ArrayList<>();
            if (d.firstUserSimilarity() > maxSimilarity) why.add(String.format("first user messages are %.0f%% alike", d.firstUserSimilarity() * 100));
            if (d.openingSimilarity() > maxSimilarity) why.add(String.format("the consultant's openings are %.0f%% alike", d.openingSimilarity() * 100));
            if (d.distinct2() < minDistinct2) why.add(String.format("only %.0f%% of the assistant's word pairs are distinct", d.distinct2() * 100));
            if (!why.isEmpty()) flags.put(d.scope(), QualityFlag.of(CODE, Severity.WARNING, "The " + d.conversations() + " variations of "
                    + d.scope() + " are too alike: " + String.join("; ", why) + ". Raise the temperature or vary the session context.", null));
        }
        return new Report(of("overall", conversations), per, flags);
    }

    static Diversity of(String scope, List<Conversation> group) {
        double[] distinct = new double[3];
        List<Conversation> textSample = evenSample(group, DISTINCT_SAMPLE);
        List<List<String>> turnWords = new ArrayList<>();
        for (Conversation c : textSample)
            for (Turn t : c.assistantTurns()) turnWords.add(Words.of(t.content()));
        for (int n = 1; n <= 3; n++) {
            Set<String> unique = new HashSet<>();
            long total = 0;
            for (List<String> words : turnWords) {
                List<String> grams = Words.ngrams(words, n);
                unique.addAll(grams);
                total += grams.size();
            }
            distinct[n - 1] = total == 0 ? 0 : (double) unique.size() / total;
        }
        List<Conversation> sample = evenSample(group, PAIRWISE_SAMPLE);
        Map<String, Integer> ids = new HashMap<>();
        List<int[]> firstUser = sample.stream().map(c -> bigrams(c.userTurns().isEmpty() ? "" : c.userTurns().getFirst().content(), Integer.MAX_VALUE, ids)).toList();
        List<int[]> openings = sample.stream().map(c -> bigrams(c.assistantTurns().isEmpty() ? "" : c.assistantTurns().getFirst().content(), OPENING_WORDS, ids)).toList();
        return new Diversity(scope, group.size(), distinct[0], distinct[1], distinct[2], meanPairwise(firstUser), meanPairwise(openings));
    }

    private static List<Conversation> evenSample(List<Conversation> group, int limit) {
        if (group.size() <= limit) return group;
        List<Conversation> out = new ArrayList<>(limit);
        double step = (double) group.size() / limit;
        for (int i = 0; i < limit; i++) out.add(group.get((int) (i * step)));
        return out;
    }

    /** The text's distinct word bigrams (its word, if it has one only) as sorted ids, so that pairs intersect by merging. */
    private static int[] bigrams(String text, int maxWords, Map<String, Integer> ids) {
        List<String> words = Words.of(text);
        if (words.size() > maxWords) words = words.subList(0, maxWords);
        List<String> grams = words.size() < 2 ? words : Words.ngrams(words, 2);
        return grams.stream().mapToInt(g -> ids.computeIfAbsent(g, k -> ids.size())).sorted().distinct().toArray();
    }

    private static double meanPairwise(List<int[]> sets) {
        if (sets.size() < 2) return 0;
        double sum = 0;
        long pairs = 0;
        for (int i = 0; i < sets.size(); i++) {
            for (int j = i + 1; j < sets.size(); j++) {
                int[] a = sets.get(i), b = sets.get(j);
                int inter = 0;
                for (int x = 0, y = 0; x < a.length && y < b.length; ) {
                    if (a[x] < b[y]) x++;
                    else if (a[x] > b[y]) y++;
                    else { inter++; x++; y++; }
                }
                int union = a.length + b.length - inter;
                sum += union == 0 ? 1 : (double) inter / union;
                pairs++;
            }
        }
        return sum / pairs;
    }
}
