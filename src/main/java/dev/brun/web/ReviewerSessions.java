package dev.brun.web;

import dev.brun.BadInputException;
import dev.brun.review.Reviewers;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;

import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Who is reviewing. With a reviewers file every request needs a reviewer's session: the reviewer opens their own
 * link once ({@code /login/<token>} or any page with {@code ?token=<token>}) and an HttpOnly, SameSite=Strict cookie
 * keeps it. Without a file the server asks for a name once and keeps it in a cookie; that name is what the person
 * says, not a proof, which is why it is offered only where no file asks for more. Actions carry the name either way.
 */
final class ReviewerSessions {
    static final String SESSION_COOKIE = "brun_reviewer";
    static final String NAME_COOKIE = "brun_name";
    /** Recorded when nobody gave a name yet (as every action was before reviewers were named). */
    static final String UNNAMED_ACTOR = "web";
    private static final String ATTRIBUTE = "brun.reviewer";
    private static final int MAX_AGE_SECONDS = 60 * 60 * 24 * 90;
    private static final int MAX_NAME_LENGTH = 60;

    /** 401 with a page that says how to get in. */
    static final class ReviewerRequired extends HttpResponseException {
        ReviewerRequired(String message) { super(401, message); }
    }

    private final Reviewers reviewers;

    /** reviewers null: no file, names are asked for. */
    ReviewerSessions(Reviewers reviewers) {
        this.reviewers = reviewers;
    }

    /** True when names come from the reviewers file (and every request needs a reviewer's session). */
    boolean named() { return reviewers != null; }

    /** Before every handler when a file is given: finds the reviewer or stops the request with 401. */
    void require(Context ctx) {
        if (ctx.path().startsWith("/login/")) return; // the login route checks its own token
        Optional<Reviewers.Reviewer> fromQuery = reviewers.byToken(ctx.queryParam("token"));
        if (fromQuery.isPresent()) {
            startSession(ctx, fromQuery.get());
            return;
        }
        String cookie = ctx.cookie(SESSION_COOKIE);
        Optional<Reviewers.Reviewer> fromCookie = reviewers.byToken(cookie);
        if (fromCookie.isPresent()) {
            ctx.attribute(ATTRIBUTE, fromCookie.get().name());
            return;
        }
        throw new ReviewerRequired(cookie == null
                ? "This brun server is for named reviewers: open your own link, /login/<your token>, once (ask whoever runs"
                  + " 'brun serve --reviewers' for it); this browser then remembers you."
                : "Your reviewer session is no longer valid (the reviewers file changed): open your own link, /login/<your token>, again.");
    }

    /** GET /login/{token}: starts the reviewer's session and goes to the dashboard. */
    void login(Context ctx) {
        if (reviewers == null) {
            ctx.redirect("/");
            return;
        }
        Reviewers.Reviewer r = reviewers.byToken(ctx.pathParam("token"))
                .orElseThrow(() -> new ReviewerRequired("This link's token is not on the reviewers list: check the link,"
                        + " or ask whoever runs 'brun serve --reviewers' for yours."));
        startSession(ctx, r);
        ctx.redirect("/");
    }

    private void startSession(Context ctx, Reviewers.Reviewer r) {
        ctx.attribute(ATTRIBUTE, r.name());
        ctx.res().addHeader("Set-Cookie", SESSION_COOKIE + "=" + r.token() + "; Path=/; Max-Age=" + MAX_AGE_SECONDS
                + "; HttpOnly; SameSite=Strict");
    }

    /** POST /reviewer/name without a file: keeps the name the person typed. */
    void rememberName(Context ctx, String name) {
        if (reviewers != null)
            throw new BadInputException("names come from the reviewers file on this server: yours is " + reviewer(ctx));
        String clean = name == null ? "" : name.strip();
        if (clean.isEmpty()) throw new BadInputException("type your name (it is recorded with every review action)");
        if (clean.length() > MAX_NAME_LENGTH) throw new BadInputException("a name is at most " + MAX_NAME_LENGTH + " characters");
        if (clean.codePoints().anyMatch(Character::isISOControl)) throw new BadInputException("a name cannot contain control characters");
        ctx.attribute(ATTRIBUTE, clean);
        ctx.res().addHeader("Set-Cookie", NAME_COOKIE + "=" + URLEncoder.encode(clean, StandardCharsets.UTF_8) + "; Path=/; Max-Age="
                + MAX_AGE_SECONDS + "; HttpOnly; SameSite=Strict");
    }

    /** The reviewer of this request, or null when no name was given yet (no file). */
    String reviewer(Context ctx) {
        String fromSession = ctx.attribute(ATTRIBUTE);
        if (fromSession != null || reviewers != null) return fromSession;
        String cookie = ctx.cookie(NAME_COOKIE);
        if (cookie == null || cookie.isBlank()) return null;
        try {
            String name = URLDecoder.decode(cookie, StandardCharsets.UTF_8).strip();
            return name.isEmpty() || name.length() > MAX_NAME_LENGTH || name.codePoints().anyMatch(Character::isISOControl) ? null : name;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** The name an action of this request is recorded under. */
    String actor(Context ctx) {
        String r = reviewer(ctx);
        return r == null ? UNNAMED_ACTOR : r;
    }

    /** The 401 page: standalone (no frame, no scripts), since the visitor may see nothing else. */
    static String loginPage(String message) {
        return "<!DOCTYPE html>\n<html lang=\"en\">\n<head><meta charset=\"utf-8\"><title>Reviewer link needed · brun</title></head>\n"
                + "<body style=\"font-family: system-ui, sans-serif; max-width: 40em; margin: 3em auto\">\n"
                + "<h1>Reviewer link needed</h1>\n<p>" + escape(message) + "</p>\n</body>\n</html>\n";
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
