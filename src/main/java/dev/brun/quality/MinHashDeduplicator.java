package dev.brun.quality;

import dev.brun.conversation.Conversation;
import dev.brun.conversation.QualityFlag;
import dev.brun.conversation.Severity;
import dev.brun.conversation.Turn;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.ToDoubleFunction;
import java.util.stream.IntStream;

/**
 * Near-duplicate conversations by MinHash over word shingles of the assistant text, with LSH banding so
 * only conversations sharing a band are ever compared. Shingles never span two turns, so the same replies
 * in another order are still duplicates. Signatures live in one flat int array (numHashes ints per
 * conversation: 51 MB for 100,000 at 128 hashes) and are computed in parallel.
 */
public final class MinHashDeduplicator {
    public static final String CODE = "near_duplicate";
    private static final int INDEX_BITS = 24;
    private static final long INDEX_MASK = (1L << INDEX_BITS) - 1;
    /** Comparisons per conversation inside one LSH bucket; a bucket of thousands of copies stays linear. */
    private static final int MAX_BUCKET_COMPARISONS = 64;

    /** shingleSize words per shingle; bands x rows <= numHashes, chosen by {@link #forThreshold}. */
    public record Settings(int shingleSize, int numHashes, int bands, int rows, double threshold, long seed) {
        public Settings {
            if (threshold <= 0 || threshold > 1) throw new IllegalArgumentException("near-duplicate threshold must be in (0, 1], got " + threshold);
            if (bands * rows > numHashes) throw new IllegalArgumentException("bands x rows must not exceed numHashes");
        }

        /**
         * The widest rows per band that still makes a pair at the threshold a candidate with probability
         * >= 0.99; wider rows mean fewer chance candidates to verify.
         */
        public static Settings forThreshold(double threshold, int numHashes, int shingleSize) {
            int bestRows = 1;
            for (int r = 1; r <= numHashes; r++) {
                int b = numHashes / r;
                double p = 1 - Math.pow(1 - Math.pow(threshold, r), b);
                if (p >= 0.99) bestRows = r;
            }
            return new Settings(shingleSize, numHashes, numHashes / bestRows, bestRows, threshold, 0x5eed_b12eL);
        }

        public static Settings defaults() { return forThreshold(0.8, 128, 3); }

        /** Probability that a pair of this Jaccard similarity becomes a candidate. */
        public double candidateProbability(double jaccard) {
            return 1 - Math.pow(1 - Math.pow(jaccard, rows), bands);
        }
    }

    /** The conversations judged near-duplicates of each other; kept is the one that stays usable. */
    public record Cluster(String kept, List<String> members) {
        public Cluster { members = List.copyOf(members); }
    }

    /** Clusters (two or more members) and the near_duplicate flag of each conversation that is not kept. */
    public record Result(List<Cluster> clusters, Map<String, QualityFlag> flags, long candidatePairs, long verifiedPairs) {
        public Result {
            clusters = List.copyOf(clusters);
            flags = Map.copyOf(flags);
        }
    }

    private final Settings settings;
    private final long[] mulA;
    private final long[] addB;

    public MinHashDeduplicator(Settings settings) {
        this.settings = settings;
        SplittableRandom random = new SplittableRandom(settings.seed());
        mulA = new long[settings.numHashes()];
        addB = new long[settings.numHashes()];
        for (int i = 0; i < mulA.length; i++) {
            mulA[i] = random.nextLong() | 1; // odd multipliers: multiply-shift hashing needs them
            addB[i] = random.nextLong();
        }
    }

    public MinHashDeduplicator() { this(Settings.defaults()); }

    public Settings settings() { return settings; }

    /**
     * Finds the clusters; in each, the conversation with the highest score (ties: smallest id) is kept and
     * every other member, each at least the threshold similar to it, gets a near_duplicate flag pointing at it.
     */
    public Result deduplicate(List<Conversation> conversations, ToDoubleFunction<Conversation> score) {
        int n = conversations.size();
        if (n >= (1 << INDEX_BITS)) throw new IllegalArgumentException("at most " + ((1 << INDEX_BITS) - 1) + " conversations per run, got " + n);
        int h = settings.numHashes();
        int[] signatures = new int[n * h];
        IntStream.range(0, n).parallel().forEach(i -> signature(assistantTexts(conversations.get(i)), signatures, i * h));
        UnionFind sets = new UnionFind(n);
        long[] counts = new long[2];
        long[] keys = new long[n];
        for (int band = 0; band < settings.bands(); band++) {
            int from = band * settings.rows();
            for (int i = 0; i < n; i++) keys[i] = (bandHash(signatures, i * h + from) << INDEX_BITS) | i;
            Arrays.parallelSort(keys);
            int start = 0;
            while (start < n) {
                int end = start + 1;
                long bucket = keys[start] >>> INDEX_BITS;
                while (end < n && (keys[end] >>> INDEX_BITS) == bucket) end++;
                if (end - start > 1) verifyBucket(keys, start, end, signatures, sets, counts);
                start = end;
            }
        }
        return collect(conversations, score, signatures, sets, counts);
    }

    private void verifyBucket(long[] keys, int start, int end, int[] signatures, UnionFind sets, long[] counts) {
        for (int a = start + 1; a < end; a++) {
            int j = (int) (keys[a] & INDEX_MASK);
            int compared = 0;
            for (int b = a - 1; b >= start && compared < MAX_BUCKET_COMPARISONS; b--) {
                int i = (int) (keys[b] & INDEX_MASK);
                // already joined: nothing to learn; keep looking, j may also bridge to another cluster
                if (sets.find(i) == sets.find(j)) continue;
                counts[0]++;
                compared++;
                if (estimatedJaccard(signatures, i, j) >= settings.threshold()) {
                    counts[1]++;
                    sets.union(i, j);
                }
            }
        }
    }

    private Result collect(List<Conversation> conversations, ToDoubleFunction<Conversation> score, int[] signatures,
                           UnionFind sets, long[] counts) {
        Map<Integer, List<Integer>> groups = new HashMap<>();
        for (int i = 0; i < conversations.size(); i++) {
            int root = sets.find(i);
            if (root != i || sets.size(root) > 1) groups.computeIfAbsent(root, k -> new ArrayList<>()).add(i);
        }
        List<Cluster> clusters = new ArrayList<>();
        Map<String, QualityFlag> flags = new HashMap<>();
        Comparator<Integer> best = Comparator.<Integer>comparingDouble(i -> -score.applyAsDouble(conversations.get(i)))
                .thenComparing(i -> conversations.get(i).id());
        for (List<Integer> linked : groups.values()) {
            if (linked.size() < 2) continue;
            linked.sort(best);
            // Linked sets chain (a~b and b~c while a and c differ), so a linked set is not yet a cluster: best
            // first, each conversation joins the first kept one it really is a near-copy of, or is kept itself.
            Map<Integer, List<Integer>> copiesOf = new java.util.LinkedHashMap<>();
            for (int m : linked) {
                Integer original = null;
                for (int kept : copiesOf.keySet()) {
                    if (estimatedJaccard(signatures, kept, m) >= settings.threshold()) { original = kept; break; }
                }
                if (original == null) copiesOf.put(m, new ArrayList<>());
                else copiesOf.get(original).add(m);
            }
            copiesOf.forEach((kept, copies) -> {
                if (copies.isEmpty()) return;
                String keptId = conversations.get(kept).id();
                for (int m : copies) {
                    double j = estimatedJaccard(signatures, kept, m);
                    flags.put(conversations.get(m).id(), new QualityFlag(CODE, Severity.ERROR, String.format(
                            "Near-duplicate of %s: about %.0f%% of the assistant's %d-word phrases are the same (estimated Jaccard; threshold %.0f%%); %s scores higher and is kept",
                            keptId, j * 100, settings.shingleSize(), settings.threshold() * 100, keptId), null, keptId));
                }
                List<Integer> members = new ArrayList<>();
                members.add(kept);
                members.addAll(copies);
                clusters.add(new Cluster(keptId, members.stream().map(i -> conversations.get(i).id()).toList()));
            });
        }
        clusters.sort(Comparator.comparing(Cluster::kept));
        return new Result(clusters, flags, counts[0], counts[1]);
    }

    /** Fraction of equal MinHash values: an unbiased estimate of the Jaccard similarity of the shingle sets. */
    double estimatedJaccard(int[] signatures, int i, int j) {
        int h = settings.numHashes(), same = 0;
        for (int k = 0; k < h; k++) if (signatures[i * h + k] == signatures[j * h + k]) same++;
        return (double) same / h;
    }

    static List<String> assistantTexts(Conversation c) {
        return c.turns().stream().filter(Turn::isAssistant).map(Turn::content).toList();
    }

    /** Writes the MinHash signature of the texts' word shingles into out[offset, offset + numHashes). */
    void signature(List<String> texts, int[] out, int offset) {
        int h = settings.numHashes();
        Arrays.fill(out, offset, offset + h, Integer.MAX_VALUE);
        boolean any = false;
        for (String text : texts) {
            List<String> words = Words.of(text);
            int k = Math.min(settings.shingleSize(), Math.max(1, words.size()));
            for (int s = 0; s + k <= words.size(); s++) {
                long x = shingleHash(words, s, k);
                any = true;
                for (int f = 0; f < h; f++) {
                    int v = (int) ((mulA[f] * x + addB[f]) >>> 33);
                    if (v < out[offset + f]) out[offset + f] = v;
                }
            }
        }
        // no text at all: a per-position sentinel no real shingle produces, so empty conversations do not collide
        if (!any) Arrays.fill(out, offset, offset + h, -1 - offset / h);
    }

    private static long shingleHash(List<String> words, int from, int k) {
        long x = 0xcbf29ce484222325L;
        for (int w = from; w < from + k; w++) {
            String word = words.get(w);
            for (int c = 0; c < word.length(); c++) x = (x ^ word.charAt(c)) * 0x100000001b3L;
            x = (x ^ ' ') * 0x100000001b3L;
        }
        return mix(x);
    }

    private long bandHash(int[] signatures, int from) {
        long x = 0x9e3779b97f4a7c15L;
        for (int r = 0; r < settings.rows(); r++) x = mix(x ^ signatures[from + r]) + r;
        return mix(x) >>> INDEX_BITS;
    }

    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }

    /** Exact Jaccard of two conversations' shingle sets: the naive baseline and the tests' ground truth. */
    public double exactJaccard(Conversation a, Conversation b) {
        var sa = shingles(assistantTexts(a));
        var sb = shingles(assistantTexts(b));
        if (sa.isEmpty() && sb.isEmpty()) return 0;
        long inter = sa.stream().filter(sb::contains).count();
        return (double) inter / (sa.size() + sb.size() - inter);
    }

    java.util.Set<String> shingles(List<String> texts) {
        java.util.Set<String> out = new java.util.HashSet<>();
        for (String text : texts) {
            List<String> words = Words.of(text);
            int k = Math.min(settings.shingleSize(), Math.max(1, words.size()));
            out.addAll(Words.ngrams(words, k));
        }
        return out;
    }

    /** Disjoint sets over 0..n-1 with path halving and union by size. */
    private static final class UnionFind {
        private final int[] parent;
        private final int[] size;

        UnionFind(int n) {
            parent = new int[n];
            size = new int[n];
            for (int i = 0; i < n; i++) { parent[i] = i; size[i] = 1; }
        }

        int find(int x) {
            while (parent[x] != x) {
                parent[x] = parent[parent[x]];
                x = parent[x];
            }
            return x;
        }

        void union(int a, int b) {
            int ra = find(a), rb = find(b);
            if (ra == rb) return;
            if (size[ra] < size[rb]) { int t = ra; ra = rb; rb = t; }
            parent[rb] = ra;
            size[ra] += size[rb];
        }

        int size(int root) { return size[root]; }
    }
}
