package dev.brun.web;

import dev.brun.pack.Phase;
import dev.brun.plan.CoverageMatrix;
import dev.brun.plan.PlanFilter;
import dev.brun.project.Project;
import dev.brun.store.JobRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** The Generate page over HTTP: matrix, slice and gaps; the order it starts; live progress on both pages; cancel. */
class GeneratePageTest {
    @TempDir static Path dir;
    static Project project;
    static WebServer server;
    static String base;
    static final HttpClient HTTP = HttpClient.newHttpClient();
    static final AtomicReference<GenerationOrder> started = new AtomicReference<>();
    static final CountDownLatch stopRequested = new CountDownLatch(1);
    static final CountDownLatch callsInFlightDone = new CountDownLatch(1);

    @BeforeAll
    static void start() {
        project = WebFixture.create(dir, 12);
        // Reports two units done, then waits to be cancelled, like an engine run with calls still to make.
        GenerationRun.Factory factory = (order, progress) -> {
            started.set(order);
            return new GenerationRun() {
                @Override public String run() {
                    progress.update(2, order.units().size(), "2 stored");
                    try {
                        if (!stopRequested.await(10, TimeUnit.SECONDS)) throw new IllegalStateException("never cancelled");
                        callsInFlightDone.await(10, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    return "stopped after 2 of " + order.units().size();
                }
                @Override public void requestStop() { stopRequested.countDown(); }
            };
        };
        server = WebServer.start(project, new WebServer.Options("127.0.0.1", 0, null),
                new BackgroundGenerationJobs(project.db().jobs(), project.db().units(), factory));
        base = "http://127.0.0.1:" + server.port();
    }

    @AfterAll
    static void stop() {
        server.close();
        project.close();
    }

    @Test
    void theEstimateCountsTheWholeMatrixASliceOrOnlyTheGaps() throws Exception {
        var matrix = new CoverageMatrix(project.pack());
        int all = matrix.combinations(PlanFilter.ALL).size();
        String persona = project.pack().personas().get(0).key(), arc = project.pack().arcs().get(0).key();
        int slice = matrix.combinations(new PlanFilter(persona, arc, null)).size();

        assertThat(planned(post("/generate/estimate", "scope=all&quantity=2&phase=seed").body())).isEqualTo(2 * all);
        String sliced = post("/generate/estimate", "scope=slice&persona=" + persona + "&arc=" + arc + "&quantity=3").body();
        assertThat(planned(sliced)).isEqualTo(3 * slice);
        assertThat(sliced).contains("id=\"estimate-total\">$");
        // The fixture's 13 conversations sit in 13 different combinations; conv-002 has an error flag, so 12 are covered.
        int gaps = planned(post("/generate/estimate", "scope=gaps&quantity=1").body());
        assertThat(gaps).isEqualTo(all - 12);
        assertThat(post("/generate/estimate", "scope=slice&persona=nobody").statusCode()).isEqualTo(400);
        assertThat(post("/generate/estimate", "scope=all&temperature=3").body()).contains("temperature must be between 0 and 2");
    }

    @Test
    void aStartedRunShowsLiveProgressOnBothPagesAndCancelStopsIt() throws Exception {
        String persona = project.pack().personas().get(1).key(), arc = project.pack().arcs().get(2).key();
        HttpResponse<String> start = post("/generate/start", "scope=slice&persona=" + persona + "&arc=" + arc
                + "&quantity=2&phase=expansion&model=claude-haiku-4-5&temperature=0.3");
        assertThat(start.statusCode()).isEqualTo(200);
        GenerationOrder order = started.get();
        assertThat(order.phase()).isEqualTo(Phase.EXPANSION);
        assertThat(order.model()).isEqualTo("claude-haiku-4-5");
        assertThat(order.temperature()).isEqualTo(0.3);
        assertThat(order.units()).isNotEmpty().allSatisfy(u -> {
            assertThat(u.personaKey()).isEqualTo(persona);
            assertThat(u.arcKey()).isEqualTo(arc);
        });
        Matcher id = Pattern.compile("id=\"job-([^\"]+)\"").matcher(start.body());
        assertThat(id.find()).isTrue();
        String jobId = id.group(1);
        await(jobId, j -> j.done() == 2);

        String live = get("/jobs/" + jobId).body();
        assertThat(live).contains("data-state=\"running\"").contains("hx-trigger=\"every 1s\"")
                .contains("2 / " + order.units().size()).contains("Cancel");
        assertThat(get("/dashboard/jobs").body()).contains("job-" + jobId).contains("data-state=\"running\"");
        assertThat(get("/").body()).contains("hx-get=\"/dashboard/jobs\"").contains("hx-trigger=\"every 2s\"");

        assertThat(post("/jobs/" + jobId + "/cancel", "").body()).contains("stopping").contains("data-state=\"running\"");
        assertThat(stopRequested.getCount()).isZero();
        callsInFlightDone.countDown();
        JobRecord ended = await(jobId, j -> !j.state().equals("running"));
        assertThat(ended.state()).isEqualTo("cancelled");
        assertThat(ended.message()).isEqualTo("stopped after 2 of " + order.units().size());
        assertThat(get("/jobs/" + jobId).body()).contains("data-state=\"cancelled\"").doesNotContain("every 1s").doesNotContain("Cancel");
    }

    private static int planned(String estimateFragment) {
        Matcher m = Pattern.compile("Start generating (\\d+) conversations").matcher(estimateFragment);
        assertThat(m.find()).as(estimateFragment).isTrue();
        return Integer.parseInt(m.group(1));
    }

    private static JobRecord await(String id, java.util.function.Predicate<JobRecord> condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < deadline) {
            JobRecord j = project.db().jobs().find(id).orElseThrow();
            if (condition.test(j)) return j;
            Thread.sleep(20);
        }
        throw new AssertionError("job " + id + " never reached the expected state: " + project.db().jobs().find(id));
    }

    private static HttpResponse<String> get(String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(base + path)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> post(String path, String form) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(base + path))
                .header("Content-Type", "application/x-www-form-urlencoded").header("Origin", base)
                .header(WebSecurity.CSRF_HEADER, server.csrfToken()).header("HX-Request", "true")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
