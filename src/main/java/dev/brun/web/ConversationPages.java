package dev.brun.web;

import dev.brun.BadInputException;
import dev.brun.conversation.QualityFlag;
import dev.brun.conversation.ReviewStatus;
import dev.brun.project.Project;
import dev.brun.store.ConversationRow;
import dev.brun.store.Page;
import dev.brun.store.StoredConversation;
import dev.brun.store.TurnEdit;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The conversation list (filtered, paged through the DAO) and the review page. A review page is addressed by
 * its position in the filtered list (pos), so j/k walk the same list the reviewer filtered.
 */
final class ConversationPages {
    static final int PAGE_SIZE = 50;

    private final WebServer server;
    private final Project project;

    ConversationPages(WebServer server, Project project) {
        this.server = server;
        this.project = project;
    }

    void routes(RoutesConfig routes) {
        routes.get("/conversations", this::list);
        routes.post("/conversations/approve", this::bulkApprove);
        routes.get("/review", this::review);
        routes.get("/review/step", this::step);
        routes.post("/review/{id}/status", this::status);
        routes.post("/review/{id}/seed", this::seed);
        routes.post("/review/{id}/note", this::note);
        routes.post("/review/{id}/turns/{index}", this::editTurn);
    }

    private void list(Context ctx) {
        ListQuery query = ListQuery.from(ctx);
        int page = Math.max(0, intParam(ctx, "page", 0));
        Page<ConversationRow> rows = project.db().conversations().list(query.filter(), page, PAGE_SIZE);
        ctx.html(server.page(ctx, "conversations.jte", "Conversations", "conversations", Map.of(
                "query", query, "rows", rows, "pack", project.pack(),
                "flagCodes", new ArrayList<>(project.db().quality().flagCountsByCode().keySet()),
                "bulkDone", ctx.queryParam("approved") == null ? "" : ctx.queryParam("approved"))));
    }

    /** Approves every conversation the filter matches; ids are collected first because approving may change the filter's result. */
    private void bulkApprove(Context ctx) {
        ListQuery query = ListQuery.from(ctx);
        List<String> ids = new ArrayList<>();
        for (int page = 0; ; page++) {
            Page<ConversationRow> rows = project.db().conversations().list(query.filter(), page, 1000);
            rows.items().forEach(r -> ids.add(r.id()));
            if (rows.items().size() < 1000) break;
        }
        for (String id : ids) project.db().reviews().setStatus(id, ReviewStatus.APPROVED, server.actor(ctx));
        ctx.redirect("/conversations?" + query.prefix() + "approved=" + ids.size(), HttpStatus.SEE_OTHER);
    }

    private void review(Context ctx) {
        ListQuery query = ListQuery.from(ctx);
        int pos = Math.max(0, intParam(ctx, "pos", 0));
        Position at = at(query, pos);
        if (at.id() == null) {
            ctx.html(server.page(ctx, "empty-review.jte", "Review", "conversations", Map.of("query", query, "total", at.total())));
            return;
        }
        String id = at.id();
        StoredConversation c = project.db().conversations().find(id)
                .orElseThrow(() -> new BadInputException("conversation " + id + " disappeared while loading"));
        Map<Integer, List<QualityFlag>> flagsByTurn = new TreeMap<>();
        List<QualityFlag> wholeFlags = new ArrayList<>();
        for (QualityFlag f : c.flags()) {
            if (f.turnIndex() == null) wholeFlags.add(f);
            else flagsByTurn.computeIfAbsent(f.turnIndex(), k -> new ArrayList<>()).add(f);
        }
        Map<Integer, List<TurnEdit>> editsByTurn = new LinkedHashMap<>();
        for (TurnEdit e : project.db().reviews().edits(id))
            editsByTurn.computeIfAbsent(e.turnIndex(), k -> new ArrayList<>()).add(e);
        ctx.html(server.page(ctx, "review.jte", "Review", "conversations", Map.of(
                "query", query, "pos", pos, "total", at.total(), "c", c,
                "flagsByTurn", flagsByTurn, "wholeFlags", wholeFlags, "editsByTurn", editsByTurn,
                "actions", project.db().reviews().actions(id))));
    }

    /** j/k: the next or previous position; if the current conversation left the filter (e.g. approved while
     *  listing pending ones), the one now at its position is the next. */
    private void step(Context ctx) {
        ListQuery query = ListQuery.from(ctx);
        int pos = Math.max(0, intParam(ctx, "pos", 0));
        int dir = intParam(ctx, "dir", 1) >= 0 ? 1 : -1;
        String id = ctx.queryParam("id");
        Position at = at(query, pos);
        boolean stillThere = at.id() != null && at.id().equals(id);
        int target = stillThere || dir < 0 ? pos + dir : pos;
        // The end of a sample walk leads to the Sign-off page, where the stratum's verdict is.
        if (query.sample() != null && dir > 0 && target >= at.total()) {
            ctx.redirect("/signoff", HttpStatus.SEE_OTHER);
            return;
        }
        target = (int) Math.max(0, Math.min(target, Math.max(0, at.total() - 1)));
        ctx.redirect("/review?" + query.prefix() + "pos=" + target, HttpStatus.SEE_OTHER);
    }

    /** The conversation at a position of the walk (null past its end) and the walk's length. */
    private record Position(String id, long total) {}

    /** A sample walk (sample=STRATUM) follows the stratum's stored random order; otherwise the filtered list. */
    private Position at(ListQuery query, int pos) {
        if (query.sample() != null) {
            var p = project.db().reviewPlans().memberAt(query.sample(), !query.whole(), pos);
            return new Position(p.conversationId().orElse(null), p.total());
        }
        Page<ConversationRow> page = project.db().conversations().list(query.filter(), pos, 1);
        return new Position(page.items().isEmpty() ? null : page.items().getFirst().id(), page.total());
    }

    private void status(Context ctx) {
        String id = ctx.pathParam("id");
        String value = required(ctx, "status");
        ReviewStatus status = switch (value) {
            case "approved" -> ReviewStatus.APPROVED;
            case "rejected" -> ReviewStatus.REJECTED;
            case "pending" -> ReviewStatus.PENDING;
            default -> throw new BadInputException("status must be approved, rejected or pending, got '" + value + "'");
        };
        String reason = ctx.formParam("reason");
        if (status == ReviewStatus.REJECTED && (reason == null || reason.isBlank()))
            throw new BadInputException("a rejection needs a reason");
        project.db().reviews().setStatus(id, status, server.actor(ctx));
        if (status == ReviewStatus.REJECTED) {
            // The reason goes into the notes (kept with earlier notes) and the action log.
            String earlier = project.db().conversations().find(id).map(s -> s.review().notes()).orElse(null);
            String line = "Rejected: " + reason.strip();
            project.db().reviews().note(id, earlier == null || earlier.isBlank() ? line : earlier + "\n" + line, server.actor(ctx));
        }
        ctx.result("ok");
    }

    private void seed(Context ctx) {
        boolean seed = project.db().reviews().toggleSeed(ctx.pathParam("id"), server.actor(ctx));
        ctx.result(Boolean.toString(seed));
    }

    private void note(Context ctx) {
        String note = ctx.formParam("note");
        project.db().reviews().note(ctx.pathParam("id"), note == null ? "" : note.strip(), server.actor(ctx));
        ctx.result("ok");
    }

    private void editTurn(Context ctx) {
        int index;
        try {
            index = Integer.parseInt(ctx.pathParam("index"));
        } catch (NumberFormatException e) {
            throw new BadInputException("turn index must be a number, got '" + ctx.pathParam("index") + "'");
        }
        String content = required(ctx, "content");
        int version = project.db().reviews().editTurn(ctx.pathParam("id"), index, content, server.actor(ctx));
        ctx.result(Integer.toString(version));
    }

    private static String required(Context ctx, String name) {
        String v = ctx.formParam(name);
        if (v == null || v.isBlank()) throw new BadInputException("form field '" + name + "' is required");
        return v;
    }

    static int intParam(Context ctx, String name, int fallback) {
        String v = ctx.queryParam(name);
        if (v == null || v.isBlank()) return fallback;
        try {
            return Integer.parseInt(v.strip());
        } catch (NumberFormatException e) {
            throw new BadInputException("'" + name + "' must be a whole number, got '" + v + "'");
        }
    }
}
