package dev.brun.web;

import dev.brun.cli.CliRun;
import dev.brun.cli.Main;
import dev.brun.llm.sim.FakeProviderServer;
import dev.brun.llm.sim.SimulatedProvider;
import dev.brun.plan.PriceTable;
import dev.brun.project.Project;
import dev.brun.run.ConversationHook;
import dev.brun.run.ProviderConnection;
import dev.brun.store.JobRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A generation job started from the web page (POST /generate/start, as the Generate page sends it) and a CLI
 * {@code brun generate} process on the same project share one cap: what the provider billed for both together
 * stays within the cap plus one call.
 */
class WebJobBesideCliTest {
    private static final PriceTable PRICES = PriceTable.defaults();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    @TempDir Path tmp;
    private SimulatedProvider sim;

    @AfterEach
    void stop() {
        System.clearProperty(ProviderConnection.ANTHROPIC_BASE_URL_PROPERTY);
        if (sim != null) sim.close();
    }

    @Test
    void aWebJobBesideACliRunSpendsNoMoreThanTheCapPlusOneCall() throws Exception {
        sim = new SimulatedProvider(SimulatedProvider.Settings.DEFAULT.withLatency(Duration.ofMillis(150), Duration.ofMillis(300)),
                dev.brun.run.SimulatedUnits.of(dev.brun.pack.PackLoader.loadBuiltin("financial-planning")));
        System.setProperty(ProviderConnection.ANTHROPIC_BASE_URL_PROPERTY, sim.start().toString());
        String dir = tmp.resolve("p").toString();
        assertThat(CliRun.of("init", dir, "--pack", "financial-planning").exitCode()).isZero();
        Path key = tmp.resolve("anthropic.key");
        Files.writeString(key, "ANTHROPIC_API_KEY=sk-ant-test-key\n");
        Path yaml = Path.of(dir, "brun.yaml");
        Files.writeString(yaml, Files.readString(yaml).replace("provider: simulated", "provider: anthropic") + "\napi_key_file: " + key + "\n");
        assertThat(CliRun.of("plan", "--project", dir, "--only", "persona=overwhelmed_avoider").exitCode()).isZero();
        CliRun first = CliRun.of("generate", "--project", dir, "--limit", "4");
        assertThat(first.exitCode()).as(first.err()).isZero();
        double perCall = billedUsd() / sim.server().billed().size();
        double cap = billedUsd() + 12 * perCall;
        Files.writeString(yaml, Files.readString(yaml).replaceFirst("budget_usd: [0-9.]+", "budget_usd: " + String.format(Locale.ROOT, "%.6f", cap)));

        try (Project project = Project.open(Path.of(dir));
             WebServer server = WebServer.start(project, new WebServer.Options("127.0.0.1", 0, null),
                     new BackgroundGenerationJobs(project.db().jobs(), project.db().units(), EngineGenerationRuns.forProject(project, ConversationHook.NONE)))) {
            String base = "http://127.0.0.1:" + server.port();
            Process cli = cliGenerate(dir);
            HttpResponse<String> start = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/generate/start"))
                    .header("Content-Type", "application/x-www-form-urlencoded").header("Origin", base)
                    .header(WebSecurity.CSRF_HEADER, server.csrfToken()).header("HX-Request", "true")
                    .POST(HttpRequest.BodyPublishers.ofString("scope=slice&persona=overwhelmed_avoider&quantity=1&phase=seed"
                            + "&model=" + project.model(dev.brun.pack.Phase.SEED) + "&temperature=0.7")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(start.statusCode()).as(start.body()).isEqualTo(200);
            Matcher id = Pattern.compile("id=\"job-([^\"]+)\"").matcher(start.body());
            assertThat(id.find()).isTrue();

            assertThat(cli.waitFor(120, TimeUnit.SECONDS)).as(log()).isTrue();
            JobRecord job = awaitEnd(project, id.group(1));

            double largestCall = sim.server().billed().stream().mapToDouble(this::usd).max().orElseThrow();
            assertThat(billedUsd()).as("billed for the web job and the CLI run together; job: %s; cli: %s", job.message(), log())
                    .isLessThanOrEqualTo(cap + largestCall);
            assertThat(job.message()).as("the web job ran and was stopped by the cap").contains("budget");
            assertThat(log()).contains("budget");
            assertThat(project.db().units().pending(null)).as("the cap stopped both").isNotEmpty();
        }
    }

    private Process cliGenerate(String dir) throws java.io.IOException {
        List<String> command = new ArrayList<>(List.of(java(), "-cp", System.getProperty("java.class.path"), Main.class.getName(),
                "generate", "--project", dir, "--concurrency", "4"));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(tmp.resolve("cli.log").toFile());
        pb.environment().put("ANTHROPIC_BASE_URL", sim.baseUrl().toString());
        return pb.start();
    }

    private static JobRecord awaitEnd(Project project, String id) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (System.nanoTime() < deadline) {
            JobRecord j = project.db().jobs().find(id).orElseThrow();
            if (!j.state().equals("running")) return j;
            Thread.sleep(100);
        }
        throw new AssertionError("the web job never ended");
    }

    private double billedUsd() { return sim.server().billed().stream().mapToDouble(this::usd).sum(); }

    private double usd(FakeProviderServer.Billed b) { return PRICES.cost(b.model(), b.usage(), false); }

    private static String java() {
        return ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    }

    private String log() {
        try {
            return Files.readString(tmp.resolve("cli.log"));
        } catch (java.io.IOException e) {
            return "(no log)";
        }
    }
}
