package dev.brun.web;

import dev.brun.BadInputException;
import dev.brun.pack.Pack;
import dev.brun.pack.Phase;
import dev.brun.plan.Combination;
import dev.brun.plan.CostEstimator;
import dev.brun.plan.CoverageMatrix;
import dev.brun.plan.PlanFilter;
import dev.brun.plan.PlannedUnit;
import dev.brun.project.Project;
import dev.brun.prompt.PromptBuilder;
import dev.brun.store.UnitState;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The Generate page: choose a slice of the matrix (all, persona/arc/topic, or the gaps), variations per
 * combination, phase, model and temperature; see the estimate; start, watch and cancel the run.
 */
final class GeneratePage {
    static final int MAX_PER_COMBINATION = 50;

    private final WebServer server;
    private final Project project;
    private final GenerationJobs jobs;

    GeneratePage(WebServer server, Project project, GenerationJobs jobs) {
        this.server = server;
        this.project = project;
        this.jobs = jobs;
    }

    void routes(RoutesConfig routes) {
        routes.get("/generate", this::form);
        routes.post("/generate/estimate", this::estimate);
        routes.post("/generate/start", this::start);
        routes.get("/jobs/{id}", this::job);
        routes.post("/jobs/{id}/cancel", this::cancel);
    }

    private void form(Context ctx) {
        Map<String, String> models = new HashMap<>();
        Map<String, String> temperatures = new HashMap<>();
        for (Phase p : Phase.values()) {
            models.put(p.wire(), project.model(p));
            temperatures.put(p.wire(), format(project.temperature(p)));
        }
        ctx.html(server.page(ctx, "generate.jte", "Generate", "generate", Map.of(
                "pack", project.pack(), "phases", Arrays.stream(Phase.values()).map(Phase::wire).toList(),
                "models", models, "temperatures", temperatures,
                "provider", project.config().provider().wire(),
                "running", project.db().jobs().running())));
    }

    private void estimate(Context ctx) {
        GenerationOrder order = order(ctx);
        Map<String, Object> params = new HashMap<>();
        params.put("order", order);
        params.put("budget", Double.isInfinite(project.budgetCap()) ? "none" : DashboardPage.dollars(project.budgetCap()));
        if (order.units().isEmpty()) {
            params.put("estimate", null);
        } else {
            Pack pack = project.pack();
            CostEstimator estimator = dev.brun.run.GenerationRuns.estimator(project, phase -> new PromptBuilder(pack));
            params.put("estimate", estimator.estimate(order.units(), Map.of(order.phase(), order.model())));
        }
        ctx.html(server.fragment("estimate.jte", params));
    }

    private void start(Context ctx) {
        GenerationOrder order = order(ctx);
        if (order.units().isEmpty())
            throw new BadInputException("nothing to generate: every unit of this selection is already done");
        String jobId = jobs.start(order);
        ctx.html(server.fragment("job.jte", Map.of("job", project.db().jobs().find(jobId).orElseThrow())));
    }

    private void job(Context ctx) {
        var job = project.db().jobs().find(ctx.pathParam("id"))
                .orElseThrow(() -> new BadInputException("no job " + ctx.pathParam("id")));
        // a finished job shows why units failed (count and one redacted detail per reason), not only how many
        ctx.html(server.fragment("job.jte", Map.of("job", job,
                "failures", "running".equals(job.state()) ? List.of() : project.db().units().failuresByReason())));
    }

    private void cancel(Context ctx) {
        String id = ctx.pathParam("id");
        jobs.cancel(id);
        var job = project.db().jobs().find(id).orElseThrow(() -> new BadInputException("no job " + id));
        ctx.html(server.fragment("job.jte", Map.of("job", job)));
    }

    /** Plans the order from the form: the chosen combinations × variations 0..n-1, minus units already done. */
    GenerationOrder order(Context ctx) {
        Pack pack = project.pack();
        Phase phase = Phase.fromWire(field(ctx, "phase", "seed"));
        String model = field(ctx, "model", project.model(phase));
        double temperature = number(ctx, "temperature", project.temperature(phase));
        if (temperature < 0 || temperature > 2) throw new BadInputException("temperature must be between 0 and 2, got " + temperature);
        int perCombination = (int) number(ctx, "quantity", 1);
        if (perCombination < 1 || perCombination > MAX_PER_COMBINATION)
            throw new BadInputException("quantity per combination must be 1 to " + MAX_PER_COMBINATION + ", got " + perCombination);
        String scope = field(ctx, "scope", "all");
        PlanFilter filter = switch (scope) {
            case "all", "gaps" -> PlanFilter.ALL;
            case "slice" -> new PlanFilter(blankToNull(ctx.formParam("persona")), blankToNull(ctx.formParam("arc")),
                    blankToNull(ctx.formParam("topic")));
            default -> throw new BadInputException("scope must be all, slice or gaps, got '" + scope + "'");
        };
        filter.checkAgainst(pack);
        CoverageMatrix matrix = new CoverageMatrix(pack);
        List<Combination> combinations = matrix.combinations(filter);
        if (scope.equals("gaps")) {
            Map<String, Long> usable = new DashboardQueries(project.db()).usableByCombination();
            combinations = combinations.stream().filter(c -> usable.getOrDefault(c.key(), 0L) < perCombination).toList();
        }
        List<PlannedUnit> units = matrix.units(phase, combinations, 0, perCombination).stream()
                .filter(u -> project.db().units().find(u.key()).map(r -> r.state() != UnitState.DONE).orElse(true))
                .toList();
        String description = switch (scope) {
            case "gaps" -> "gaps: " + combinations.size() + " combinations below " + perCombination + " usable";
            case "slice" -> "slice " + describe(filter);
            default -> "whole matrix";
        } + ", " + perCombination + " per combination, " + phase.wire() + ", " + model + " at " + format(temperature);
        boolean batch = "on".equals(ctx.formParam("batch")) || "true".equals(ctx.formParam("batch"));
        return new GenerationOrder(phase, model, temperature, units, batch ? description + ", Message Batches" : description, batch);
    }

    private static String describe(PlanFilter f) {
        StringBuilder s = new StringBuilder();
        if (f.persona() != null) s.append("persona=").append(f.persona()).append(' ');
        if (f.arc() != null) s.append("arc=").append(f.arc()).append(' ');
        if (f.topic() != null) s.append("topic=").append(f.topic()).append(' ');
        return s.isEmpty() ? "(everything)" : s.toString().strip();
    }

    private static String field(Context ctx, String name, String fallback) {
        String v = blankToNull(ctx.formParam(name));
        return v == null ? fallback : v;
    }

    private static double number(Context ctx, String name, double fallback) {
        String v = blankToNull(ctx.formParam(name));
        if (v == null) return fallback;
        try {
            return Double.parseDouble(v);
        } catch (NumberFormatException e) {
            throw new BadInputException("'" + name + "' must be a number, got '" + v + "'");
        }
    }

    private static String blankToNull(String v) { return v == null || v.isBlank() ? null : v.strip(); }

    static String format(double d) { return String.format(Locale.ROOT, "%.2f", d); }
}
