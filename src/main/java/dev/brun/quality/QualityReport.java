package dev.brun.quality;

import dev.brun.conversation.Conversation;
import dev.brun.conversation.Generation;
import dev.brun.conversation.QualityFlag;
import dev.brun.conversation.Scores;
import dev.brun.conversation.Severity;
import dev.brun.pack.Minimums;
import dev.brun.pack.Pack;
import dev.brun.run.CacheSavings;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * What `brun report` shows, as data the CLI table, the JSON output and the HTML page all render from:
 * flags by kind, score histograms by persona/arc/topic, coverage of usable conversations against the
 * pack's minimums, the diversity table, the cost per usable conversation, what prompt caching saved, and the
 * near-duplicate clusters (the id kept -> the ids flagged as its copies).
 */
public record QualityReport(int conversations, int usable, Map<String, FlagCount> flagsByCode,
                            Map<String, Map<String, Histogram>> scoreHistograms, List<Coverage> coverage,
                            DiversityMetrics.Report diversity, double totalCostUsd, Double costPerUsableUsd, CacheSavings cache,
                            Map<String, List<String>> nearDuplicates) {

    /** No calls billed, so nothing cached. */
    public static final CacheSavings NO_CACHE = new CacheSavings(0, 0, 0, 0, 0, 0);

    /** A report without ledger facts about caching (nothing was sent through a provider). */
    public QualityReport(int conversations, int usable, Map<String, FlagCount> flagsByCode,
                         Map<String, Map<String, Histogram>> scoreHistograms, List<Coverage> coverage,
                         DiversityMetrics.Report diversity, double totalCostUsd, Double costPerUsableUsd) {
        this(conversations, usable, flagsByCode, scoreHistograms, coverage, diversity, totalCostUsd, costPerUsableUsd, NO_CACHE, Map.of());
    }

    /** The same report with the ledger's cost and cache facts in place of the conversations' own. */
    public QualityReport withCosts(double totalCostUsd, CacheSavings cache) {
        return new QualityReport(conversations, usable, flagsByCode, scoreHistograms, coverage, diversity, totalCostUsd,
                usable == 0 ? null : totalCostUsd / usable, cache, nearDuplicates);
    }

    /** One conversation with what the checks and the scorer found and what it cost (generation may be null: imported). */
    public record Entry(Conversation conversation, List<QualityFlag> flags, Scores scores, Generation generation) {
        public Entry { flags = List.copyOf(flags); }

        /** Usable = no error flag: what export takes by default. */
        public boolean usable() { return flags.stream().noneMatch(f -> f.severity() == Severity.ERROR); }
    }

    /** How many conversations carry a code, and how many flags of it there are (one conversation can have several). */
    public record FlagCount(String code, Severity severity, int conversations, int flags) {}

    /** Counts of overall scores in the bins [1,2), [2,3), [3,4), [4,5]. */
    public record Histogram(int[] bins, int scored, double mean) {
        public static final List<String> BIN_LABELS = List.of("1-2", "2-3", "3-4", "4-5");
    }

    /** dimension is persona, arc or topic; missing = how many usable conversations are still needed. */
    public record Coverage(String dimension, String key, int usable, int minimum) {
        public int missing() { return Math.max(0, minimum - usable); }
        public boolean met() { return usable >= minimum; }
    }

    public record Options(DiversityMetrics diversityMetrics) {
        public static Options defaults() { return new Options(new DiversityMetrics()); }
    }

    public static QualityReport build(Pack pack, List<Entry> entries, Options options) {
        List<Entry> usable = entries.stream().filter(Entry::usable).toList();
        Map<String, FlagCount> flags = new TreeMap<>();
        for (Entry e : entries) {
            Map<String, Integer> perCode = new TreeMap<>();
            Map<String, Severity> severity = new TreeMap<>();
            for (QualityFlag f : e.flags()) {
                perCode.merge(f.code(), 1, Integer::sum);
                severity.merge(f.code(), f.severity(), (a, b) -> a.compareTo(b) >= 0 ? a : b);
            }
            perCode.forEach((code, n) -> flags.merge(code, new FlagCount(code, severity.get(code), 1, n),
                    (a, b) -> new FlagCount(code, a.severity().compareTo(b.severity()) >= 0 ? a.severity() : b.severity(),
                            a.conversations() + b.conversations(), a.flags() + b.flags())));
        }
        Map<String, List<String>> nearDuplicates = new TreeMap<>();
        for (Entry e : entries)
            for (QualityFlag f : e.flags())
                if (MinHashDeduplicator.CODE.equals(f.code()) && f.relatedConversationId() != null)
                    nearDuplicates.computeIfAbsent(f.relatedConversationId(), k -> new ArrayList<>()).add(e.conversation().id());
        nearDuplicates.replaceAll((kept, copies) -> copies.stream().sorted().toList());
        Map<String, Map<String, Histogram>> histograms = new java.util.LinkedHashMap<>();
        histograms.put("persona", histogram(entries, e -> e.conversation().scaffolding().personaKey()));
        histograms.put("arc", histogram(entries, e -> e.conversation().scaffolding().arcKey()));
        histograms.put("topic", histogram(entries, e -> e.conversation().scaffolding().topicKey()));

        Minimums min = pack.rules() == null || pack.rules().minimums() == null ? new Minimums(0, 0, 0) : pack.rules().minimums();
        List<Coverage> coverage = new ArrayList<>();
        pack.personas().forEach(p -> coverage.add(new Coverage("persona", p.key(),
                count(usable, e -> e.conversation().scaffolding().personaKey(), p.key()), min.perPersona())));
        pack.arcs().forEach(a -> coverage.add(new Coverage("arc", a.key(),
                count(usable, e -> e.conversation().scaffolding().arcKey(), a.key()), min.perArc())));
        pack.topics().forEach(t -> coverage.add(new Coverage("topic", t.key(),
                count(usable, e -> e.conversation().scaffolding().topicKey(), t.key()), min.perTopic())));

        double cost = entries.stream().filter(e -> e.generation() != null).mapToDouble(e -> e.generation().costUsd()).sum();
        var diversity = options.diversityMetrics().measure(usable.stream().map(Entry::conversation).toList());
        return new QualityReport(entries.size(), usable.size(), flags, histograms, coverage, diversity, cost,
                usable.isEmpty() ? null : cost / usable.size(), NO_CACHE, nearDuplicates);
    }

    private static Map<String, Histogram> histogram(List<Entry> entries, Function<Entry, String> key) {
        Map<String, List<Double>> scores = new TreeMap<>();
        for (Entry e : entries) {
            if (e.scores() == null || e.conversation().scaffolding() == null) continue;
            scores.computeIfAbsent(key.apply(e), k -> new ArrayList<>()).add(e.scores().overall());
        }
        Map<String, Histogram> out = new TreeMap<>();
        scores.forEach((k, values) -> {
            int[] bins = new int[4];
            for (double v : values) bins[Math.min(3, Math.max(0, (int) Math.floor(v) - 1))]++;
            out.put(k, new Histogram(bins, values.size(), values.stream().mapToDouble(Double::doubleValue).average().orElse(0)));
        });
        return out;
    }

    private static int count(List<Entry> entries, Function<Entry, String> key, String value) {
        return (int) entries.stream().filter(e -> e.conversation().scaffolding() != null && value.equals(key.apply(e))).count();
    }

    /** Coverage rows whose minimum is not met yet: what `brun plan --gaps` and the edge phase fill. */
    public List<Coverage> gaps() {
        return coverage.stream().filter(c -> !c.met()).toList();
    }
}
