package dev.brun.quality;

import dev.brun.conversation.Conversation;
import dev.brun.conversation.QualityFlag;
import dev.brun.conversation.Severity;
import dev.brun.conversation.Turn;

import java.util.ArrayList;
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
 * Large groups are measured on an even sample (2,000 conversations for distinct-n, 300 for similarity).
 */
public final class DiversityMetrics {
    public static final String CODE = "low_diversity";
    /** Pairwise similarity is quadratic; beyond this many conversations an even sample is compared. */
    private static final int PAIRWISE_SAMPLE = 300;
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
        List<Diversity> per = new ArrayList<>();
        Map<String, QualityFlag> flags = new LinkedHashMap<>();
        for (var e : byCombination.entrySet()) {
            Diversity d = of(e.getKey(), e.getValue());
            per.add(d);
            if (d.conversations() < 2) continue;
            List<String> why = new ArrayList<>();
            if (d.firstUserSimilarity() > maxSimilarity) why.add(String.format("first user messages are %.0f%% alike", d.firstUserSimilarity() * 100));
            if (d.openingSimilarity() > maxSimilarity) why.add(String.format("the consultant's openings are %.0f%% alike", d.openingSimilarity() * 100));
            if (d.distinct2() < minDistinct2) why.add(String.format("only %.0f%% of the assistant's word pairs are distinct", d.distinct2() * 100));
            if (!why.isEmpty()) flags.put(e.getKey(), QualityFlag.of(CODE, Severity.WARNING, "The " + d.conversations() + " variations of "
                    + e.getKey() + " are too alike: " + String.join("; ", why) + ". Raise the temperature or vary the session context.", null));
        }
        return new Report(of("overall", conversations), per, flags);
    }

    static Diversity of(String scope, List<Conversation> group) {
        double[] distinct = new double[3];
        List<Conversation> textSample = evenSample(group, DISTINCT_SAMPLE);
        for (int n = 1; n <= 3; n++) {
            Set<String> unique = new HashSet<>();
            long total = 0;
            for (Conversation c : textSample) {
                for (Turn t : c.assistantTurns()) {
                    List<String> grams = Words.ngrams(Words.of(t.content()), n);
                    unique.addAll(grams);
                    total += grams.size();
                }
            }
            distinct[n - 1] = total == 0 ? 0 : (double) unique.size() / total;
        }
        List<Conversation> sample = evenSample(group, PAIRWISE_SAMPLE);
        List<Set<String>> firstUser = sample.stream().map(c -> bigrams(c.userTurns().isEmpty() ? "" : c.userTurns().getFirst().content(), Integer.MAX_VALUE)).toList();
        List<Set<String>> openings = sample.stream().map(c -> bigrams(c.assistantTurns().isEmpty() ? "" : c.assistantTurns().getFirst().content(), OPENING_WORDS)).toList();
        return new Diversity(scope, group.size(), distinct[0], distinct[1], distinct[2], meanPairwise(firstUser), meanPairwise(openings));
    }

    private static List<Conversation> evenSample(List<Conversation> group, int limit) {
        if (group.size() <= limit) return group;
        List<Conversation> out = new ArrayList<>(limit);
        double step = (double) group.size() / limit;
        for (int i = 0; i < limit; i++) out.add(group.get((int) (i * step)));
        return out;
    }

    private static Set<String> bigrams(String text, int maxWords) {
        List<String> words = Words.of(text);
        if (words.size() > maxWords) words = words.subList(0, maxWords);
        return new HashSet<>(words.size() < 2 ? words : Words.ngrams(words, 2));
    }

    private static double meanPairwise(List<Set<String>> sets) {
        if (sets.size() < 2) return 0;
        double sum = 0;
        long pairs = 0;
        for (int i = 0; i < sets.size(); i++) {
            for (int j = i + 1; j < sets.size(); j++) {
                Set<String> a = sets.get(i), b = sets.get(j);
                long inter = a.stream().filter(b::contains).count();
                long union = a.size() + b.size() - inter;
                sum += union == 0 ? 1 : (double) inter / union;
                pairs++;
            }
        }
        return sum / pairs;
    }
}
