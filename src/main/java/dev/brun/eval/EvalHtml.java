package dev.brun.eval;

import java.util.List;
import java.util.Locale;

/**
 * The eval report as one self-contained HTML page (no scripts, no external files): totals per model, a heat-map
 * of the per-cell scores, and the weakest cells with the model's worst reply next to the teacher's. Every text
 * that came from a model is escaped.
 */
public final class EvalHtml {
    private EvalHtml() {}

    public static String render(EvalReport report) {
        StringBuilder b = new StringBuilder();
        b.append("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>brun eval ").append(esc(report.runId()))
                .append("</title><style>")
                .append("body{font-family:system-ui,sans-serif;margin:2em;max-width:72em;color:#222}table{border-collapse:collapse;margin:1em 0}")
                .append("td,th{border:1px solid #ccc;padding:.3em .6em;text-align:left;vertical-align:top}th{background:#f4f4f4}")
                .append(".pair{display:grid;grid-template-columns:1fr 1fr;gap:1em}.pair div{border:1px solid #ddd;padding:.6em;white-space:pre-wrap}")
                .append(".flags{color:#a33;font-size:.9em}")
                .append("</style></head><body>");
        EvalManifest m = report.manifest();
        b.append("<h1>Did the adapter learn the voice?</h1><p>Run <code>").append(esc(report.runId())).append("</code>: model <b>")
                .append(esc(m.model())).append("</b> at ").append(esc(m.endpoint()));
        if (m.hasBaseline()) b.append(", baseline <b>").append(esc(m.baselineModel())).append("</b> at ").append(esc(m.baselineEndpoint()));
        b.append("; ").append(esc(m.split())).append(" split of ").append(esc(m.exportDir()));
        b.append(m.judged() ? "; judge " + esc(m.judgeModel()) : "; no judge (checks only)").append(".</p>");
        if (!report.complete()) b.append("<p><b>Incomplete:</b> some replies or verdicts are missing; rerun the same command to finish.</p>");
        b.append("<table><tr><th>model</th><th>replies</th><th>score (0-1)</th><th>checks</th><th>judge (1-5)</th><th>win rate vs teacher</th></tr>");
        for (String role : report.roles()) {
            EvalReport.Totals t = report.totals(role);
            b.append("<tr><td>").append(esc(role)).append("</td><td>").append(t.replies()).append("</td>").append(heat(t.mean()))
                    .append("<td>").append(fmt(t.checksMean())).append("</td><td>").append(t.judgeMean() == null ? "-" : fmt(t.judgeMean()))
                    .append("</td><td>").append(t.winRate() == null ? "-" : pct(t.winRate())).append("</td></tr>");
        }
        b.append("</table>");
        for (CellRanking.Dimension d : CellRanking.Dimension.values()) {
            b.append("<h2>By ").append(d.name().toLowerCase(Locale.ROOT)).append("</h2><table><tr><th>").append(d.name().toLowerCase(Locale.ROOT)).append("</th>");
            for (String role : report.roles()) b.append("<th>").append(esc(role)).append(" score</th><th>").append(esc(role)).append(" win rate</th>");
            b.append("<th>replies</th></tr>");
            for (EvalReport.CellStats c : report.weakest(d)) {
                b.append("<tr><td>").append(esc(c.key())).append("</td>");
                for (String role : report.roles()) {
                    EvalReport.CellStats rc = report.cells().get(role).get(d).stream().filter(x -> x.key().equals(c.key())).findFirst().orElse(null);
                    if (rc == null) b.append("<td>-</td><td>-</td>");
                    else b.append(heat(rc.mean())).append("<td>").append(rc.winRate() == null ? "-" : pct(rc.winRate())).append("</td>");
                }
                b.append("<td>").append(c.replies()).append("</td></tr>");
            }
            b.append("</table>");
        }
        java.util.Map<String, String> baseline = new java.util.HashMap<>();
        for (EvalReport.Result r : report.byRole().getOrDefault(EvalRunner.BASELINE, List.of()))
            baseline.put(r.score().conversationId() + "#" + r.score().turnIndex(), r.score().reply());
        b.append("<h2>Weakest cells, with the adapter's worst reply next to the teacher's</h2>");
        for (CellRanking.Dimension d : CellRanking.Dimension.values()) {
            List<EvalReport.CellStats> weakest = report.weakest(d);
            for (EvalReport.CellStats c : weakest.subList(0, Math.min(3, weakest.size()))) {
                b.append("<h3>").append(d.name().toLowerCase(Locale.ROOT)).append(" ").append(esc(c.key())).append(": ").append(fmt(c.mean()))
                        .append("</h3><p>conversation ").append(esc(c.worst().conversationId())).append(", turn ").append(c.worst().turnIndex());
                if (!c.worst().flagCodes().isEmpty()) b.append(" <span class=\"flags\">").append(esc(String.join(", ", c.worst().flagCodes()))).append("</span>");
                b.append("</p><div class=\"pair\"><div><b>adapter</b>\n").append(esc(c.worst().reply())).append("</div><div><b>teacher</b>\n")
                        .append(esc(c.worst().teacherReply())).append("</div></div>");
                String base = baseline.get(c.worst().conversationId() + "#" + c.worst().turnIndex());
                if (base != null) b.append("<div class=\"pair\"><div><b>baseline</b>\n").append(esc(base)).append("</div></div>");
            }
        }
        b.append("</body></html>\n");
        return b.toString();
    }

    /** A table cell coloured from red (0) to green (1). */
    static String heat(double score) {
        int hue = (int) Math.round(Math.max(0, Math.min(1, score)) * 120);
        return "<td style=\"background:hsl(" + hue + ",70%,80%)\">" + fmt(score) + "</td>";
    }

    static String fmt(double v) { return String.format(Locale.ROOT, "%.2f", v); }

    static String pct(double v) { return String.format(Locale.ROOT, "%.0f%%", v * 100); }

    static String esc(String s) {
        if (s == null) return "";
        StringBuilder b = new StringBuilder(s.length());
        for (char ch : s.toCharArray()) {
            switch (ch) {
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '&' -> b.append("&amp;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> b.append(ch);
            }
        }
        return b.toString();
    }
}
