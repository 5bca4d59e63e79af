package dev.brun.cli;

import dev.brun.export.AtomicFile;
import dev.brun.project.Project;
import dev.brun.run.CacheSavings;
import dev.brun.quality.DiversityMetrics;
import dev.brun.quality.HtmlReport;
import dev.brun.quality.QualityReport;
import dev.brun.quality.QualityRun;
import dev.brun.review.Agreement;
import dev.brun.review.Calibration;
import dev.brun.store.DiscardedSpend;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/** brun report: what the checks found, how the scores fall, what coverage is missing, what it cost. */
@Command(name = "report", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {"Summarise flags, scores, coverage, diversity and cost per usable conversation.",
                "%nFlags by kind, near-duplicate clusters, overall-score histograms by persona, arc and topic, coverage of usable "
                        + "conversations against the pack's minimums, diversity per combination, the ledger's total cost per usable "
                        + "conversation, and the prompt-cache hit rate with the dollars it saved against no caching. --html writes "
                        + "the same as one self-contained page with charts. Run brun check first.",
                "%nExit code: 0 done, 2 bad input, 1 the HTML file cannot be written."})
public final class ReportCommand implements Callable<Integer> {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;
    @Mixin ProjectMixin project;
    @Mixin JsonMixin json;

    @Option(names = "--html", paramLabel = "FILE",
            description = "Also write the report as one self-contained HTML file with charts (no external resources).")
    Path html;

    private final Clock clock;

    public ReportCommand() { this(Clock.systemUTC()); }

    ReportCommand(Clock clock) { this.clock = clock; }

    @Override
    public Integer call() {
        try (Project p = project.open()) {
            CacheSavings cache = CacheSavings.of(p.db().ledger(), p.prices());
            QualityReport report = QualityRun.standard(p.db(), p.pack()).report(p.db().ledger().totalSpend(), cache);
            Calibration calibration = Calibration.measure(p.db().reviewHistory());
            PrintWriter out = spec.commandLine().getOut();
            Path written = null;
            if (html != null) {
                Path target = html.toAbsolutePath().normalize();
                String page = HtmlReport.render(report, calibration, "brun quality report: " + p.pack().name(), clock.instant());
                AtomicFile.write(target.getParent(), target, o -> o.write(page.getBytes(StandardCharsets.UTF_8)));
                written = target;
            }
            List<DiscardedSpend> discarded = p.db().units().discardedByReason();
            if (json.enabled()) {
                Map<String, Object> doc = document(report);
                doc.put("discarded_by_reason", discarded);
                doc.put("calibration", calibration.facts());
                if (written != null) doc.put("html", written.toString());
                Json.print(out, doc);
            } else {
                print(out, report);
                if (!discarded.isEmpty()) out.println();
                DiscardedSpend.lines(discarded).forEach(out::println);
                print(out, calibration);
                if (written != null) out.println("HTML report: " + written);
                out.flush();
            }
            return 0;
        }
    }

    static Map<String, Object> document(QualityReport r) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("conversations", r.conversations());
        doc.put("usable", r.usable());
        doc.put("total_cost_usd", r.totalCostUsd());
        doc.put("cost_per_usable_usd", r.costPerUsableUsd());
        Map<String, Object> cache = new LinkedHashMap<>();
        cache.put("prompt_tokens", r.cache().promptTokens());
        cache.put("cache_read_tokens", r.cache().cacheReadTokens());
        cache.put("cache_write_tokens", r.cache().cacheWriteTokens());
        cache.put("hit_rate", r.cache().hitRate());
        cache.put("saved_usd", r.cache().savedUsd());
        doc.put("cache", cache);
        Map<String, Object> flags = new LinkedHashMap<>();
        r.flagsByCode().values().stream().sorted((a, b) -> Integer.compare(b.conversations(), a.conversations())).forEach(f -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("severity", f.severity().wire());
            m.put("conversations", f.conversations());
            m.put("flags", f.flags());
            flags.put(f.code(), m);
        });
        doc.put("flags_by_code", flags);
        doc.put("near_duplicate_clusters", r.nearDuplicates().entrySet().stream().map(e -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("kept", e.getKey());
            m.put("copies", e.getValue());
            return m;
        }).toList());
        Map<String, Object> histograms = new LinkedHashMap<>();
        r.scoreHistograms().forEach((dimension, byKey) -> {
            Map<String, Object> keys = new LinkedHashMap<>();
            byKey.forEach((key, h) -> {
                Map<String, Object> m = new LinkedHashMap<>();
                Map<String, Integer> bins = new LinkedHashMap<>();
                for (int i = 0; i < h.bins().length; i++) bins.put(QualityReport.Histogram.BIN_LABELS.get(i), h.bins()[i]);
                m.put("bins", bins);
                m.put("scored", h.scored());
                m.put("mean", round(h.mean()));
                keys.put(key, m);
            });
            histograms.put(dimension, keys);
        });
        doc.put("score_histograms", histograms);
        doc.put("coverage", r.coverage().stream().map(c -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("dimension", c.dimension());
            m.put("key", c.key());
            m.put("usable", c.usable());
            m.put("minimum", c.minimum());
            m.put("missing", c.missing());
            return m;
        }).toList());
        Map<String, Object> diversity = new LinkedHashMap<>();
        diversity.put("overall", diversity(r.diversity().overall(), null));
        diversity.put("per_combination", r.diversity().perCombination().stream()
                .map(d -> diversity(d, r.diversity().flags().containsKey(d.scope()) ? r.diversity().flags().get(d.scope()).reason() : null))
                .toList());
        doc.put("diversity", diversity);
        return doc;
    }


    private static void print(PrintWriter out, Calibration c) {
        out.println();
        out.println("Automated verdicts against reviewers (" + c.decisions() + " conversations approved or rejected by a person, "
                + c.defects() + " defects: rejected, or edited before approval)");
        if (c.signals().isEmpty()) out.println("(no automated signal to measure yet)");
        else {
            Table t = new Table("Signal", "Rejects when", "TP", "FP", "FN", "TN", "Precision", "Recall", "Kappa", "n", "Automatic rejection");
            for (Calibration.Signal s : c.signals()) {
                Agreement a = s.agreement();
                t.row(s.name(), HtmlReport.rejectsWhen(s), a.truePositive(), a.falsePositive(), a.falseNegative(), a.trueNegative(),
                        fmt(a.precision()), fmt(a.recall()), fmt(a.kappa()), a.decisions(),
                        (s.qualifies() ? "qualifies: " : "never applied: ") + s.gateReason());
            }
            t.print(out);
        }
        List<Calibration.Signal> qualifying = c.qualifyingSignals();
        out.println(qualifying.isEmpty() ? "No signal qualifies for automatic rejection."
                : "Qualify for automatic rejection: " + String.join(", ", qualifying.stream().map(Calibration.Signal::name).toList()) + ".");
        out.println("Rule: " + Calibration.GATE_RULE + ".");
    }

    private static Map<String, Object> diversity(DiversityMetrics.Diversity d, String flag) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("scope", d.scope());
        m.put("conversations", d.conversations());
        m.put("distinct_1", round(d.distinct1()));
        m.put("distinct_2", round(d.distinct2()));
        m.put("distinct_3", round(d.distinct3()));
        m.put("first_user_similarity", round(d.firstUserSimilarity()));
        m.put("opening_similarity", round(d.openingSimilarity()));
        m.put("too_alike", flag);
        return m;
    }

    private static double round(double v) { return Math.round(v * 1000) / 1000.0; }

    private static void print(PrintWriter out, QualityReport r) {
        out.printf(Locale.ROOT, "%d conversations, %d usable; total cost $%.2f%s%n", r.conversations(), r.usable(), r.totalCostUsd(),
                r.costPerUsableUsd() == null ? "" : String.format(Locale.ROOT, ", $%.4f per usable conversation", r.costPerUsableUsd()));
        out.printf(Locale.ROOT, "prompt cache: %.1f%% of %d prompt tokens read from the cache; $%.4f saved against no caching%n",
                r.cache().hitRate() * 100, r.cache().promptTokens(), r.cache().savedUsd());

        out.println();
        out.println("Flags by kind");
        Table flags = new Table("Flag", "Severity", "Conversations", "Flags");
        r.flagsByCode().values().stream().sorted((a, b) -> Integer.compare(b.conversations(), a.conversations()))
                .forEach(f -> flags.row(f.code(), f.severity().wire(), f.conversations(), f.flags()));
        if (flags.isEmpty()) out.println("(none)");
        else flags.print(out);
        int copies = r.nearDuplicates().values().stream().mapToInt(List::size).sum();
        out.printf(Locale.ROOT, "near-duplicates: %d clusters; %d copies flagged, the best-scoring conversation of each kept%n",
                r.nearDuplicates().size(), copies);

        r.scoreHistograms().forEach((dimension, byKey) -> {
            if (byKey.isEmpty()) return;
            out.println();
            out.println("Overall scores by " + dimension);
            List<String> headers = new ArrayList<>(List.of(capitalised(dimension)));
            headers.addAll(QualityReport.Histogram.BIN_LABELS);
            headers.add("Scored");
            headers.add("Mean");
            Table t = new Table(headers.toArray(String[]::new));
            byKey.forEach((key, h) -> {
                List<Object> row = new ArrayList<>(List.of(key));
                for (int bin : h.bins()) row.add(bin);
                row.add(h.scored());
                row.add(String.format(Locale.ROOT, "%.2f", h.mean()));
                t.row(row.toArray());
            });
            t.print(out);
        });

        out.println();
        out.println("Coverage of usable conversations (minimums from the pack's rules)");
        Table coverage = new Table("Dimension", "Key", "Usable", "Minimum", "Missing");
        r.coverage().forEach(c -> coverage.row(c.dimension(), c.key(), c.usable(), c.minimum(), c.missing()));
        coverage.print(out);
        out.println(r.gaps().isEmpty() ? "every minimum is met" : r.gaps().size() + " minimums not met yet");

        out.println();
        out.println("Diversity (usable conversations)");
        Table diversity = new Table("Scope", "Conversations", "distinct-1", "distinct-2", "distinct-3", "First-user sim", "Opening sim", "Flag");
        List<DiversityMetrics.Diversity> rows = new ArrayList<>();
        rows.add(r.diversity().overall());
        // a terminal holds a dozen rows, not hundreds: the combinations flagged, then the most alike ones
        // that have variations to compare; --json and --html carry every combination
        var flagged = r.diversity().flags();
        List<DiversityMetrics.Diversity> worthShowing = r.diversity().perCombination().stream()
                .filter(d -> flagged.containsKey(d.scope()) || d.conversations() > 1)
                .sorted(java.util.Comparator.<DiversityMetrics.Diversity>comparingInt(d -> flagged.containsKey(d.scope()) ? 0 : 1)
                        .thenComparing(d -> -Math.max(d.firstUserSimilarity(), d.openingSimilarity())))
                .toList();
        int shown = Math.max(SHOWN_COMBINATIONS, (int) worthShowing.stream().filter(d -> flagged.containsKey(d.scope())).count());
        rows.addAll(worthShowing.subList(0, Math.min(shown, worthShowing.size())));
        int hidden = r.diversity().perCombination().size() - (rows.size() - 1);
        for (DiversityMetrics.Diversity d : rows)
            diversity.row(d.scope(), d.conversations(), fmt3(d.distinct1()), fmt3(d.distinct2()), fmt3(d.distinct3()),
                    fmt(d.firstUserSimilarity()), fmt(d.openingSimilarity()), r.diversity().flags().containsKey(d.scope()) ? "too alike" : "");
        diversity.print(out);
        if (hidden > 0)
            out.println(hidden + " more combination(s) not shown" + (worthShowing.size() > rows.size() - 1 ? "" : " (one conversation each: nothing to compare yet)")
                    + "; brun report --json or --html lists every one");
        out.flush();
    }

    private static final int SHOWN_COMBINATIONS = 10;

    private static String fmt(double v) { return String.format(Locale.ROOT, "%.2f", v); }

    /** Distinct-n over a whole corpus is small (most n-grams recur), so it needs a third decimal to say anything. */
    private static String fmt3(double v) { return String.format(Locale.ROOT, "%.3f", v); }

    private static String capitalised(String s) { return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1); }
}
