package dev.brun.web;

import dev.brun.eval.EvalManifest;
import dev.brun.eval.EvalRunner;
import dev.brun.eval.EvalSetup;
import dev.brun.eval.HeldOutSet;
import dev.brun.project.Project;
import dev.brun.store.EvalDao;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The Eval page: runs listed, one run's heat-map and replies side by side, model text escaped. */
class EvalPageTest {
    private static final String GOOD = "That sounds really hard, and it makes sense you feel this way. Would it help if we looked at one step together?";
    @TempDir Path dir;

    @Test
    void listsRunsAndShowsTheHeatMapAndEscapedRepliesSideBySide() throws Exception {
        try (Project project = WebFixture.create(dir.resolve("p"), 4)) {
            Path export = dir.resolve("export");
            Files.createDirectories(export);
            StringBuilder lines = new StringBuilder("{\"_meta\":{}}\n");
            for (String id : List.of(WebFixture.XSS_ID, "conv-001", "conv-002", "conv-003", "conv-004"))
                lines.append("{\"brun_conversation_id\":\"").append(id).append("\",\"split\":\"validation\",\"system_prompt\":\"You are the consultant.\"}\n");
            Files.writeString(export.resolve("training-v4.jsonl"), lines);
            HeldOutSet set = HeldOutSet.read(export, "validation");
            EvalManifest manifest = EvalSetup.manifest("http://user:secret@127.0.0.1:9/v1", "lora-1", null, null, set, null, 0, project.pack());
            EvalDao dao = new EvalDao(project.db());
            String run = EvalSetup.run(dao, manifest).id();
            for (String id : set.conversationIds())
                for (int turn : new int[] {1, 3})
                    dao.putReply(run, new EvalDao.Reply(id, turn, EvalRunner.ADAPTER, id.equals(WebFixture.XSS_ID) ? "Do this now. " + WebFixture.IMG : GOOD, "end_turn"));

            WebServer server = WebServer.start(project, new WebServer.Options("127.0.0.1", 0, null), WebFixture.noGeneration());
            try {
                HttpClient http = HttpClient.newHttpClient();
                String base = "http://127.0.0.1:" + server.port();
                HttpResponse<String> list = http.send(HttpRequest.newBuilder(URI.create(base + "/eval")).build(), HttpResponse.BodyHandlers.ofString());
                assertThat(list.statusCode()).isEqualTo(200);
                assertThat(list.body()).contains("href=\"/eval\"").contains("href=\"/eval/" + run + "\"").contains("lora-1")
                        .as("the endpoint's credentials are never stored or shown").doesNotContain("secret");
                HttpResponse<String> page = http.send(HttpRequest.newBuilder(URI.create(base + "/eval/" + run)).build(), HttpResponse.BodyHandlers.ofString());
                assertThat(page.statusCode()).isEqualTo(200);
                assertThat(page.body()).contains("id=\"eval-heat\"").contains("heat-4").contains("id=\"eval-weakest\"")
                        .contains("&lt;img src=x onerror=alert(1)&gt;").doesNotContain(WebFixture.IMG).contains(GOOD);
                assertThat(page.body().indexOf("Do this now.")).as("the weakest reply comes first").isLessThan(page.body().indexOf(GOOD));
                HttpResponse<String> missing = http.send(HttpRequest.newBuilder(URI.create(base + "/eval/eval-none")).build(), HttpResponse.BodyHandlers.ofString());
                assertThat(missing.statusCode()).isEqualTo(404);
            } finally {
                server.close();
            }
        }
    }
}
