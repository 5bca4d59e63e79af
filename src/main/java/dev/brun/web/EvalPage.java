package dev.brun.web;

import dev.brun.eval.CellRanking;
import dev.brun.eval.EvalManifest;
import dev.brun.eval.EvalReport;
import dev.brun.eval.EvalRunner;
import dev.brun.eval.EvalSetup;
import dev.brun.project.Project;
import dev.brun.store.EvalDao;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.NotFoundResponse;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

/**
 * The Eval page: the project's eval runs; for one run, a heat-map of the adapter's score per topic and arc stage,
 * the weakest cells per dimension, and the weakest replies side by side with the teacher's (and the baseline's).
 * Read-only: runs are started with {@code brun eval}.
 */
final class EvalPage {
    private static final int SIDE_BY_SIDE = 20;

    private final WebServer server;
    private final Project project;

    EvalPage(WebServer server, Project project) {
        this.server = server;
        this.project = project;
    }

    void routes(RoutesConfig routes) {
        routes.get("/eval", this::list);
        routes.get("/eval/{run}", this::run);
    }

    record RunRow(String id, String created, String finished, String model, String baseline, String judge, int replies, int verdicts) {}

    record HeatCell(String text, String css, String title) {}

    record HeatRow(String key, List<HeatCell> cells) {}

    record CellRow(String dimension, String key, String score, String css, String winRate, int replies, String baseline) {}

    record Totals(String role, String model, int replies, String score, String checks, String judge, String winRate) {}

    record SideBySide(String conversationId, int turn, String persona, String topic, String stage, String score, String flags,
                      String reply, String teacher, String baseline) {}

    private void list(Context ctx) {
        EvalDao dao = new EvalDao(project.db());
        List<RunRow> rows = new ArrayList<>();
        for (EvalDao.Run r : dao.runs()) {
            EvalManifest m = EvalManifest.fromJson(r.manifest());
            rows.add(new RunRow(r.id(), Instant.ofEpochMilli(r.createdAt()).toString(),
                    r.finishedAt() == null ? "not finished" : Instant.ofEpochMilli(r.finishedAt()).toString(), m.model(),
                    m.hasBaseline() ? m.baselineModel() : "-", m.judged() ? m.judgeModel() : "-", dao.replyCount(r.id()), dao.judgementCount(r.id())));
        }
        ctx.html(server.page(ctx, "eval.jte", "Eval", "eval", Map.of("runs", rows)));
    }

    private void run(Context ctx) {
        String id = ctx.pathParam("run");
        EvalDao dao = new EvalDao(project.db());
        if (dao.run(id).isEmpty()) throw new NotFoundResponse("no eval run " + id);
        EvalReport report = EvalSetup.report(project.db(), project.pack(), dao, id);
        List<EvalReport.Result> adapter = report.byRole().get(EvalRunner.ADAPTER);

        TreeSet<String> stages = new TreeSet<>();
        Map<String, Map<String, List<Double>>> byTopicStage = new HashMap<>();
        for (EvalReport.Result r : adapter) {
            stages.add(r.score().stage());
            byTopicStage.computeIfAbsent(r.score().topic(), k -> new HashMap<>()).computeIfAbsent(r.score().stage(), k -> new ArrayList<>()).add(r.score().score());
        }
        List<String> columns = new ArrayList<>(stages);
        List<HeatRow> heat = new ArrayList<>();
        for (EvalReport.CellStats topic : report.weakest(CellRanking.Dimension.TOPIC)) {
            List<HeatCell> cells = new ArrayList<>();
            for (String stage : columns) {
                List<Double> v = byTopicStage.getOrDefault(topic.key(), Map.of()).get(stage);
                if (v == null) cells.add(new HeatCell("", "heat-0", "no reply"));
                else {
                    double mean = v.stream().mapToDouble(Double::doubleValue).average().orElse(0);
                    cells.add(new HeatCell(fmt(mean), css(mean), v.size() + " repl" + (v.size() == 1 ? "y" : "ies")));
                }
            }
            heat.add(new HeatRow(topic.key(), cells));
        }

        List<CellRow> weakest = new ArrayList<>();
        for (CellRanking.Dimension d : CellRanking.Dimension.values())
            for (EvalReport.CellStats c : report.weakest(d).subList(0, Math.min(5, report.weakest(d).size()))) {
                var base = report.cellMean(EvalRunner.BASELINE, d, c.key());
                weakest.add(new CellRow(d.name().toLowerCase(Locale.ROOT), c.key(), fmt(c.mean()), css(c.mean()),
                        c.winRate() == null ? "-" : pct(c.winRate()), c.replies(), base.isPresent() ? fmt(base.getAsDouble()) : "-"));
            }

        List<Totals> totals = new ArrayList<>();
        for (String role : report.roles()) {
            EvalReport.Totals t = report.totals(role);
            totals.add(new Totals(role, role.equals(EvalRunner.ADAPTER) ? report.manifest().model() : report.manifest().baselineModel(), t.replies(),
                    fmt(t.mean()), fmt(t.checksMean()), t.judgeMean() == null ? "-" : fmt(t.judgeMean()), t.winRate() == null ? "-" : pct(t.winRate())));
        }

        Map<String, String> baselineReplies = new HashMap<>();
        for (EvalReport.Result r : report.byRole().getOrDefault(EvalRunner.BASELINE, List.of()))
            baselineReplies.put(r.score().conversationId() + "#" + r.score().turnIndex(), r.score().reply());
        List<SideBySide> pairs = adapter.stream().sorted(Comparator.comparingDouble((EvalReport.Result r) -> r.score().score())
                        .thenComparing(r -> r.score().conversationId()).thenComparingInt(r -> r.score().turnIndex()))
                .limit(SIDE_BY_SIDE)
                .map(r -> new SideBySide(r.score().conversationId(), r.score().turnIndex(), r.score().persona(), r.score().topic(), r.score().stage(),
                        fmt(r.score().score()), String.join(", ", r.score().flagCodes()), r.score().reply(), r.score().teacherReply(),
                        baselineReplies.get(r.score().conversationId() + "#" + r.score().turnIndex())))
                .toList();

        ctx.html(server.page(ctx, "eval-run.jte", "Eval " + id, "eval", Map.of(
                "runId", id, "manifest", report.manifest(), "complete", report.complete(), "totals", totals,
                "columns", columns, "heat", heat, "weakest", weakest, "pairs", pairs)));
    }

    static String css(double score) {
        if (score < 0.5) return "heat-1";
        if (score < 0.75) return "heat-2";
        if (score < 0.9) return "heat-3";
        return "heat-4";
    }

    private static String fmt(double v) { return String.format(Locale.ROOT, "%.2f", v); }

    private static String pct(double v) { return String.format(Locale.ROOT, "%.0f%%", v * 100); }
}
