package dev.brun.web;

import dev.brun.BadInputException;
import dev.brun.project.Project;
import dev.brun.review.Reviewers;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.javalin.http.staticfiles.Location;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.BindException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The review web app of {@code brun serve}: dashboard, conversation list, keyboard review, generation and export
 * pages over one open project. Server-rendered JTE pages with htmx for partial updates; every asset is in the jar.
 */
public final class WebServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(WebServer.class);

    /**
     * host/port to bind; accessToken null = no token (only allowed on a loopback address); allowedHosts = extra
     * names the Host header may carry on a non-loopback bind (a reverse proxy's or the machine's DNS name).
     */
    public record Options(String host, int port, String accessToken, List<String> allowedHosts, Reviewers reviewers) {
        public Options {
            if (host == null || host.isBlank()) host = "127.0.0.1";
            if (port < 0 || port > 65535) throw new BadInputException("--port must be between 0 and 65535, got " + port);
            if (accessToken != null && accessToken.isBlank()) accessToken = null;
            allowedHosts = allowedHosts == null ? List.of() : List.copyOf(allowedHosts);
            boolean loopback = isLoopback(host);
            if (accessToken != null && reviewers != null)
                throw new BadInputException("--token and --reviewers both guard the server: each reviewer's own token already"
                        + " does, so drop --token (reviewers open their own link, /login/<their token>)");
            if (accessToken == null && reviewers == null && !loopback)
                throw new BadInputException("binding to " + host + " exposes the review app to other machines:"
                        + " pass --token SECRET (every visitor then needs it) or --reviewers FILE (each reviewer their own token),"
                        + " or keep the default --host 127.0.0.1");
            if (loopback && !allowedHosts.isEmpty())
                throw new BadInputException("--allowed-host only applies to a non-loopback --host: on " + host
                        + " only 127.0.0.1, localhost and [::1] are served, so no other page can rebind its name to this server");
        }

        public Options(String host, int port, String accessToken) {
            this(host, port, accessToken, List.of());
        }

        public Options(String host, int port, String accessToken, List<String> allowedHosts) {
            this(host, port, accessToken, allowedHosts, null);
        }

        public boolean exposed() { return !isLoopback(host); }

        /**
         * Loopback means every address the name resolves to is a loopback address; a name that does not
         * resolve is refused here with its own message rather than failing later as a bind error.
         */
        static boolean isLoopback(String host) {
            String bare = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
            try {
                InetAddress[] all = InetAddress.getAllByName(bare);
                for (InetAddress a : all) if (!a.isLoopbackAddress()) return false;
                return all.length > 0;
            } catch (UnknownHostException e) {
                throw new BadInputException("--host " + host + " does not resolve to any address of this machine:"
                        + " give an IP address or a name that resolves (default 127.0.0.1)");
            }
        }

        /** The Host header names (without port) this server answers to; every other one gets 421. */
        Set<String> servedNames() {
            Set<String> names = new LinkedHashSet<>();
            if (isLoopback(host)) {
                names.addAll(List.of("127.0.0.1", "localhost", "[::1]"));
            } else {
                names.add(host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host);
                names.addAll(allowedHosts);
            }
            Set<String> lower = new LinkedHashSet<>();
            for (String n : names) lower.add(n.toLowerCase(Locale.ROOT));
            return lower;
        }
    }

    private final Project project;
    private final Templates templates = new Templates();
    private final WebSecurity security;
    private final ReviewerSessions sessions;
    private final Javalin app;
    private final GenerationJobs generations;

    private WebServer(Project project, Options options, GenerationJobs generations) {
        this.project = project;
        this.sessions = new ReviewerSessions(options.reviewers());
        this.security = new WebSecurity(options.accessToken(), options.servedNames(), this::port, sessions);
        this.generations = generations;
        DashboardPage dashboard = new DashboardPage(this, project);
        ConversationPages conversations = new ConversationPages(this, project);
        GeneratePage generate = new GeneratePage(this, project, generations);
        ExportPage export = new ExportPage(this, project);
        SignOffPage signOff = new SignOffPage(this, project);
        ReviewersPage reviewersPage = new ReviewersPage(this, project, sessions);
        EvalPage eval = new EvalPage(this, project);
        this.app = Javalin.create(config -> {
            config.staticFiles.add(static_ -> {
                static_.hostedPath = "/static";
                static_.directory = "/web/static";
                static_.location = Location.CLASSPATH;
            });
            config.jetty.host = options.host();
            config.jetty.port = options.port();
            config.startup.showJavalinBanner = false;
            config.routes.before(security::check);
            dashboard.routes(config.routes);
            conversations.routes(config.routes);
            generate.routes(config.routes);
            export.routes(config.routes);
            signOff.routes(config.routes);
            reviewersPage.routes(config.routes);
            config.routes.exception(ReviewerSessions.ReviewerRequired.class, (e, ctx) -> {
                // A person opening a page gets a page that says what to do, not a bare status line.
                ctx.status(401);
                if (partial(ctx)) ctx.result(e.getMessage());
                else ctx.html(ReviewerSessions.loginPage(e.getMessage()));
            });
            eval.routes(config.routes);
            config.routes.exception(BadInputException.class, (e, ctx) -> {
                ctx.status(400);
                if (partial(ctx)) ctx.result(e.getMessage());
                else ctx.html(page(ctx, "error.jte", "Error", "", Map.of("message", e.getMessage())));
            });
            config.routes.exception(Exception.class, (e, ctx) -> {
                if (e instanceof HttpResponseException h) {
                    ctx.status(h.getStatus()).result(h.getMessage());
                    return;
                }
                LOG.error("request {} {} failed", ctx.method(), ctx.path(), e);
                ctx.status(500).html(page(ctx, "error.jte", "Error", "",
                        Map.of("message", "the server failed: " + e.getClass().getSimpleName() + " (details in the server log)")));
            });
        });
    }

    /** Starts serving the project; stop with {@link #close()}. Generation runs through the given jobs. */
    public static WebServer start(Project project, Options options, GenerationJobs generations) {
        WebServer server = new WebServer(project, options, generations);
        try {
            server.app.start();
        } catch (RuntimeException e) {
            throw bindFailure(options, e);
        }
        return server;
    }

    public int port() { return app.port(); }

    /** Jetty reports every bind failure alike; only an address already taken is "port in use". */
    private static RuntimeException bindFailure(Options options, RuntimeException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof BindException b) {
                String msg = String.valueOf(b.getMessage());
                if (msg.contains("in use"))
                    return new BadInputException("port " + options.port() + " is already in use on " + options.host()
                            + ": stop the other server or pick another --port");
                return new BadInputException("cannot listen on " + options.host() + ":" + options.port() + " (" + msg
                        + "): --host must be an address of this machine");
            }
        }
        return e;
    }

    String csrfToken() { return security.csrfToken(); }

    /** The name every action of this request is recorded under. */
    String actor(Context ctx) { return sessions.actor(ctx); }

    /** htmx and the review script want a short text answer they can show, not a whole page. */
    private static boolean partial(Context ctx) {
        return ctx.header("HX-Request") != null || ctx.header("X-Brun-Fetch") != null;
    }

    /** Renders a full page inside the shared frame (nav, CSRF meta tag, scripts). */
    String page(Context ctx, String template, String title, String active, Map<String, Object> params) {
        Map<String, Object> all = new HashMap<>(params);
        all.put("frame", new PageFrame(active, title, security.csrfToken(), project.pack().name(), project.pack().shortHash(),
                sessions.reviewer(ctx), sessions.named()));
        return templates.render(template, all);
    }

    /** Renders an htmx fragment (no frame). */
    String fragment(String template, Map<String, Object> params) {
        return templates.render(template, params);
    }

    @Override
    public void close() {
        generations.close();
        app.stop();
    }
}
