package dev.brun.web;

import dev.brun.project.Project;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** GET / (dashboard) and GET /dashboard/cell (the topics of one heat-map cell, an htmx fragment). */
final class DashboardPage {
    private final WebServer server;
    private final Project project;
    private final DashboardQueries queries;

    DashboardPage(WebServer server, Project project) {
        this.server = server;
        this.project = project;
        this.queries = new DashboardQueries(project.db());
    }

    void routes(RoutesConfig routes) {
        routes.get("/", this::dashboard);
        routes.get("/dashboard/cell", this::cell);
        routes.get("/dashboard/jobs", this::jobs);
    }

    private void dashboard(Context ctx) {
        var db = project.db();
        Coverage coverage = Coverage.of(project.pack(), queries.byPersonaAndArc(true), queries.byPersonaAndArc(false),
                queries.usableByTopic());
        List<Chart> histograms = new ArrayList<>();
        for (String column : DashboardQueries.SCORE_COLUMNS.keySet()) {
            List<Chart.Point> points = new ArrayList<>();
            queries.histogram(column).forEach((bucket, n) ->
                    points.add(new Chart.Point(bucket % 1 == 0 ? Integer.toString(bucket.intValue()) : "", n, n == 0 ? "" : Long.toString(n))));
            histograms.add(Chart.columns(column, points, 150));
        }
        List<Chart.Point> flags = new ArrayList<>();
        db.quality().flagCountsByCode().forEach((code, n) -> flags.add(new Chart.Point(code, n, Long.toString(n))));
        List<Chart.Point> byPhase = new ArrayList<>();
        db.ledger().spendByPhase().forEach((phase, usd) -> byPhase.add(new Chart.Point(phase, usd, dollars(usd))));
        List<Chart.Point> byDay = new ArrayList<>();
        Map<LocalDate, Double> days = db.ledger().spendByDay();
        days.forEach((day, usd) -> byDay.add(new Chart.Point(day.toString().substring(5), usd, dollars(usd))));
        if (byDay.size() > 30) byDay.subList(0, byDay.size() - 30).clear();
        Map<String, Long> status = queries.byStatus();
        long total = status.values().stream().mapToLong(Long::longValue).sum();
        ctx.html(server.page(ctx, "dashboard.jte", "Dashboard", "dashboard", Map.ofEntries(
                Map.entry("failures", db.units().failuresByReason()),
                Map.entry("coverage", coverage),
                Map.entry("histograms", histograms),
                Map.entry("flags", Chart.rows("Flags by kind", flags)),
                Map.entry("spendByPhase", Chart.rows("Spend by phase", byPhase)),
                Map.entry("spendByDay", Chart.columns("Spend by day (UTC)", byDay, 190)),
                Map.entry("totalSpend", dollars(db.ledger().totalSpend())),
                Map.entry("status", status),
                Map.entry("total", total),
                Map.entry("usable", db.quality().usableCount()),
                Map.entry("jobs", db.jobs().recent(5)))));
    }

    private void cell(Context ctx) {
        String persona = ctx.queryParam("persona"), arc = ctx.queryParam("arc");
        Map<String, long[]> counts = queries.topicsOf(persona, arc);
        List<TopicCount> topics = project.pack().topics().stream()
                .filter(t -> !project.pack().rules().excluded(persona, arc, t.key()))
                .map(t -> {
                    long[] c = counts.getOrDefault(t.key(), new long[2]);
                    return new TopicCount(t.key(), t.name(), c[0], c[1]);
                }).toList();
        ctx.html(server.fragment("cell.jte", Map.of("persona", persona == null ? "" : persona,
                "arc", arc == null ? "" : arc, "topics", topics)));
    }

    private void jobs(Context ctx) {
        ctx.html(server.fragment("jobs.jte", Map.of("jobs", project.db().jobs().recent(5))));
    }

    /** One topic of a heat-map cell. */
    record TopicCount(String key, String name, long usable, long total) {}

    static String dollars(double usd) {
        return String.format(Locale.ROOT, usd > 0 && usd < 1 ? "$%.3f" : "$%.2f", usd);
    }
}
