package dev.brun.web;

import dev.brun.BadInputException;
import dev.brun.conversation.ReviewStatus;
import dev.brun.store.ConversationFilter;
import dev.brun.store.ConversationOrder;
import io.javalin.http.Context;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The conversation filter as the pages carry it in their URLs (persona, arc, topic, phase, status, flag,
 * min, max, q, seed, flags = error|none, sort = created|score|flags). Blank parameters do not filter. sample=STRATUM
 * walks that review-plan stratum's sample in its stored random order instead (with whole=on, every member of the
 * stratum, the sample first).
 */
record ListQuery(String persona, String arc, String topic, String phase, String status, String flag,
                 Double min, Double max, String text, boolean seed, String flags, String sort, Long sample, boolean whole) {

    ListQuery(String persona, String arc, String topic, String phase, String status, String flag,
              Double min, Double max, String text, boolean seed) {
        this(persona, arc, topic, phase, status, flag, min, max, text, seed, null, null, null, false);
    }

    static ListQuery from(Context ctx) {
        return new ListQuery(param(ctx, "persona"), param(ctx, "arc"), param(ctx, "topic"), param(ctx, "phase"),
                param(ctx, "status"), param(ctx, "flag"), number(ctx, "min"), number(ctx, "max"), param(ctx, "q"),
                "on".equals(param(ctx, "seed")) || "true".equals(param(ctx, "seed")), param(ctx, "flags"), param(ctx, "sort"),
                number(ctx, "sample") == null ? null : number(ctx, "sample").longValue(), "on".equals(param(ctx, "whole")));
    }

    /** The walk's order: the list's sort, creation by default. */
    ConversationOrder order() {
        if (sort == null) return ConversationOrder.CREATED;
        try {
            return ConversationOrder.fromWire(sort);
        } catch (IllegalArgumentException e) {
            throw new BadInputException("unknown sort '" + sort + "' (expected created, score or flags)");
        }
    }

    String sortOrDefault() { return order().wire(); }

    ConversationFilter filter() {
        ConversationFilter f = ConversationFilter.all().persona(persona).arc(arc).topic(topic).inPhase(phase)
                .flagged(flag).overallBetween(min, max).containing(text);
        if (status != null) {
            try {
                f = f.review(ReviewStatus.fromWire(status));
            } catch (IllegalArgumentException e) {
                throw new BadInputException("unknown review status '" + status + "' (expected pending, approved, rejected or accepted)");
            }
        }
        if (flags != null) f = f.withFlags(switch (flags) {
            case "error" -> ConversationFilter.FlagPresence.ANY_ERROR;
            case "none" -> ConversationFilter.FlagPresence.NONE;
            default -> throw new BadInputException("unknown flags filter '" + flags + "' (expected error or none)");
        });
        return seed ? f.seeds() : f;
    }

    /** The filter as URL query parameters (no leading '?'); empty when nothing filters. */
    String query() {
        List<String> parts = new ArrayList<>();
        add(parts, "persona", persona);
        add(parts, "arc", arc);
        add(parts, "topic", topic);
        add(parts, "phase", phase);
        add(parts, "status", status);
        add(parts, "flag", flag);
        add(parts, "min", min == null ? null : trim(min));
        add(parts, "max", max == null ? null : trim(max));
        add(parts, "q", text);
        if (seed) parts.add("seed=on");
        add(parts, "flags", flags);
        add(parts, "sort", sort);
        if (sample != null) parts.add("sample=" + sample);
        if (sample != null && whole) parts.add("whole=on");
        return String.join("&", parts);
    }

    /** query() followed by '&amp;' when not empty, ready for more parameters. */
    String prefix() {
        String q = query();
        return q.isEmpty() ? "" : q + "&";
    }

    boolean filters() { return !query().isEmpty(); }

    String minText() { return min == null ? "" : trim(min); }
    String maxText() { return max == null ? "" : trim(max); }
    String textOrEmpty() { return text == null ? "" : text; }

    private static String trim(double d) {
        return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
    }

    private static void add(List<String> parts, String name, String value) {
        if (value != null) parts.add(name + "=" + URLEncoder.encode(value, StandardCharsets.UTF_8));
    }

    private static String param(Context ctx, String name) {
        String v = ctx.queryParam(name);
        if (v == null) v = ctx.formParam(name);
        return v == null || v.isBlank() ? null : v.strip();
    }

    private static Double number(Context ctx, String name) {
        String v = param(ctx, name);
        if (v == null) return null;
        try {
            return Double.parseDouble(v);
        } catch (NumberFormatException e) {
            throw new BadInputException("'" + name + "' must be a number, got '" + v + "'");
        }
    }
}
