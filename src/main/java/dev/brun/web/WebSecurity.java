package dev.brun.web;

import io.javalin.http.Context;
import io.javalin.http.ForbiddenResponse;
import io.javalin.http.HandlerType;
import io.javalin.http.HttpResponseException;
import io.javalin.http.UnauthorizedResponse;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Set;
import java.util.function.IntSupplier;

/**
 * Guards every request: the access token (when the server is reachable from other machines), and for every
 * POST the per-server CSRF token plus a same-origin Origin/Referer. Pages carry the CSRF token in a meta tag
 * (htmx and fetch send it as a header) and in a hidden field of plain forms.
 */
final class WebSecurity {
    static final String CSRF_HEADER = "X-CSRF-Token";
    static final String CSRF_FIELD = "_csrf";
    static final String TOKEN_COOKIE = "brun_token";

    private final String csrfToken;
    private final String accessToken;
    private final Set<String> servedNames;
    private final IntSupplier port;

    private final ReviewerSessions reviewers;

    /**
     * servedNames: the Host header names (lower case, no port) answered; port: the bound port, known after start;
     * reviewers: with a reviewers file, each reviewer's own session takes the place of the access token.
     */
    WebSecurity(String accessToken, Set<String> servedNames, IntSupplier port, ReviewerSessions reviewers) {
        this.reviewers = reviewers;
        this.servedNames = Set.copyOf(servedNames);
        this.port = port;
        byte[] random = new byte[32];
        new SecureRandom().nextBytes(random);
        this.csrfToken = HexFormat.of().formatHex(random);
        this.accessToken = accessToken == null || accessToken.isBlank() ? null : accessToken;
    }

    String csrfToken() { return csrfToken; }

    /** Runs before every handler; throws 401/403 responses that stop the request. */
    void check(Context ctx) {
        checkHost(ctx);
        headers(ctx);
        if (reviewers.named()) reviewers.require(ctx);
        else if (accessToken != null) checkAccess(ctx);
        if (ctx.method() != HandlerType.GET && ctx.method() != HandlerType.HEAD) checkCsrf(ctx);
    }

    private void headers(Context ctx) {
        // No inline script anywhere: even an escaping mistake could not run injected code.
        ctx.header("Content-Security-Policy", "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline';"
                + " img-src 'self' data:; frame-ancestors 'none'; form-action 'self'; base-uri 'none'");
        ctx.header("X-Content-Type-Options", "nosniff");
        ctx.header("Referrer-Policy", "same-origin");
        ctx.header("X-Frame-Options", "DENY");
    }

    /**
     * DNS rebinding defence: a foreign page whose name resolves to this machine is same-origin for the browser,
     * but its requests still carry its own name in Host; only this server's names are answered.
     */
    private void checkHost(Context ctx) {
        String host = ctx.header("Host");
        if (host == null || !served(host))
            throw new HttpResponseException(421, "this brun server answers only to " + String.join(", ", servedNames)
                    + " on port " + port.getAsInt() + ", not to Host " + (host == null ? "(none)" : host)
                    + " (serve --allowed-host NAME adds a name on a non-loopback bind)");
    }

    private boolean served(String host) {
        String h = host.trim().toLowerCase(Locale.ROOT);
        int colon = h.lastIndexOf(':');
        boolean noPort = colon < 0 || h.endsWith("]"); // browsers leave out only the default port 80
        String name = noPort ? h : h.substring(0, colon);
        String portText = noPort ? "80" : h.substring(colon + 1);
        return servedNames.contains(name) && portText.equals(Integer.toString(port.getAsInt()));
    }

    private void checkAccess(Context ctx) {
        String fromQuery = ctx.queryParam("token");
        if (fromQuery != null && equal(fromQuery, accessToken)) {
            ctx.res().addHeader("Set-Cookie", TOKEN_COOKIE + "=" + accessToken + "; Path=/; HttpOnly; SameSite=Strict");
            return;
        }
        String cookie = ctx.cookie(TOKEN_COOKIE);
        if (cookie == null || !equal(cookie, accessToken))
            throw new UnauthorizedResponse("this brun server needs its access token: open the URL printed by 'brun serve' (…/?token=…)");
    }

    private void checkCsrf(Context ctx) {
        if (!sameOrigin(ctx)) throw new ForbiddenResponse("cross-site request refused (Origin/Referer is not this server)");
        String sent = ctx.header(CSRF_HEADER);
        if (sent == null) sent = ctx.formParam(CSRF_FIELD);
        if (sent == null || !equal(sent, csrfToken))
            throw new ForbiddenResponse("missing or wrong CSRF token: reload the page and try again");
    }

    /** Browsers send Origin on every POST (Referer as a fallback); one of them must name this server. */
    private static boolean sameOrigin(Context ctx) {
        String host = ctx.header("Host");
        if (host == null) return false;
        String origin = ctx.header("Origin");
        if (origin != null) return matchesHost(origin, host);
        String referer = ctx.header("Referer");
        return referer != null && matchesHost(referer, host);
    }

    private static boolean matchesHost(String url, String host) {
        try {
            URI uri = URI.create(url);
            if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme())) return false;
            String authority = uri.getRawAuthority();
            return authority != null && authority.equalsIgnoreCase(host);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static boolean equal(String a, String b) {
        return MessageDigest.isEqual(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
    }
}
