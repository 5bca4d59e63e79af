package dev.brun.web;

import dev.brun.BadInputException;
import dev.brun.conversation.ReviewStatus;
import dev.brun.project.Project;
import dev.brun.store.ReviewAction;
import dev.brun.store.StoredConversation;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The server over plain HTTP: security rules, escaping, listing, bulk approval and the export zip. */
class WebServerTest {
    @TempDir static Path dir;
    static Project project;
    static WebServer server;
    static String base;
    static final HttpClient HTTP = HttpClient.newHttpClient();

    @BeforeAll
    static void start() {
        project = WebFixture.create(dir, 12);
        server = WebServer.start(project, new WebServer.Options("127.0.0.1", 0, null), WebFixture.noGeneration());
        base = "http://127.0.0.1:" + server.port();
    }

    @AfterAll
    static void stop() {
        server.close();
        project.close();
    }

    @Test
    void everyPageRendersWithTheNavigation() throws Exception {
        for (String path : new String[]{"/", "/conversations", "/review", "/generate", "/export"}) {
            HttpResponse<String> r = get(path);
            assertThat(r.statusCode()).as(path).isEqualTo(200);
            assertThat(r.body()).as(path).contains("<nav>").contains("href=\"/export\"");
        }
    }

    @Test
    void theChartingLibraryIsServedFromTheJar() throws Exception {
        HttpResponse<String> lib = get("/static/vendor/chart.umd.min.js");
        assertThat(lib.statusCode()).isEqualTo(200);
        assertThat(lib.body()).startsWith("/*!\n * Chart.js v4.5.1");
        String dashboard = get("/").body();
        assertThat(dashboard).contains("<script src=\"/static/vendor/chart.umd.min.js\"></script>")
                .doesNotContainPattern("<script[^>]+src=\"(https?:)?//").contains("data-chart=\"{");
    }

    @Test
    void modelTextIsEscapedNeverRaw() throws Exception {
        String review = get("/review?q=script").body();
        assertThat(review).contains("&lt;script&gt;alert(1)&lt;/script&gt;").contains("&lt;img src=x onerror=alert(1)&gt;")
                .doesNotContain(WebFixture.SCRIPT).doesNotContain(WebFixture.IMG);
        assertThat(get("/review?q=script").headers().firstValue("Content-Security-Policy")).hasValueSatisfying(
                csp -> assertThat(csp).contains("script-src 'self'"));
    }

    @Test
    void postWithoutCsrfTokenIsRefusedAndChangesNothing() throws Exception {
        HttpResponse<String> r = post("/review/conv-005/status", "status=approved", Map.of("Origin", base));
        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(status("conv-005")).isEqualTo(ReviewStatus.PENDING);
    }

    @Test
    void postFromAnotherOriginIsRefusedEvenWithTheToken() throws Exception {
        HttpResponse<String> r = post("/review/conv-006/status", "status=approved",
                Map.of("Origin", "http://evil.example", WebSecurity.CSRF_HEADER, server.csrfToken()));
        assertThat(r.statusCode()).isEqualTo(403);
        HttpResponse<String> noOrigin = post("/review/conv-006/status", "status=approved",
                Map.of(WebSecurity.CSRF_HEADER, server.csrfToken()));
        assertThat(noOrigin.statusCode()).isEqualTo(403);
        assertThat(status("conv-006")).isEqualTo(ReviewStatus.PENDING);
        assertThat(project.db().reviews().actions("conv-006")).isEmpty();
    }

    @Test
    void sameOriginPostWithTheTokenIsAccepted() throws Exception {
        HttpResponse<String> r = post("/review/conv-007/status", "status=approved",
                Map.of("Origin", base, WebSecurity.CSRF_HEADER, csrfFromPage()));
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(status("conv-007")).isEqualTo(ReviewStatus.APPROVED);
    }

    @Test
    void aRejectionWithoutReasonIsRefused() throws Exception {
        HttpResponse<String> r = post("/review/conv-008/status", "status=rejected",
                Map.of("Origin", base, WebSecurity.CSRF_HEADER, server.csrfToken(), "X-Brun-Fetch", "1"));
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.body()).contains("needs a reason");
        assertThat(status("conv-008")).isEqualTo(ReviewStatus.PENDING);
    }

    @Test
    void listingFiltersAndPages() throws Exception {
        String persona = project.pack().personas().get(1).key();
        long expected = project.db().conversations().count(new ListQuery(persona, null, null, null, null, null, null, null, null, false).filter());
        String body = get("/conversations?persona=" + persona).body();
        assertThat(body).contains("<strong>" + expected + "</strong> conversations match");
        assertThat(Pattern.compile("<tr data-id=").matcher(body).results().count()).isEqualTo(expected);
        assertThat(get("/conversations?flag=truncated").body()).contains("conv-002").doesNotContain("conv-003");
        assertThat(get("/conversations?min=4.5").body()).contains("<strong>2</strong> conversations");
    }

    @Test
    void bulkApproveApprovesExactlyTheFilteredList() throws Exception {
        String topic = project.pack().topics().get(3).key();
        var filter = new ListQuery(null, null, topic, null, null, null, null, null, null, false).filter();
        long matching = project.db().conversations().count(filter);
        HttpResponse<String> r = post("/conversations/approve", "topic=" + topic + "&_csrf=" + server.csrfToken(), Map.of("Origin", base));
        assertThat(r.statusCode()).isEqualTo(303);
        assertThat(project.db().conversations().count(filter.review(ReviewStatus.APPROVED))).isEqualTo(matching).isPositive();
        assertThat(status("conv-001")).isEqualTo(ReviewStatus.PENDING);
        String approvedOne = project.db().conversations().list(filter, 0, 1).items().getFirst().id();
        assertThat(project.db().reviews().actions(approvedOne)).anySatisfy(a -> {
            assertThat(a.action()).isEqualTo("status");
            assertThat(a.at()).isNotNull();
        });
    }

    @Test
    void exportDownloadIsAZipWithTheManifestAndTrainingFiles() throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(base + "/export/download"))
                .header("Content-Type", "application/x-www-form-urlencoded").header("Origin", base)
                .POST(HttpRequest.BodyPublishers.ofString("_csrf=" + server.csrfToken() + "&format=openai&format=v4-json&selection=all"))
                .build();
        HttpResponse<byte[]> r = HTTP.send(request, HttpResponse.BodyHandlers.ofByteArray());
        assertThat(r.statusCode()).isEqualTo(200);
        Map<String, String> entries = unzip(r.body());
        assertThat(entries).containsKeys("manifest.json", "training-v4.json", "openai-train.jsonl");
        assertThat(entries.get("openai-train.jsonl")).contains("\"role\":\"assistant\"");
    }

    @Test
    void exportPreviewSaysWhatStaysOutAndWhy() throws Exception {
        HttpResponse<String> r = post("/export/preview", "selection=passing", Map.of("Origin", base, WebSecurity.CSRF_HEADER, server.csrfToken()));
        assertThat(r.body()).contains("error flag: truncated").contains("first included");
    }

    @Test
    void exportPreviewFollowsTheFilterAndNamesWhatGoesIn() throws Exception {
        String persona = project.pack().personas().get(2).key();
        long matching = project.db().conversations().count(new ListQuery(persona, null, null, null, null, null, null, null, null, false).filter());
        String body = post("/export/preview", "selection=all&persona=" + persona,
                Map.of("Origin", base, WebSecurity.CSRF_HEADER, server.csrfToken())).body();
        assertThat(body).contains("of " + matching + " conversations will be exported");
        List<String> named = Pattern.compile("<td class=\"mono small\">([^<]+)</td>").matcher(body).results().map(m -> m.group(1)).toList();
        assertThat(named).isNotEmpty().hasSizeLessThanOrEqualTo(ExportPage.PREVIEW_SAMPLE).allSatisfy(id ->
                assertThat(project.db().conversations().find(id).orElseThrow().conversation().scaffolding().personaKey()).isEqualTo(persona));
    }

    @Test
    void everyStateChangingRouteRefusesARequestWithoutTheCsrfToken() throws Exception {
        for (String path : new String[]{"/conversations/approve", "/review/conv-010/status", "/review/conv-010/seed",
                "/review/conv-010/note", "/review/conv-010/turns/0", "/generate/estimate", "/generate/start",
                "/jobs/any/cancel", "/export/preview", "/export/download"}) {
            HttpResponse<String> r = post(path, "status=approved&note=x&content=x&scope=all&selection=all", Map.of("Origin", base));
            assertThat(r.statusCode()).as(path).isEqualTo(403);
        }
        StoredConversation untouched = project.db().conversations().find("conv-010").orElseThrow();
        assertThat(untouched.review().status()).isEqualTo(ReviewStatus.PENDING);
        assertThat(untouched.review().seed()).isFalse();
        assertThat(project.db().reviews().actions("conv-010")).isEmpty();
    }

    @Test
    void seedTogglesOnAndOffAndEveryActionIsStoredWithItsTime() throws Exception {
        Map<String, String> headers = Map.of("Origin", base, WebSecurity.CSRF_HEADER, server.csrfToken());
        Instant before = Instant.now().minusSeconds(1);
        assertThat(post("/review/conv-011/seed", "", headers).body()).isEqualTo("true");
        assertThat(post("/review/conv-011/seed", "", headers).body()).isEqualTo("false");
        assertThat(post("/review/conv-011/note", "note=check+the+numbers", headers).statusCode()).isEqualTo(200);
        assertThat(post("/review/conv-011/turns/1", "content=A+calmer+reply.", headers).body()).isEqualTo("1");
        assertThat(project.db().conversations().find("conv-011").orElseThrow().review().seed()).isFalse();
        // Marking a seed approves it (a seed is always approved); unmarking leaves it approved.
        assertThat(status("conv-011")).isEqualTo(ReviewStatus.APPROVED);
        assertThat(project.db().reviews().actions("conv-011")).extracting(ReviewAction::action)
                .containsExactly("status", "seed", "seed", "note", "edit");
        assertThat(project.db().reviews().actions("conv-011")).allSatisfy(a -> assertThat(a.at()).isAfter(before));
    }

    @Test
    void anExposedServerNeedsItsAccessToken() throws Exception {
        assertThatThrownBy(() -> new WebServer.Options("0.0.0.0", 0, null)).isInstanceOf(BadInputException.class)
                .hasMessageContaining("--token");
        try (WebServer guarded = WebServer.start(project, new WebServer.Options("127.0.0.1", 0, "s3cret"), WebFixture.noGeneration())) {
            String url = "http://127.0.0.1:" + guarded.port();
            HttpResponse<String> anonymous = HTTP.send(HttpRequest.newBuilder(URI.create(url + "/")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(anonymous.statusCode()).isEqualTo(401);
            assertThat(anonymous.body()).doesNotContain("s3cret");
            HttpResponse<String> first = HTTP.send(HttpRequest.newBuilder(URI.create(url + "/?token=s3cret")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(first.statusCode()).isEqualTo(200);
            String cookie = first.headers().firstValue("Set-Cookie").orElseThrow().split(";")[0];
            HttpResponse<String> later = HTTP.send(HttpRequest.newBuilder(URI.create(url + "/conversations")).header("Cookie", cookie).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(later.statusCode()).isEqualTo(200);
            HttpResponse<String> wrong = HTTP.send(HttpRequest.newBuilder(URI.create(url + "/")).header("Cookie", "brun_token=nope").build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(wrong.statusCode()).isEqualTo(401);
        }
    }

    @Test
    void theApiKeyIsNeverRenderedNorLogged(@TempDir Path keyed) throws Exception {
        String key = "sk-ant-api03-NEVER-SHOW-THIS-7f3e9c";
        WebFixture.create(keyed, 3).close();
        Files.writeString(keyed.resolve("provider.key"), key + "\n");
        Files.writeString(keyed.resolve("brun.yaml"), "\napi_key_file: provider.key\n", StandardOpenOption.APPEND);
        var root = (ch.qos.logback.classic.Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        var logged = new ListAppender<ILoggingEvent>();
        logged.start();
        root.addAppender(logged);
        try (Project keyedProject = Project.open(keyed);
             WebServer keyedServer = WebServer.start(keyedProject, new WebServer.Options("127.0.0.1", 0, null), WebFixture.noGeneration())) {
            assertThat(keyedProject.config().resolvedApiKeyFile(keyedProject.layout())).hasFileName("provider.key");
            String url = "http://127.0.0.1:" + keyedServer.port();
            StringBuilder seen = new StringBuilder();
            for (String path : new String[]{"/", "/conversations", "/review", "/generate", "/export", "/no-such-page"})
                seen.append(HTTP.send(HttpRequest.newBuilder(URI.create(url + path)).build(), HttpResponse.BodyHandlers.ofString()).body());
            for (String path : new String[]{"/generate/estimate", "/export/preview"})
                seen.append(HTTP.send(HttpRequest.newBuilder(URI.create(url + path))
                        .header("Content-Type", "application/x-www-form-urlencoded").header("Origin", url)
                        .header(WebSecurity.CSRF_HEADER, keyedServer.csrfToken())
                        .POST(HttpRequest.BodyPublishers.ofString("scope=all&selection=all")).build(), HttpResponse.BodyHandlers.ofString()).body());
            assertThat(seen.toString()).contains("id=\"estimate-total\"").contains("will be exported").doesNotContain(key).doesNotContain("NEVER-SHOW");
        } finally {
            root.detachAppender(logged);
        }
        assertThat(logged.list).extracting(ILoggingEvent::getFormattedMessage).noneMatch(m -> m.contains("NEVER-SHOW"));
    }

    @Test
    void failedUnitsShowTheirReasonCountAndAnEscapedExampleOnTheDashboardAndTheFinishedJob() throws Exception {
        var units = project.db().units();
        units.insertIfAbsent(List.of(new dev.brun.store.PlannedUnit("fail-unit-1", "h", "seed", "p", "a", "t", 0),
                new dev.brun.store.PlannedUnit("fail-unit-2", "h", "seed", "p", "a", "t", 1)));
        units.markFailed("fail-unit-1", "bad_request", "HTTP 400: <b>max_tokens</b> too large [REDACTED]");
        units.markFailed("fail-unit-2", "bad_request", "HTTP 400: <b>max_tokens</b> too large [REDACTED]");
        String job = project.db().jobs().start("generate", 2, "starting");
        project.db().jobs().finish(job, true, "0 stored, 2 failed of 2");
        try {
            for (String page : List.of("/", "/jobs/" + job)) {
                String body = get(page).body();
                assertThat(body).as(page).contains("bad_request").containsPattern("<td class=\"num\">2</td>")
                        .contains("HTTP 400: &lt;b&gt;max_tokens&lt;/b&gt; too large [REDACTED]").doesNotContain("<b>max_tokens");
            }
        } finally {
            units.returnToPending(dev.brun.store.UnitState.FAILED, null);
        }
    }

    private static ReviewStatus status(String id) {
        return project.db().conversations().find(id).orElseThrow().review().status();
    }

    private static String csrfFromPage() throws Exception {
        Matcher m = Pattern.compile("name=\"csrf-token\" content=\"([0-9a-f]+)\"").matcher(get("/").body());
        assertThat(m.find()).isTrue();
        return m.group(1);
    }

    private static HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create(base + path)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> post(String path, String form, Map<String, String> headers) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form));
        headers.forEach(b::header);
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    static Map<String, String> unzip(byte[] zip) throws IOException {
        Map<String, String> out = new HashMap<>();
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip))) {
            for (ZipEntry e; (e = in.getNextEntry()) != null; )
                out.put(e.getName(), new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
        return out;
    }
}
