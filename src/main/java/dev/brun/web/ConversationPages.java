package dev.brun.web;

import dev.brun.BadInputException;
import dev.brun.conversation.QualityFlag;
import dev.brun.conversation.ReviewStatus;
import dev.brun.project.Project;
import dev.brun.pack.Pack;
import dev.brun.store.ConversationFilter;
import dev.brun.store.ConversationOrder;
import dev.brun.store.ConversationRow;
import dev.brun.store.Page;
import dev.brun.store.StoredConversation;
import dev.brun.store.TurnEdit;
import dev.brun.store.Verdict;
import io.javalin.config.RoutesConfig;
import tools.jackson.databind.json.JsonMapper;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The conversation list (filtered, paged through the DAO) and the review page. A review page is addressed by
 * the filter and the conversation's id (or a position, from the list), so j/k walk the list the reviewer
 * filtered, and the walk's next conversation is the one after this in the list's order, whether or not this
 * one still matches the filter after a decision.
 */
final class ConversationPages {
    static final int PAGE_SIZE = 50;
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final WebServer server;
    private final Project project;

    ConversationPages(WebServer server, Project project) {
        this.server = server;
        this.project = project;
    }

    void routes(RoutesConfig routes) {
        routes.get("/conversations", this::list);
        routes.post("/conversations/approve", this::bulkApprove);
        routes.post("/conversations/bulk", this::bulk);
        routes.get("/review", this::review);
        routes.get("/review/step", this::step);
        routes.get("/review/where", this::where);
        routes.post("/review/{id}/decision", this::decision);
        routes.post("/review/{id}/status", this::status);
        routes.post("/review/{id}/seed", this::seed);
        routes.post("/review/{id}/note", this::note);
        routes.post("/review/{id}/turns/{index}", this::editTurn);
    }

    private void list(Context ctx) {
        ListQuery query = ListQuery.from(ctx);
        int page = Math.max(0, intParam(ctx, "page", 0));
        Page<ConversationRow> rows = project.db().conversations().list(query.filter(), query.order(), page, PAGE_SIZE);
        long withErrors = project.db().conversations().count(query.filter().withFlags(ConversationFilter.FlagPresence.ANY_ERROR));
        String done = ctx.queryParam("done");
        ctx.html(server.page(ctx, "conversations.jte", "Conversations", "conversations", Map.of(
                "query", query, "rows", rows, "pack", project.pack(),
                "flagCodes", new ArrayList<>(project.db().quality().flagCountsByCode().keySet()),
                "rowFlags", project.db().quality().flagsOf(rows.items().stream().map(ConversationRow::id).toList()),
                "withErrors", withErrors,
                "bulkDone", done == null ? "" : done)));
    }

    /**
     * Approves every conversation the filter matches, leaving out those with an error flag unless include_errors
     * is ticked; ids are collected first because approving may change the filter's result.
     */
    private void bulkApprove(Context ctx) {
        ListQuery query = ListQuery.from(ctx);
        ConversationFilter filter = query.filter();
        boolean includeErrors = "on".equals(ctx.formParam("include_errors"));
        List<String> ids = new ArrayList<>();
        for (int page = 0; ; page++) {
            Page<ConversationRow> rows = project.db().conversations().list(filter, page, 1000);
            rows.items().stream().filter(r -> includeErrors || r.errorFlags() == 0).forEach(r -> ids.add(r.id()));
            if (rows.items().size() < 1000) break;
        }
        for (String id : ids) {
            boolean seed = project.db().reviews().verdict(id).seed();
            project.db().reviews().decide(id, new Verdict(ReviewStatus.APPROVED, seed, null), server.actor(ctx));
        }
        String done = "Approved " + ids.size() + (includeErrors ? "" : " (left out those with an error flag)") + ".";
        ctx.redirect("/conversations?" + query.prefix() + "done=" + URLEncoder.encode(done, StandardCharsets.UTF_8), HttpStatus.SEE_OTHER);
    }

    /** A decision on exactly the selected rows: approve, reject with a reason, mark as seed (approves), or reset. */
    private void bulk(Context ctx) {
        ListQuery query = ListQuery.from(ctx);
        List<String> ids = ctx.formParams("ids").stream().filter(v -> !v.isBlank()).distinct().toList();
        if (ids.isEmpty()) throw new BadInputException("select at least one conversation (the boxes in the first column)");
        String action = required(ctx, "action");
        String reason = ctx.formParam("reason");
        Verdict verdict = switch (action) {
            case "approve" -> null;
            case "reject" -> {
                if (reason == null || reason.isBlank()) throw new BadInputException("a bulk rejection needs a reason (field 'reason')");
                yield new Verdict(ReviewStatus.REJECTED, false, reason);
            }
            case "seed" -> new Verdict(ReviewStatus.APPROVED, true, null);
            case "reset" -> Verdict.PENDING;
            default -> throw new BadInputException("bulk action must be approve, reject, seed or reset, got '" + action + "'");
        };
        int unseeded = 0;
        for (String id : ids) {
            Verdict v = verdict != null ? verdict
                    : new Verdict(ReviewStatus.APPROVED, project.db().reviews().verdict(id).seed(), null);
            if (project.db().reviews().decide(id, v, server.actor(ctx)).seed() && !v.seed()) unseeded++;
        }
        String verb = switch (action) { case "approve" -> "Approved"; case "reject" -> "Rejected"; case "seed" -> "Marked as seeds"; default -> "Reset to pending"; };
        String done = verb + " " + ids.size() + (unseeded > 0 ? "; " + unseeded + " no longer seed examples" : "") + ".";
        ctx.redirect("/conversations?" + query.prefix() + "done=" + URLEncoder.encode(done, StandardCharsets.UTF_8), HttpStatus.SEE_OTHER);
    }

    private void review(Context ctx) {
        ListQuery query = ListQuery.from(ctx);
        var conversations = project.db().conversations();
        ReviewWalk walk = ReviewWalk.of(query, conversations, project.db().reviewPlans());
        String id = ctx.queryParam("id");
        Integer knownPos = null;
        if (id == null || id.isBlank()) {
            int pos = Math.max(0, intParam(ctx, "pos", 0));
            Optional<String> at = walk.at(pos);
            if (at.isEmpty()) {
                ctx.html(server.page(ctx, "empty-review.jte", "Review", "conversations", Map.of("query", query, "total", walk.total())));
                return;
            }
            id = at.get();
            knownPos = pos;           // a list link names the position: no need to count again
        }
        String shown = id.strip();
        StoredConversation c = conversations.find(shown)
                .orElseThrow(() -> new BadInputException("no conversation with id " + shown + ": pick one from the conversation list"));
        Map<Integer, List<QualityFlag>> flagsByTurn = new TreeMap<>();
        List<QualityFlag> wholeFlags = new ArrayList<>();
        for (QualityFlag f : c.flags()) {
            if (f.turnIndex() == null) wholeFlags.add(f);
            else flagsByTurn.computeIfAbsent(f.turnIndex(), k -> new ArrayList<>()).add(f);
        }
        Map<Integer, List<TurnEdit>> editsByTurn = new LinkedHashMap<>();
        for (TurnEdit e : project.db().reviews().edits(shown))
            editsByTurn.computeIfAbsent(e.turnIndex(), k -> new ArrayList<>()).add(e);
        var scaffolding = c.conversation().scaffolding();
        Pack pack = project.pack();
        ctx.html(server.page(ctx, "review.jte", "Review", "conversations", Map.ofEntries(
                Map.entry("query", query),
                Map.entry("pos", knownPos != null ? knownPos : (int) walk.positionOf(shown)),
                Map.entry("total", walk.total()),
                Map.entry("c", c),
                Map.entry("verdict", project.db().reviews().verdict(shown)),
                Map.entry("nextId", walk.neighbour(shown, true).orElse("")),
                Map.entry("prevId", walk.neighbour(shown, false).orElse("")),
                Map.entry("afterUrl", walk.after().orElse("")),
                Map.entry("flagsByTurn", flagsByTurn), Map.entry("wholeFlags", wholeFlags),
                Map.entry("editsByTurn", editsByTurn),
                Map.entry("actions", project.db().reviews().actions(shown)),
                Map.entry("presets", presets(c)),
                Map.entry("persona", pack.personas().stream().filter(p -> p.key().equals(scaffolding.personaKey())).findFirst()),
                Map.entry("arc", pack.arcs().stream().filter(a -> a.key().equals(scaffolding.arcKey())).findFirst()),
                Map.entry("consultant", pack.consultant()))));
    }

    /** The conversation's own flags first, then the pack's common reasons, then recent custom ones; at most 9. */
    private List<ReasonPreset> presets(StoredConversation c) {
        Set<String> texts = new LinkedHashSet<>();
        Map<String, String> source = new LinkedHashMap<>();
        for (QualityFlag f : c.flags()) {
            String text = f.code() + ": " + f.reason();
            if (texts.add(text)) source.put(text, "flag");
        }
        for (String r : project.pack().rules().reviewReasons()) if (texts.add(r)) source.put(r, "pack");
        for (String r : project.db().reviews().recentReasons(9)) if (texts.add(r)) source.put(r, "recent");
        List<ReasonPreset> out = new ArrayList<>();
        for (String t : texts) {
            if (out.size() == 9) break;
            out.add(new ReasonPreset(out.size() + 1, t, source.get(t)));
        }
        return out;
    }

    /** Where a conversation stands in the walk now (decisions move the others' positions under a status filter). */
    private void where(Context ctx) {
        ListQuery query = ListQuery.from(ctx);
        String id = ctx.queryParam("id");
        if (id == null || id.isBlank()) throw new BadInputException("'id' is required");
        ReviewWalk walk = ReviewWalk.of(query, project.db().conversations(), project.db().reviewPlans());
        json(ctx, Map.of("pos", walk.positionOf(id), "total", walk.total()));
    }

    /** j/k without script: the next or previous conversation in the walk's order, never skipping one. */
    private void step(Context ctx) {
        ListQuery query = ListQuery.from(ctx);
        int dir = intParam(ctx, "dir", 1) >= 0 ? 1 : -1;
        String id = ctx.queryParam("id");
        if (id == null || id.isBlank()) {
            ctx.redirect("/review?" + query.prefix() + "pos=" + Math.max(0, intParam(ctx, "pos", 0) + dir), HttpStatus.SEE_OTHER);
            return;
        }
        ReviewWalk walk = ReviewWalk.of(query, project.db().conversations(), project.db().reviewPlans());
        Optional<String> target = walk.neighbour(id, dir > 0);
        if (target.isEmpty() && dir > 0 && walk.after().isPresent()) {
            ctx.redirect(walk.after().get(), HttpStatus.SEE_OTHER);
            return;
        }
        ctx.redirect("/review?" + query.prefix() + "id=" + URLEncoder.encode(target.orElse(id), StandardCharsets.UTF_8), HttpStatus.SEE_OTHER);
    }

    /**
     * One decision: status approved, rejected (with a reason) or pending, optionally as a seed (approved only).
     * Answers the verdict before and after, so the page can undo it, and says when a seed mark was removed.
     */
    private void decision(Context ctx) {
        String id = ctx.pathParam("id");
        ReviewStatus status = status(required(ctx, "status"));
        boolean seed = "true".equals(ctx.formParam("seed"));
        Verdict after = new Verdict(status, seed, status == ReviewStatus.REJECTED ? ctx.formParam("reason") : null);
        Verdict before = project.db().reviews().decide(id, after, server.actor(ctx));
        Verdict now = project.db().reviews().verdict(id);
        String message = before.seed() && !now.seed()
                ? (status == ReviewStatus.REJECTED ? "Rejected; it is no longer a seed example (seeds are always approved)."
                : "No longer a seed example.")
                : "";
        json(ctx, Map.of("before", verdictJson(before), "after", verdictJson(now), "message", message));
    }

    private static void json(Context ctx, Object value) {
        ctx.contentType("application/json").result(JSON.writeValueAsString(value));
    }

    private static Map<String, Object> verdictJson(Verdict v) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("status", v.status().wire());
        m.put("seed", v.seed());
        m.put("reason", v.reason() == null ? "" : v.reason());
        return m;
    }

    private static ReviewStatus status(String value) {
        return switch (value) {
            case "approved" -> ReviewStatus.APPROVED;
            case "rejected" -> ReviewStatus.REJECTED;
            case "pending" -> ReviewStatus.PENDING;
            default -> throw new BadInputException("status must be approved, rejected or pending, got '" + value + "'");
        };
    }

    /** A status alone (forms without script); a rejection keeps its reason in its own field, never in the notes. */
    private void status(Context ctx) {
        String id = ctx.pathParam("id");
        ReviewStatus status = status(required(ctx, "status"));
        Verdict current = project.db().reviews().verdict(id);
        boolean seed = status == ReviewStatus.APPROVED && current.seed();
        project.db().reviews().decide(id, new Verdict(status, seed, ctx.formParam("reason")), server.actor(ctx));
        ctx.result("ok");
    }

    /** Marks or unmarks the seed; marking approves, since a seed is always an approved conversation. */
    private void seed(Context ctx) {
        String id = ctx.pathParam("id");
        Verdict current = project.db().reviews().verdict(id);
        boolean seed = !current.seed();
        project.db().reviews().decide(id, seed ? new Verdict(ReviewStatus.APPROVED, true, null)
                : new Verdict(current.status(), false, current.reason()), server.actor(ctx));
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
