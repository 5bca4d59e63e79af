package dev.brun.web;

import dev.brun.project.Project;
import dev.brun.review.SignOff;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;

import java.util.HashMap;
import java.util.Map;

/**
 * The Sign-off page: every stratum of the open review plan with its progress (reviewed / sample size), defects,
 * the upper confidence bound on its defect rate and its verdict, and links that walk its sample (or, for a
 * rejected stratum, all of it) on the ordinary review page.
 */
final class SignOffPage {
    private final WebServer server;
    private final Project project;

    SignOffPage(WebServer server, Project project) {
        this.server = server;
        this.project = project;
    }

    void routes(RoutesConfig routes) {
        routes.get("/signoff", this::show);
    }

    /** Showing the page brings the verdicts up to date (they follow from the decisions, as 'brun review signoff' does). */
    private void show(Context ctx) {
        var result = new SignOff(project.db().reviewPlans()).evaluate();
        Map<String, Object> params = new HashMap<>();
        params.put("result", result.orElse(null));
        params.put("advice", result.map(r -> r.strata().stream()
                .filter(s -> s.verdict() == dev.brun.review.SamplingPlan.Verdict.REJECTED)
                .map(s -> SignOff.rejectedAdvice(s, r.plan())).toList()).orElse(java.util.List.of()));
        params.put("calibration", dev.brun.review.Calibration.measure(project.db().reviewHistory()));
        ctx.html(server.page(ctx, "signoff.jte", "Sign-off", "signoff", params));
    }
}
