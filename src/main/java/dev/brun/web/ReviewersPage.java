package dev.brun.web;

import dev.brun.project.Project;
import dev.brun.review.ReviewerAgreement;
import dev.brun.store.ReviewerDecision;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * GET /reviewers: progress per reviewer (decisions, approvals, rejections, edits) and, where two reviewers decided
 * the same conversations, their kappa and the disagreements that need a third decision. Also the reviewer's
 * login link and, without a reviewers file, the form that keeps the reviewer's name.
 */
final class ReviewersPage {
    private final WebServer server;
    private final Project project;
    private final ReviewerSessions sessions;

    ReviewersPage(WebServer server, Project project, ReviewerSessions sessions) {
        this.server = server;
        this.project = project;
        this.sessions = sessions;
    }

    void routes(RoutesConfig routes) {
        routes.get("/reviewers", this::page);
        routes.get("/login/{token}", sessions::login);
        routes.post("/reviewer/name", this::name);
        routes.get("/reviewers/open/{id}", this::open);
    }

    /** A disagreement's link: the conversation on the review page, within the unfiltered list so j/k go on from it. */
    private void open(Context ctx) {
        String id = ctx.pathParam("id");
        long pos = project.db().reviewHistory().reviewPosition(id)
                .orElseThrow(() -> new dev.brun.BadInputException("no conversation with id " + id));
        ctx.redirect("/review?pos=" + pos, HttpStatus.SEE_OTHER);
    }

    /** A pair's kappa as the page shows it, two decimals. */
    static String kappa(ReviewerAgreement.PairAgreement p) {
        return String.format(Locale.ROOT, "%.2f", p.agreement().kappa());
    }

    private void page(Context ctx) {
        List<ReviewerDecision> decisions = project.db().reviewHistory().decisionsByReviewer();
        ctx.html(server.page(ctx, "reviewers.jte", "Reviewers", "reviewers", Map.of(
                "progress", project.db().reviewHistory().progressByReviewer(),
                "agreement", ReviewerAgreement.of(decisions))));
    }

    private void name(Context ctx) {
        sessions.rememberName(ctx, ctx.formParam("name"));
        String back = ctx.header("Referer");
        if (back != null) {
            try {
                java.net.URI uri = java.net.URI.create(back);
                back = uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
            } catch (IllegalArgumentException e) {
                back = null;
            }
        }
        // Only a path on this server: an absolute URL here would make the form an open redirect.
        boolean local = back != null && back.startsWith("/") && !back.startsWith("//") && !back.contains("\\");
        ctx.redirect(local ? back : "/reviewers", HttpStatus.SEE_OTHER);
    }
}
