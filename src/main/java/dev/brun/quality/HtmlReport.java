package dev.brun.quality;

import dev.brun.conversation.Severity;
import dev.brun.review.Agreement;
import dev.brun.review.Calibration;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The quality report as one self-contained HTML page: inline CSS and inline SVG charts, no scripts, no fonts,
 * no images, no links to anything outside the file, so it can be mailed or archived and still open offline.
 */
public final class HtmlReport {
    private static final String[] BIN_COLOURS = {"#c0392b", "#e67e22", "#f1c40f", "#27ae60"};
    private static final int CHART_WIDTH = 760;
    private static final int LABEL_WIDTH = 260;
    private static final int ROW_HEIGHT = 22;

    private HtmlReport() {}

    public static String render(QualityReport r, String title, Instant generatedAt) {
        return render(r, null, title, generatedAt);
    }

    /** The page with the calibration of automated verdicts against reviewers (null: no such section). */
    public static String render(QualityReport r, Calibration calibration, String title, Instant generatedAt) {
        StringBuilder h = new StringBuilder(32_768);
        h.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>").append(esc(title)).append("</title>\n");
        h.append("""
                <style>
                body { font-family: system-ui, sans-serif; margin: 2em auto; max-width: 60em; color: #222; }
                h1 { font-size: 1.6em; } h2 { margin-top: 2em; border-bottom: 1px solid #ddd; }
                .cards { display: flex; gap: 1em; flex-wrap: wrap; }
                .card { border: 1px solid #ddd; border-radius: 6px; padding: .6em 1em; min-width: 9em; }
                .card b { display: block; font-size: 1.5em; }
                table { border-collapse: collapse; margin: 1em 0; } td, th { padding: .2em .7em; border-bottom: 1px solid #eee; text-align: left; }
                td.n { text-align: right; font-variant-numeric: tabular-nums; }
                td:first-child { overflow-wrap: anywhere; min-width: 22em; }
                .flagged { color: #c0392b; font-weight: bold; }
                svg text { font-size: 12px; fill: #222; }
                .legend span { display: inline-block; width: .9em; height: .9em; margin: 0 .3em 0 1em; vertical-align: middle; }
                </style>
                </head>
                <body>
                """);
        h.append("<h1>").append(esc(title)).append("</h1>\n<p>Generated ").append(esc(generatedAt.toString())).append(" by brun.</p>\n");
        cards(h, r);
        flags(h, r);
        histograms(h, r);
        coverage(h, r);
        nearDuplicates(h, r);
        diversity(h, r);
        if (calibration != null) calibration(h, calibration);
        h.append("</body>\n</html>\n");
        return h.toString();
    }

    private static void cards(StringBuilder h, QualityReport r) {
        h.append("<div class=\"cards\">\n");
        card(h, "conversations", Integer.toString(r.conversations()));
        card(h, "usable", r.usable() + (r.conversations() == 0 ? "" : String.format(Locale.ROOT, " (%.1f%%)", 100.0 * r.usable() / r.conversations())));
        card(h, "total cost", String.format(Locale.ROOT, "$%.2f", r.totalCostUsd()));
        card(h, "cost per usable", r.costPerUsableUsd() == null ? "-" : String.format(Locale.ROOT, "$%.4f", r.costPerUsableUsd()));
        card(h, "coverage gaps", Integer.toString(r.gaps().size()));
        card(h, "cache hit rate", String.format(Locale.ROOT, "%.1f%%", r.cache().hitRate() * 100));
        card(h, "saved by caching", String.format(Locale.ROOT, "$%.2f", r.cache().savedUsd()));
        h.append("</div>\n");
    }

    private static void card(StringBuilder h, String label, String value) {
        h.append("<div class=\"card\"><b>").append(esc(value)).append("</b>").append(esc(label)).append("</div>\n");
    }

    private static void flags(StringBuilder h, QualityReport r) {
        h.append("<h2>Flags by kind</h2>\n");
        if (r.flagsByCode().isEmpty()) {
            h.append("<p>No flags.</p>\n");
            return;
        }
        List<QualityReport.FlagCount> rows = r.flagsByCode().values().stream()
                .sorted((a, b) -> Integer.compare(b.conversations(), a.conversations())).toList();
        int max = rows.stream().mapToInt(QualityReport.FlagCount::conversations).max().orElse(1);
        List<Bar> bars = new ArrayList<>();
        for (QualityReport.FlagCount f : rows)
            bars.add(new Bar(f.code() + " (" + f.severity().wire() + ")", List.of(new Segment(f.conversations(), colour(f.severity()))),
                    f.conversations() + " conversations, " + f.flags() + " flags", null));
        h.append(barChart("Conversations carrying each flag", bars, max));
    }

    private static String colour(Severity s) {
        return switch (s) {
            case ERROR -> "#c0392b";
            case WARNING -> "#e67e22";
            case INFO -> "#7f8c8d";
        };
    }

    private static void histograms(StringBuilder h, QualityReport r) {
        h.append("<h2>Overall scores</h2>\n<p class=\"legend\">");
        for (int i = 0; i < BIN_COLOURS.length; i++)
            h.append("<span style=\"background:").append(BIN_COLOURS[i]).append("\"></span>").append(QualityReport.Histogram.BIN_LABELS.get(i));
        h.append("</p>\n");
        for (Map.Entry<String, Map<String, QualityReport.Histogram>> dim : r.scoreHistograms().entrySet()) {
            if (dim.getValue().isEmpty()) continue;
            List<Bar> bars = new ArrayList<>();
            int max = 1;
            for (Map.Entry<String, QualityReport.Histogram> e : dim.getValue().entrySet()) {
                QualityReport.Histogram hist = e.getValue();
                List<Segment> segments = new ArrayList<>();
                for (int i = 0; i < hist.bins().length; i++) segments.add(new Segment(hist.bins()[i], BIN_COLOURS[i]));
                bars.add(new Bar(e.getKey(), segments, String.format(Locale.ROOT, "mean %.2f of %d", hist.mean(), hist.scored()), null));
                max = Math.max(max, hist.scored());
            }
            h.append(barChart("By " + dim.getKey(), bars, max));
        }
    }

    private static void coverage(StringBuilder h, QualityReport r) {
        h.append("<h2>Coverage of usable conversations against the pack's minimums</h2>\n");
        for (String dimension : List.of("persona", "arc", "topic")) {
            List<QualityReport.Coverage> rows = r.coverage().stream().filter(c -> c.dimension().equals(dimension)).toList();
            if (rows.isEmpty()) continue;
            int max = rows.stream().mapToInt(c -> Math.max(c.usable(), c.minimum())).max().orElse(1);
            List<Bar> bars = rows.stream().map(c -> new Bar(c.key(), List.of(new Segment(c.usable(), c.met() ? "#27ae60" : "#e67e22")),
                    c.usable() + " / " + c.minimum() + (c.met() ? "" : " (" + c.missing() + " missing)"), c.minimum())).toList();
            h.append(barChart("By " + dimension + " (the line marks the minimum)", bars, max));
        }
    }

    /** Clusters listed in full up to this many; a page with thousands of rows helps nobody (the JSON has them all). */
    private static final int MAX_CLUSTER_ROWS = 200;

    private static void nearDuplicates(StringBuilder h, QualityReport r) {
        h.append("<h2>Near-duplicates</h2>\n");
        if (r.nearDuplicates().isEmpty()) {
            h.append("<p>No near-duplicate clusters.</p>\n");
            return;
        }
        h.append("<p>").append(r.nearDuplicates().size()).append(" clusters: the best-scoring conversation of each is kept, the others are"
                + " flagged near_duplicate and left out of exports.</p>\n<table>\n<tr><th>Kept</th><th>Copies</th></tr>\n");
        r.nearDuplicates().entrySet().stream().limit(MAX_CLUSTER_ROWS).forEach(e -> h.append("<tr><td>").append(esc(e.getKey()))
                .append("</td><td>").append(esc(String.join(", ", e.getValue()))).append("</td></tr>\n"));
        h.append("</table>\n");
        if (r.nearDuplicates().size() > MAX_CLUSTER_ROWS)
            h.append("<p>").append(r.nearDuplicates().size() - MAX_CLUSTER_ROWS).append(" more in brun report --json.</p>\n");
    }

    private static void diversity(StringBuilder h, QualityReport r) {
        h.append("<h2>Diversity</h2>\n<p>distinct-n: share of the assistant's n-grams that are unique; similarity: mean pairwise Jaccard"
                + " of first user messages and of the consultant's openings (lower is more varied).</p>\n");
        h.append("<table>\n<tr><th>Scope</th><th>Conversations</th><th>distinct-1</th><th>distinct-2</th><th>distinct-3</th>"
                + "<th>first-user similarity</th><th>opening similarity</th><th></th></tr>\n");
        List<DiversityMetrics.Diversity> rows = new ArrayList<>();
        rows.add(r.diversity().overall());
        rows.addAll(r.diversity().perCombination());
        for (DiversityMetrics.Diversity d : rows) {
            boolean flagged = r.diversity().flags().containsKey(d.scope());
            h.append("<tr><td>").append(esc(d.scope())).append("</td><td class=\"n\">").append(d.conversations()).append("</td>");
            for (double v : new double[] {d.distinct1(), d.distinct2(), d.distinct3(), d.firstUserSimilarity(), d.openingSimilarity()})
                h.append("<td class=\"n\">").append(String.format(Locale.ROOT, "%.2f", v)).append("</td>");
            h.append("<td").append(flagged ? " class=\"flagged\" title=\"" + esc(r.diversity().flags().get(d.scope()).reason()) + "\">too alike"
                    : ">").append("</td></tr>\n");
        }
        h.append("</table>\n");
    }

    private record Segment(int value, String colour) {}

    /** One row of a horizontal bar chart: stacked segments, a note after the bar, an optional marker line. */
    private record Bar(String label, List<Segment> segments, String note, Integer marker) {}

    private static void calibration(StringBuilder h, Calibration c) {
        h.append("<h2>Automated verdicts against reviewers</h2>\n");
        h.append("<p>Measured on ").append(c.decisions()).append(" conversations a person approved or rejected (")
                .append(c.defects()).append(" defects: rejected, or edited before approval). The rule: ")
                .append(esc(Calibration.GATE_RULE)).append(".</p>\n");
        if (c.signals().isEmpty()) {
            h.append("<p>No automated signal to measure yet.</p>\n");
            return;
        }
        h.append("<table><tr><th>Signal</th><th>Rejects when</th><th>TP</th><th>FP</th><th>FN</th><th>TN</th>"
                + "<th>Precision</th><th>Recall</th><th>&kappa;</th><th>n</th><th>Automatic rejection</th></tr>\n");
        for (Calibration.Signal s : c.signals()) {
            Agreement a = s.agreement();
            h.append("<tr><td>").append(esc(s.name())).append("</td><td>").append(esc(rejectsWhen(s))).append("</td>");
            for (int n : new int[]{a.truePositive(), a.falsePositive(), a.falseNegative(), a.trueNegative()})
                h.append("<td class=\"n\">").append(n).append("</td>");
            h.append(String.format(Locale.ROOT, "<td class=\"n\">%.2f</td><td class=\"n\">%.2f</td><td class=\"n\">%.2f</td><td class=\"n\">%d</td>",
                    a.precision(), a.recall(), a.kappa(), a.decisions()));
            h.append("<td").append(s.qualifies() ? " class=\"flagged\">qualifies" : ">never applied").append(" (")
                    .append(esc(s.gateReason())).append(")</td></tr>\n");
        }
        h.append("</table>\n");
        List<Calibration.Signal> qualifying = c.qualifyingSignals();
        h.append("<p>").append(qualifying.isEmpty() ? "No signal qualifies for automatic rejection."
                : "Qualify for automatic rejection: " + esc(String.join(", ", qualifying.stream().map(Calibration.Signal::name).toList()))
                  + ". Every other signal is never applied.").append("</p>\n");
    }

    /** The condition under which a signal says "reject", as a reader would write it. */
    public static String rejectsWhen(Calibration.Signal s) {
        if (s.kind() == Calibration.Kind.CHECK) return "the flag is set";
        // The cut sits just above an observed score (reject when score < cut), so "at or below that score" is exact.
        return s.threshold() == null ? "-" : String.format(Locale.ROOT, "overall <= %.2f", Math.nextDown(s.threshold()));
    }

    private static String barChart(String caption, List<Bar> bars, int max) {
        // the note after the longest bar must fit: about 7 px a character at this font size
        int noteWidth = Math.max(170, bars.stream().mapToInt(b -> b.note() == null ? 0 : b.note().length()).max().orElse(0) * 7 + 12);
        int plot = Math.max(100, CHART_WIDTH - LABEL_WIDTH - noteWidth);
        int height = bars.size() * ROW_HEIGHT + 10;
        double scale = max <= 0 ? 0 : (double) plot / max;
        StringBuilder s = new StringBuilder();
        s.append("<figure>\n<figcaption>").append(esc(caption)).append("</figcaption>\n");
        s.append("<svg role=\"img\" width=\"").append(CHART_WIDTH).append("\" height=\"").append(height)
                .append("\" viewBox=\"0 0 ").append(CHART_WIDTH).append(' ').append(height).append("\">\n");
        int y = 5;
        for (Bar b : bars) {
            s.append("<text x=\"").append(LABEL_WIDTH - 6).append("\" y=\"").append(y + 14).append("\" text-anchor=\"end\">")
                    .append(esc(shorten(b.label(), 40))).append("<title>").append(esc(b.label())).append("</title></text>\n");
            double x = LABEL_WIDTH;
            for (Segment seg : b.segments()) {
                if (seg.value() <= 0) continue;
                double w = seg.value() * scale;
                s.append(String.format(Locale.ROOT, "<rect x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"%d\" fill=\"%s\"><title>%d</title></rect>%n",
                        x, y + 3, w, ROW_HEIGHT - 6, seg.colour(), seg.value()));
                x += w;
            }
            if (b.marker() != null && b.marker() > 0) {
                double mx = LABEL_WIDTH + b.marker() * scale;
                s.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"%d\" y2=\"%d\" stroke=\"#222\" stroke-width=\"2\"/>%n",
                        mx, mx, y, y + ROW_HEIGHT));
            }
            s.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\">%s</text>%n",
                    Math.max(x, b.marker() == null ? x : LABEL_WIDTH + b.marker() * scale) + 6, y + 14, esc(b.note())));
            y += ROW_HEIGHT;
        }
        s.append("</svg>\n</figure>\n");
        return s.toString();
    }

    private static String shorten(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max - 1) + "…";
    }

    static String esc(String s) {
        if (s == null) return "";
        StringBuilder b = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            switch (c) {
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '&' -> b.append("&amp;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> b.append(c);
            }
        }
        return b.toString();
    }
}
