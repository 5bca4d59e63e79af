package dev.brun.quality;

import dev.brun.conversation.Conversation;
import dev.brun.conversation.QualityFlag;
import dev.brun.conversation.Scores;
import dev.brun.conversation.Severity;
import dev.brun.export.StoreExportSource;
import dev.brun.pack.Pack;
import dev.brun.run.CacheSavings;
import dev.brun.store.Database;
import dev.brun.store.QualityDao;
import dev.brun.store.StoredConversation;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * Runs the quality library over a project's database and stores what it finds: {@link #checkOne} for a
 * conversation the engine just stored, {@link #checkAll} for `brun check`. A conversation counts as checked
 * once it carries scores brun computed (heuristic or judge); imported scores do not count, so imported
 * conversations are checked like generated ones. The group checks (length outliers within a combination,
 * near-duplicates, diversity) always run over every conversation, because a new conversation can make an
 * old one an outlier or a duplicate; their flags are rewritten only where they changed.
 */
public final class QualityRun {
    /** Flags that depend on the other conversations, recomputed on every run. */
    static final Set<String> GROUP_CODES = Set.of(LengthOutliers.CODE, MinHashDeduplicator.CODE, DiversityMetrics.CODE);
    /** Writes per transaction: one transaction per conversation is slow on SQLite, one for everything holds the lock too long. */
    private static final int WRITE_CHUNK = 500;

    private final Database db;
    private final Pack pack;
    private final ConversationChecker checker;
    private final Scorer scorer;
    private final LengthOutliers lengthOutliers;
    private final MinHashDeduplicator deduplicator;
    private final DiversityMetrics diversity;

    public QualityRun(Database db, Pack pack, ConversationChecker checker, Scorer scorer, LengthOutliers lengthOutliers,
                      MinHashDeduplicator deduplicator, DiversityMetrics diversity) {
        this.db = db;
        this.pack = pack;
        this.checker = checker;
        this.scorer = scorer;
        this.lengthOutliers = lengthOutliers;
        this.deduplicator = deduplicator;
        this.diversity = diversity;
    }

    /** The standard checks, the heuristic scorer, MinHash at Jaccard 0.8, default diversity thresholds. */
    public static QualityRun standard(Database db, Pack pack) {
        return standard(db, pack, MinHashDeduplicator.Settings.defaults().threshold());
    }

    /** As {@link #standard(Database, Pack)}, with another near-duplicate threshold (estimated Jaccard, 0 &lt; t &le; 1). */
    public static QualityRun standard(Database db, Pack pack, double duplicateThreshold) {
        var defaults = MinHashDeduplicator.Settings.defaults();
        return new QualityRun(db, pack, ConversationChecker.standard(), new HeuristicScorer(), new LengthOutliers(),
                new MinHashDeduplicator(MinHashDeduplicator.Settings.forThreshold(duplicateThreshold, defaults.numHashes(), defaults.shingleSize())),
                new DiversityMetrics());
    }

    /** What {@link #checkOne} stored for one conversation. */
    public record Checked(String conversationId, List<QualityFlag> flags, Scores scores) {
        public Checked {
            flags = List.copyOf(flags);
        }
    }

    /**
     * Checks one newly stored conversation on its own (group checks wait for the next `brun check`), stores its
     * flags and heuristic scores, and returns them. For the generation engine's hook.
     */
    public Checked checkOne(Conversation conversation) {
        List<QualityFlag> flags = checker.check(conversation, pack);
        Scores scores = scorer.score(conversation, pack, flags);
        db.writes().useTransaction(h -> {
            db.quality().replaceFlags(conversation.id(), flags);
            db.quality().putScores(conversation.id(), scores);
        });
        return new Checked(conversation.id(), flags, scores);
    }

    /**
     * What a full run found: conversations seen and checked, flags by code over all conversations (conversations
     * carrying each code), the near-duplicate clusters, combinations flagged as too alike, flags rewritten.
     */
    public record Summary(int conversations, int checked, int flagsChanged, Map<String, Integer> flagsByCode,
                          Map<String, Severity> severityByCode, List<MinHashDeduplicator.Cluster> clusters,
                          List<String> lowDiversityCombinations, int usable) {
        public Summary {
            flagsByCode = Map.copyOf(flagsByCode);
            severityByCode = Map.copyOf(severityByCode);
            clusters = List.copyOf(clusters);
            lowDiversityCombinations = List.copyOf(lowDiversityCombinations);
        }
    }

    /** True when brun scored the conversation itself (heuristic or judge), not just imported a score. */
    public static boolean checked(StoredConversation c) {
        return c.scores().map(s -> HeuristicScorer.METHOD.equals(s.method()) || s.method().startsWith("judge:")).orElse(false);
    }

    /**
     * Checks and scores every conversation that is not checked yet (all of them with rescore), recomputes the
     * group flags over all conversations, and stores what changed.
     */
    public Summary checkAll(boolean rescore) {
        return checkAll(rescore, stage -> {});
    }

    /** As {@link #checkAll(boolean)}, telling progress what each stage did as it ends (for a run that takes a while). */
    public Summary checkAll(boolean rescore, Consumer<String> progress) {
        long started = System.nanoTime();
        Consumer<String> stage = what -> progress.accept(String.format(Locale.ROOT, "%s (%.1f s)", what,
                (System.nanoTime() - started) / 1e9));
        List<StoredConversation> all;
        try (var stream = new StoreExportSource(db).stored()) {
            all = stream.toList();
        }
        stage.accept("read " + all.size() + " conversations");
        List<Conversation> conversations = all.stream().map(StoredConversation::conversation).toList();
        Map<String, List<QualityFlag>> own = new ConcurrentHashMap<>();
        Map<String, Scores> scores = new ConcurrentHashMap<>();
        List<StoredConversation> toCheck = new ArrayList<>();
        for (StoredConversation s : all) {
            if (rescore || !checked(s)) {
                toCheck.add(s);
            } else {
                own.put(s.conversation().id(), checkFlags(s).stream().filter(f -> !GROUP_CODES.contains(f.code())).toList());
                scores.put(s.conversation().id(), s.scores().orElseThrow());
            }
        }
        // the checks and the scorer keep no state between conversations: both cores can share the work
        toCheck.parallelStream().forEach(s -> own.put(s.conversation().id(), checker.check(s.conversation(), pack)));
        Map<String, List<QualityFlag>> outliers = lengthOutliers.check(conversations);
        Set<String> checkedNow = toCheck.stream().map(s -> s.conversation().id()).collect(Collectors.toUnmodifiableSet());
        toCheck.parallelStream().map(StoredConversation::conversation).forEach(c -> {
            List<QualityFlag> forScore = new ArrayList<>(own.get(c.id()));
            forScore.addAll(outliers.getOrDefault(c.id(), List.of()));
            scores.put(c.id(), scorer.score(c, pack, forScore));
        });
        stage.accept("checked and scored " + toCheck.size() + (toCheck.size() < all.size() ? " (the others were checked before)" : ""));
        MinHashDeduplicator.Result duplicates = deduplicator.deduplicate(conversations,
                c -> scores.containsKey(c.id()) ? scores.get(c.id()).overall() : 0);

        stage.accept("near-duplicates: " + duplicates.clusters().size() + " clusters");
        Map<String, List<QualityFlag>> flags = new LinkedHashMap<>();
        for (StoredConversation s : all) {
            String id = s.conversation().id();
            List<QualityFlag> f = new ArrayList<>(own.get(id));
            f.addAll(outliers.getOrDefault(id, List.of()));
            QualityFlag dup = duplicates.flags().get(id);
            if (dup != null) f.add(dup);
            flags.put(id, f);
        }
        Predicate<StoredConversation> usable = s -> s.review().status() != dev.brun.conversation.ReviewStatus.REJECTED
                && flags.get(s.conversation().id()).stream().noneMatch(f -> f.severity() == Severity.ERROR);
        DiversityMetrics.Report measured = diversity.measure(all.stream().filter(usable).map(StoredConversation::conversation).toList());
        for (StoredConversation s : all) {
            QualityFlag alike = measured.flags().get(s.conversation().scaffolding().combination());
            if (alike != null) flags.get(s.conversation().id()).add(alike);
        }

        stage.accept("diversity of " + measured.perCombination().size() + " combinations");
        int changed = store(all, flags, scores, checkedNow);
        stage.accept("stored flags and scores");
        Map<String, Integer> byCode = new TreeMap<>();
        Map<String, Severity> severity = new TreeMap<>();
        for (List<QualityFlag> f : flags.values()) {
            f.stream().map(QualityFlag::code).distinct().forEach(code -> byCode.merge(code, 1, Integer::sum));
            f.forEach(x -> severity.merge(x.code(), x.severity(), (a, b) -> a.compareTo(b) >= 0 ? a : b));
        }
        int usableCount = (int) all.stream().filter(usable).count();
        return new Summary(all.size(), checkedNow.size(), changed, byCode, severity, duplicates.clusters(),
                new ArrayList<>(new TreeMap<>(measured.flags()).keySet()), usableCount);
    }

    /** The code of the flag a report gives conversations a reviewer rejected (not stored; the review is). */
    public static final String REJECTED = "rejected";

    /**
     * The report over every stored conversation. Rejected conversations count as unusable, as in exports, through
     * a {@value #REJECTED} flag; cost is the ledger's total (failed calls, retries and judge calls included), per
     * usable conversation.
     */
    public QualityReport report(double ledgerTotalUsd) {
        return report(ledgerTotalUsd, QualityReport.NO_CACHE);
    }

    /** As {@link #report(double)}, with the ledger's cache hit rate and savings. */
    public QualityReport report(double ledgerTotalUsd, CacheSavings cache) {
        List<QualityReport.Entry> entries = new ArrayList<>();
        try (var stream = new StoreExportSource(db).stored()) {
            stream.forEach(s -> {
                List<QualityFlag> flags = new ArrayList<>(s.flags());
                if (s.review().status() == dev.brun.conversation.ReviewStatus.REJECTED)
                    flags.add(QualityFlag.of(REJECTED, Severity.ERROR, "rejected by "
                            + (s.review().reviewer() == null ? "a reviewer" : s.review().reviewer()), null));
                entries.add(new QualityReport.Entry(s.conversation(), flags, s.scores().orElse(null), s.generation().orElse(null)));
            });
        }
        return QualityReport.build(pack, entries, new QualityReport.Options(diversity)).withCosts(ledgerTotalUsd, cache);
    }

    /** Judge calls: conversations scored, usable ones left for a later run, and why judging stopped early (null: it did not). */
    public record JudgeSummary(int judged, int remaining, String stopReason) {}

    /**
     * Scores usable conversations (not rejected, no error flag) through an LLM judge, replacing their heuristic
     * scores; conversations the judge already scored with this method are skipped unless rescore. Unusable ones
     * are not sent: they stay out of exports, so judging them would only cost money. The first failed call
     * (budget, provider, unreadable answer) stops the run; what was judged until then stays stored.
     */
    public JudgeSummary judge(JudgeScorer judge, String method, boolean rescore, int concurrency) {
        var stop = new java.util.concurrent.atomic.AtomicReference<String>();
        var judged = new java.util.concurrent.atomic.AtomicInteger();
        var remaining = new java.util.concurrent.atomic.AtomicInteger();
        var inFlight = new java.util.concurrent.Semaphore(Math.max(1, concurrency));
        try (var stream = new StoreExportSource(db).stored();
             var executor = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
            for (StoredConversation s : (Iterable<StoredConversation>) stream::iterator) {
                if (!s.usable()) continue;
                if (!rescore && s.scores().map(x -> method.equals(x.method())).orElse(false)) continue;
                if (stop.get() != null) { remaining.incrementAndGet(); continue; }
                inFlight.acquireUninterruptibly();
                executor.submit(() -> {
                    try {
                        if (stop.get() != null) { remaining.incrementAndGet(); return; }
                        Scores scores = judge.score(s.conversation(), pack, s.flags());
                        db.quality().putScores(s.conversation().id(), scores);
                        judged.incrementAndGet();
                    } catch (RuntimeException e) {
                        remaining.incrementAndGet();
                        stop.compareAndSet(null, e.getMessage() == null ? e.toString() : e.getMessage());
                    } finally {
                        inFlight.release();
                    }
                });
            }
        }
        return new JudgeSummary(judged.get(), remaining.get(), stop.get());
    }

    /** A conversation's stored flags less the repair flag generation set and the seed-lineage flags, which re-checks keep as they are. */
    private static List<QualityFlag> checkFlags(StoredConversation s) {
        return s.flags().stream().filter(f -> !QualityDao.REPAIRED.equals(f.code())
                && !dev.brun.store.LineageDao.SEED_CHANGED.equals(f.code())).toList();
    }

    /** Writes flags that changed and the new scores, a chunk of conversations per transaction; returns how many flag sets changed. */
    private int store(List<StoredConversation> all, Map<String, List<QualityFlag>> flags, Map<String, Scores> scores, Set<String> checkedNow) {
        List<StoredConversation> pending = new ArrayList<>();
        int changed = 0;
        for (StoredConversation s : all) {
            String id = s.conversation().id();
            boolean flagsDiffer = !flags.get(id).equals(checkFlags(s));
            if (flagsDiffer) changed++;
            if (flagsDiffer || checkedNow.contains(id)) pending.add(s);
        }
        for (int from = 0; from < pending.size(); from += WRITE_CHUNK) {
            List<StoredConversation> chunk = pending.subList(from, Math.min(pending.size(), from + WRITE_CHUNK));
            db.writes().useTransaction(h -> {
                for (StoredConversation s : chunk) {
                    String id = s.conversation().id();
                    if (!flags.get(id).equals(checkFlags(s))) db.quality().replaceFlags(id, flags.get(id));
                    if (checkedNow.contains(id)) db.quality().putScores(id, scores.get(id));
                }
            });
        }
        return changed;
    }
}
