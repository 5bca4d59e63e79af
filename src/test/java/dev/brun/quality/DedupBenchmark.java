package dev.brun.quality;

import dev.brun.conversation.Conversation;
import dev.brun.conversation.Emotion;
import dev.brun.conversation.Scaffolding;
import dev.brun.conversation.Source;
import dev.brun.conversation.Turn;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * Not a test: run by hand (see docs/benchmarks-quality.md) to measure near-duplicate detection on
 * synthetic conversations against the naive all-pairs exact Jaccard on a sample, in the same run.
 * Arguments: [conversations=100000] [naiveSample=2000].
 */
public final class DedupBenchmark {
    private static final String[] PERSONAS = {"anxious_planner", "overwhelmed_avoider", "pragmatic_optimist"};
    private static final String[] ARCS = {"confusion_to_clarity", "couple_conflict_to_alignment"};
    private static final String[] TOPICS = {"long_term_care", "negotiating_compensation", "mortgage_payoff_strategy"};

    public static void main(String[] args) {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        int sample = args.length > 1 ? Integer.parseInt(args[1]) : 2_000;
        Random random = new Random(42);
        String[] vocabulary = new String[6_000];
        for (int i = 0; i < vocabulary.length; i++) vocabulary[i] = word(random, i);
        int planted = n / 100;
        List<Conversation> conversations = new ArrayList<>(n);
        for (int i = 0; i < n - 2 * planted; i++) conversations.add(synthetic("c" + i, random, vocabulary));
        Set<Set<String>> expected = new HashSet<>();
        for (int k = 0; k < planted; k++) {
            Conversation base = conversations.get(k * 7);
            Conversation edited = edit(base, "c" + base.id() + "-edited", random, vocabulary);
            Conversation shuffled = shuffle(base, "c" + base.id() + "-shuffled", random);
            conversations.add(edited);
            conversations.add(shuffled);
            expected.add(Set.of(base.id(), edited.id(), shuffled.id()));
        }
        System.out.printf("cores %d, max heap %d MB, %d conversations (%d planted clusters of 3)%n",
                Runtime.getRuntime().availableProcessors(), Runtime.getRuntime().maxMemory() >> 20, n, planted);
        long dataBytes = usedAfterGc();
        resetPeaks();
        MinHashDeduplicator dedup = new MinHashDeduplicator();
        long t0 = System.nanoTime();
        var result = dedup.deduplicate(conversations, c -> c.id().endsWith("-shuffled") ? 1 : 0);
        long minhashMillis = (System.nanoTime() - t0) / 1_000_000;
        long peak = peakHeap();
        Set<Set<String>> found = new HashSet<>();
        result.clusters().forEach(c -> found.add(Set.copyOf(c.members())));
        long exact = found.stream().filter(expected::contains).count();
        System.out.printf("minhash+lsh: %d ms, bands %d x rows %d, candidate comparisons %d, verified %d%n",
                minhashMillis, dedup.settings().bands(), dedup.settings().rows(), result.candidatePairs(), result.verifiedPairs());
        System.out.printf("clusters found %d, planted %d, found exactly %d, flags %d%n", found.size(), expected.size(), exact, result.flags().size());
        System.out.printf("heap: data %d MB; peak during dedup %d MB (signatures alone %d MB)%n",
                dataBytes >> 20, peak >> 20, ((long) n * dedup.settings().numHashes() * 4) >> 20);

        List<Conversation> head = conversations.subList(0, Math.min(sample, n));
        long t1 = System.nanoTime();
        List<Set<String>> shingles = head.stream().map(c -> dedup.shingles(MinHashDeduplicator.assistantTexts(c))).toList();
        long naivePairs = 0, naiveHits = 0;
        for (int i = 0; i < shingles.size(); i++) {
            for (int j = i + 1; j < shingles.size(); j++) {
                naivePairs++;
                if (jaccard(shingles.get(i), shingles.get(j)) >= 0.8) naiveHits++;
            }
        }
        long naiveMillis = (System.nanoTime() - t1) / 1_000_000;
        double perPair = (double) naiveMillis / naivePairs;
        double allPairs = (double) n * (n - 1) / 2;
        double extrapolated = perPair * allPairs;
        System.out.printf("naive all-pairs exact Jaccard on %d: %d pairs in %d ms (%d hits); extrapolated to %d: %.0f s = %.1f h%n",
                head.size(), naivePairs, naiveMillis, naiveHits, n, extrapolated / 1000, extrapolated / 3_600_000);
        System.out.printf("speed-up of minhash+lsh over naive (extrapolated): %.0fx%n", extrapolated / Math.max(1, minhashMillis));

        ConversationChecker checker = ConversationChecker.standard();
        var pack = TestPack.financialPlanning();
        long t2 = System.nanoTime();
        long flags = conversations.parallelStream().mapToLong(c -> checker.check(c, pack).size()).sum();
        long checkMillis = (System.nanoTime() - t2) / 1_000_000;
        HeuristicScorer scorer = new HeuristicScorer();
        long t3 = System.nanoTime();
        double sum = conversations.parallelStream().mapToDouble(c -> scorer.score(c, pack, java.util.List.of()).overall()).sum();
        long scoreMillis = (System.nanoTime() - t3) / 1_000_000;
        long t4 = System.nanoTime();
        var diversity = new DiversityMetrics().measure(conversations);
        long diversityMillis = (System.nanoTime() - t4) / 1_000_000;
        System.out.printf("all per-conversation checks on %d: %d ms (%d flags); heuristic scores: %d ms (mean %.2f); diversity: %d ms (%d combinations)%n",
                n, checkMillis, flags, scoreMillis, sum / n, diversityMillis, diversity.perCombination().size());
    }

    private static double jaccard(Set<String> a, Set<String> b) {
        Set<String> small = a.size() < b.size() ? a : b, large = small == a ? b : a;
        int inter = 0;
        for (String s : small) if (large.contains(s)) inter++;
        return (double) inter / (a.size() + b.size() - inter);
    }

    private static String word(Random r, int i) {
        StringBuilder b = new StringBuilder();
        int len = 3 + r.nextInt(6);
        for (int k = 0; k < len; k++) b.append((char) ('a' + r.nextInt(26)));
        return b.append(i % 10).toString();
    }

    /** Zipf-like word choice: common words dominate, as in real text, so chance shingle overlaps happen. */
    private static String pick(Random r, String[] vocabulary) {
        double u = r.nextDouble();
        return vocabulary[(int) (Math.pow(u, 3) * vocabulary.length)];
    }

    private static Conversation synthetic(String id, Random r, String[] vocabulary) {
        List<Turn> turns = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
            int words = t % 2 == 0 ? 30 + r.nextInt(30) : 80 + r.nextInt(80);
            StringBuilder b = new StringBuilder();
            for (int w = 0; w < words; w++) b.append(pick(r, vocabulary)).append(w % 15 == 14 ? ". " : " ");
            String text = b.toString().strip() + ".";
            turns.add(t % 2 == 0 ? Turn.user(t, text, new Emotion("confusion", null, 0.7, 0.8, null))
                    : Turn.assistant(t, text, "exploration", null, List.of()));
        }
        return new Conversation(id, id, new Scaffolding(PERSONAS[r.nextInt(3)], ARCS[r.nextInt(2)], TOPICS[r.nextInt(3)], 0, "seed"),
                null, null, turns, Source.GENERATED, "simulated", "none");
    }

    /** Two words changed per reply: a near-duplicate well above Jaccard 0.8. */
    private static Conversation edit(Conversation c, String id, Random r, String[] vocabulary) {
        List<Turn> turns = new ArrayList<>();
        for (Turn t : c.turns()) {
            if (!t.isAssistant()) { turns.add(t); continue; }
            String[] words = t.content().split(" ");
            for (int k = 0; k < 2; k++) words[r.nextInt(words.length)] = pick(r, vocabulary);
            turns.add(t.withContent(String.join(" ", words)));
        }
        return rename(c.withTurns(turns), id);
    }

    private static Conversation shuffle(Conversation c, String id, Random r) {
        List<List<Turn>> exchanges = new ArrayList<>();
        for (int i = 0; i + 1 < c.turns().size(); i += 2) exchanges.add(c.turns().subList(i, i + 2));
        Collections.shuffle(exchanges, r);
        List<Turn> turns = new ArrayList<>();
        exchanges.forEach(turns::addAll);
        return rename(c.withTurns(turns), id);
    }

    private static Conversation rename(Conversation c, String id) {
        return new Conversation(id, id, c.scaffolding(), null, null, c.turns(), c.source(), c.provider(), c.model());
    }

    private static long usedAfterGc() {
        System.gc();
        Runtime rt = Runtime.getRuntime();
        return rt.totalMemory() - rt.freeMemory();
    }

    private static void resetPeaks() {
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) pool.resetPeakUsage();
    }

    private static long peakHeap() {
        long sum = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) sum += pool.getPeakUsage().getUsed();
        }
        return sum;
    }
}
