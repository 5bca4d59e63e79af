package dev.brun.cli;

import dev.brun.project.Project;
import dev.brun.review.Reviewers;
import dev.brun.web.BackgroundGenerationJobs;
import dev.brun.web.EngineGenerationRuns;
import dev.brun.web.WebServer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/** brun serve: the local review web app (dashboard, review queue, generation, export) until Ctrl-C. */
@Command(name = "serve", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {"Serve the review web app: coverage dashboard, keyboard review, generation and export.",
                "Listens on 127.0.0.1 only unless --host says otherwise, which then needs --token or --reviewers."})
public final class ServeCommand implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin ProjectMixin project;

    @Option(names = "--port", paramLabel = "N", defaultValue = "7070", description = "Port to listen on (default: 7070; 0 = any free port).")
    int port;
    @Option(names = "--host", paramLabel = "ADDR", defaultValue = "127.0.0.1",
            description = "Address to bind (default: 127.0.0.1). Any other address needs --token.")
    String host;
    @Option(names = "--token", paramLabel = "SECRET",
            description = "Access token every visitor needs (open the page once with ?token=SECRET; a cookie keeps it).")
    String token;
    @Option(names = "--allowed-host", paramLabel = "NAME",
            description = "Another name the Host header may carry on a non-loopback --host (repeatable); every other name gets 421.")
    List<String> allowedHosts = List.of();
    @Option(names = "--reviewers", paramLabel = "FILE",
            description = "Named reviewers, one per line as NAME TOKEN (or NAME: TOKEN). Each opens /login/<their token> once;"
                    + " every action is recorded under their name, and a visitor without a reviewer session gets 401."
                    + " Replaces --token on a non-loopback --host.")
    Path reviewersFile;

    @Override
    public Integer call() throws InterruptedException {
        PrintWriter err = spec.commandLine().getErr();
        PrintWriter out = spec.commandLine().getOut();
        Reviewers reviewers = reviewersFile == null ? null : Reviewers.read(reviewersFile);
        WebServer.Options options = new WebServer.Options(host, port, token, allowedHosts, reviewers);
        try (Project proj = project.open()) {
            var jobs = new BackgroundGenerationJobs(proj.db().jobs(), EngineGenerationRuns.forProject(proj, QualityHooks.forProject(proj)));
            WebServer server = WebServer.start(proj, options, jobs);
            CountDownLatch stopped = new CountDownLatch(1);
            Thread hook = new Thread(() -> {
                server.close();
                stopped.countDown();
            }, "brun-serve-stop");
            Runtime.getRuntime().addShutdownHook(hook);
            String shownHost = host.contains(":") ? "[" + host + "]" : host;
            exposureWarning(options).forEach(err::println);
            out.println("brun serve: " + proj.pack().name() + " at http://" + shownHost + ":" + server.port() + "/"
                    + (options.accessToken() != null ? " (first visit: add ?token=<your token>)" : ""));
            if (reviewers != null)
                out.println(reviewers.all().size() + " reviewer(s) from " + reviewersFile + ": each opens http://" + shownHost + ":"
                        + server.port() + "/login/<their token> once");
            out.println("Press Ctrl-C to stop.");
            out.flush();
            err.flush();
            stopped.await();
        }
        return 0;
    }

    /** The lines printed to stderr before serving: none on a loopback address, a loud warning on any other. */
    static List<String> exposureWarning(WebServer.Options options) {
        if (!options.exposed()) return List.of();
        return List.of(
                "WARNING: brun serve listens on " + options.host() + ": anyone who can reach this machine and knows the token",
                "WARNING: can read, edit and export your conversations and start paid generation runs.",
                "WARNING: use it only on a network you trust; the token travels unencrypted over plain HTTP.");
    }
}
