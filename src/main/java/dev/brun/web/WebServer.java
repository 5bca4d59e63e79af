package dev.brun.web;

import dev.brun.BadInputException;
import dev.brun.project.Project;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.javalin.http.staticfiles.Location;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.HashMap;
import java.util.Map;

/**
 * The review web app of {@code brun serve}: dashboard, conversation list, keyboard review, generation and export
 * pages over one open project. Server-rendered JTE pages with htmx for partial updates; every asset is in the jar.
 */
public final class WebServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(WebServer.class);

    /** host/port to bind; accessToken null = no token (only allowed on a loopback address). */
    public record Options(String host, int port, String accessToken) {
        public Options {
            if (host == null || host.isBlank()) host = "127.0.0.1";
            if (port < 0 || port > 65535) throw new BadInputException("--port must be between 0 and 65535, got " + port);
            if (accessToken != null && accessToken.isBlank()) accessToken = null;
            if (accessToken == null && !isLoopback(host))
                throw new BadInputException("binding to " + host + " exposes the review app to other machines:"
                        + " pass --token SECRET (every visitor then needs it), or keep the default --host 127.0.0.1");
        }

        public boolean exposed() { return !isLoopback(host); }

        static boolean isLoopback(String host) {
            return host.equals("localhost") || host.startsWith("127.") || host.equals("::1") || host.equals("[::1]");
        }
    }

    private final Project project;
    private final Templates templates = new Templates();
    private final WebSecurity security;
    private final Javalin app;
    private final GenerationJobs generations;

    private WebServer(Project project, Options options, GenerationJobs generations) {
        this.project = project;
        this.security = new WebSecurity(options.accessToken());
        this.generations = generations;
        DashboardPage dashboard = new DashboardPage(this, project);
        ConversationPages conversations = new ConversationPages(this, project);
        GeneratePage generate = new GeneratePage(this, project, generations);
        ExportPage export = new ExportPage(this, project);
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
        server.app.start();
        return server;
    }

    public int port() { return app.port(); }

    String csrfToken() { return security.csrfToken(); }

    /** htmx and the review script want a short text answer they can show, not a whole page. */
    private static boolean partial(Context ctx) {
        return ctx.header("HX-Request") != null || ctx.header("X-Brun-Fetch") != null;
    }

    /** Renders a full page inside the shared frame (nav, CSRF meta tag, scripts). */
    String page(Context ctx, String template, String title, String active, Map<String, Object> params) {
        Map<String, Object> all = new HashMap<>(params);
        all.put("frame", new PageFrame(active, title, security.csrfToken(), project.pack().name(), project.pack().shortHash()));
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
